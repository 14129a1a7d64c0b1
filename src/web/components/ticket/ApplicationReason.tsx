import type { ReactNode } from 'react';
import { Typography } from 'antd';
import { WorkFileLinks } from '../WorkFileLinks';
import type { TicketApplication } from '../../api/types';
import { TERMINATION_CASE_LABELS } from '../../lib/labels';
import { useReference } from '../../lib/reference';

type Shown = Pick<TicketApplication, 'reason' | 'requestedDays' | 'progress' | 'terminationCase' | 'materials'> & {
  proposedUnitIds?: number[] | null;
};

/** An application's reason with what backs it (days asked for, progress, case, proposed units, materials), for table cells. */
export function ApplicationReason({
  a,
  noMaterialsText,
}: {
  a: Shown;
  /** shown when there are no materials; omitted: the line is left out */ noMaterialsText?: string;
}) {
  const ref = useReference();
  const line = (label: string, value: ReactNode) => (
    <div>
      <Typography.Text type="secondary">{label}：</Typography.Text>
      {value}
    </div>
  );
  // 第十四、十五条: uploaded files as download links, older text entries as names
  const materials = a.materials.length ? <WorkFileLinks items={a.materials} /> : noMaterialsText;
  return (
    <div className="pre-wrap">
      {a.reason}
      {a.requestedDays ? line('延期', `${a.requestedDays} 个工作日`) : null}
      {a.progress ? line('阶段性情况', a.progress) : null}
      {a.terminationCase ? line('情形', TERMINATION_CASE_LABELS[a.terminationCase]) : null}
      {a.proposedUnitIds?.length
        ? line('建议承办单位', a.proposedUnitIds.map((u) => ref.unitName(u)).join('、'))
        : null}
      {materials ? line('材料', materials) : null}
    </div>
  );
}

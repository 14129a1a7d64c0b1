import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { Button, Card, Space, Typography } from 'antd';
import { AlertOutlined, AuditOutlined } from '@ant-design/icons';
import { TRIGGER_LABELS } from '../../../shared/domain/supervision';
import { supervisionApi } from '../../api/supervision';
import { useMe } from '../../auth/session';
import { fmtDateTime } from '../../lib/format';
import { DEADLINE_KIND_LABELS } from '../../lib/labels';
import { hasRole, isCentre } from '../../lib/permissions';
import { useAsync } from '../../lib/useAsync';
import { CardTag, CaseStatusTag } from '../../pages/supervision/supervision-labels';
import { ManualCaseModal } from '../../pages/supervision/ManualCaseModal';
import { ReferralCreateModal } from '../../pages/supervision/ReferralCreateModal';
import { disciplineBodyOf } from '../../pages/supervision/referral-labels';
import { useReference } from '../../lib/reference';

/**
 * 第二十二条 on the ticket page: its 黄牌/红牌, the supervision cases about it, and — for a supervisor — the 督办
 * button that opens a case by hand, and (第二十三条) the 移送 button that hands the lead unit's conduct on this
 * ticket to the discipline inspection body, the ticket filled in.
 */
export function SupervisionPanel({
  ticketId,
  ticketNumber,
  leadUnitId,
}: {
  ticketId: number;
  ticketNumber: string;
  leadUnitId: number | null;
}) {
  const me = useMe();
  const ref = useReference();
  const nav = useNavigate();
  const [open, setOpen] = useState(false);
  const [referring, setReferring] = useState(false);
  const data = useAsync(() => supervisionApi.forTicket(ticketId), [ticketId]);
  const supervisor = isCentre(me) && hasRole(me, 'supervisor');
  const cards = data.data?.cards ?? [];
  const cases = data.data?.cases ?? [];
  if (!supervisor && cards.length === 0 && cases.length === 0) return null;
  return (
    <Card
      size="small"
      title="督办"
      style={{ marginTop: 16 }}
      extra={
        supervisor && (
          <Space>
            <Button icon={<AlertOutlined />} onClick={() => setOpen(true)}>
              督办
            </Button>
            <Button danger icon={<AuditOutlined />} onClick={() => setReferring(true)}>
              移送纪检
            </Button>
          </Space>
        )
      }
    >
      {cards.length === 0 && cases.length === 0 && (
        <Typography.Text type="secondary">暂无黄牌、红牌或督办</Typography.Text>
      )}
      {cards.length > 0 && (
        <Space wrap style={{ marginBottom: cases.length ? 8 : 0 }}>
          {cards.map((k) => (
            <CardTag
              key={k.id}
              colour={k.colour}
              title={`${DEADLINE_KIND_LABELS[k.deadline_kind] ?? k.deadline_kind}：${fmtDateTime(k.due_at)} 到期${k.unit_name ? `（${k.unit_name}）` : ''}`}
            />
          ))}
        </Space>
      )}
      {cases.map((c) => (
        <div key={c.id}>
          <Link to={`/supervision/cases/${c.id}`}>{c.number}</Link>
          {'\u3000'}
          <CaseStatusTag status={c.status} />
          {TRIGGER_LABELS[c.trigger]} · {c.unit_name}
          {c.due_at && (
            <Typography.Text type="secondary">
              {'\u3000'}反馈期限 {fmtDateTime(c.due_at)}
            </Typography.Text>
          )}
        </div>
      ))}
      <ManualCaseModal
        open={open}
        onClose={() => setOpen(false)}
        ticketIds={[ticketId]}
        onCreated={(c) => nav(`/supervision/cases/${c.id}`)}
      />
      {supervisor && (
        <ReferralCreateModal
          open={referring}
          onClose={() => setReferring(false)}
          prefill={{ ticketNumbers: [ticketNumber], unitId: leadUnitId ?? undefined }}
          defaultBody={disciplineBodyOf(ref.unitName(me.unitId))}
          onCreated={(id) => nav(`/supervision/referrals/${id}`)}
        />
      )}
    </Card>
  );
}

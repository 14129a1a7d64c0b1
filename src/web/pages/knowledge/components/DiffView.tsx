import { Descriptions, Empty, Space, Tag, Typography } from 'antd';
import type { FieldDiff, VersionCompare } from '../../../api/knowledge-authoring';
import { useReference } from '../../../lib/reference';
import { VISIBILITY_LABELS } from './labels';
import { KNOWLEDGE_FIELD_LABELS } from '../../../../shared/contracts/knowledge';

// 第十八条: two versions of an article side by side in one column — removed text struck through in red, added
// text underlined in green; lists as the items added and removed.

const FIELD_LABELS: Record<string, string> = KNOWLEDGE_FIELD_LABELS;

const del = { background: '#fff1f0', color: '#a8071a', textDecoration: 'line-through' } as const;
const ins = { background: '#f6ffed', color: '#135200', textDecoration: 'underline' } as const;

export function DiffView({
  diff,
  showUnchanged = false,
  attachmentName,
}: {
  diff: VersionCompare;
  showUnchanged?: boolean;
  attachmentName?: (id: number) => string;
}) {
  const ref = useReference();
  const fields = diff.fields.filter((f) => showUnchanged || f.changed);
  const name = (field: string, v: string) => {
    if (field === 'categoryIds') return ref.categoryPath(Number(v));
    if (field === 'regionCodes') return ref.regionPath(v);
    if (field === 'attachmentIds') return attachmentName?.(Number(v)) ?? `附件 ${v}`;
    return v;
  };
  const value = (field: string, v: string | null) =>
    v === null ? '（空）' : field === 'visibility' ? (VISIBILITY_LABELS[v] ?? v) : v;
  const render = (f: FieldDiff) => {
    if (f.kind === 'text')
      return (
        <div className="pre-wrap" data-testid={`diff-${f.field}`}>
          {f.segments.map((s, i) =>
            s.op === 'equal' ? (
              <span key={i}>{s.text}</span>
            ) : s.op === 'delete' ? (
              <del key={i} style={del}>
                {s.text}
              </del>
            ) : (
              <ins key={i} style={ins}>
                {s.text}
              </ins>
            ),
          )}
        </div>
      );
    if (f.kind === 'list')
      return (
        <Space size={[4, 4]} wrap data-testid={`diff-${f.field}`}>
          {f.removed.map((x) => (
            <Tag key={`-${x}`} color="red" style={{ textDecoration: 'line-through' }}>
              − {name(f.field, x)}
            </Tag>
          ))}
          {f.added.map((x) => (
            <Tag key={`+${x}`} color="green">
              + {name(f.field, x)}
            </Tag>
          ))}
          {f.kept.map((x) => (
            <Tag key={`=${x}`}>{name(f.field, x)}</Tag>
          ))}
          {!f.removed.length && !f.added.length && !f.kept.length && (
            <Typography.Text type="secondary">（无）</Typography.Text>
          )}
        </Space>
      );
    return (
      <span data-testid={`diff-${f.field}`}>
        {f.changed ? (
          <>
            <del style={del}>{value(f.field, f.from)}</del> → <ins style={ins}>{value(f.field, f.to)}</ins>
          </>
        ) : (
          value(f.field, f.to)
        )}
      </span>
    );
  };
  if (!fields.length) return <Empty description="两个版本的内容相同" />;
  return (
    <Descriptions size="small" column={1} bordered styles={{ label: { width: 120 } }} data-testid="knowledge-diff">
      {fields.map((f) => (
        <Descriptions.Item key={f.field} label={FIELD_LABELS[f.field] ?? f.field}>
          {render(f)}
        </Descriptions.Item>
      ))}
    </Descriptions>
  );
}

import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { Button, Card, Empty, List, Space, Tag, Typography } from 'antd';
import { api } from '../../../api/endpoints';
import { errorMessage } from '../../../api/client';
import type { DuplicateCandidate } from '../../../api/contact-types';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { fmtDate } from '../../../lib/format';
import { useReference } from '../../../lib/reference';

export interface DuplicateQuery {
  contactId: number;
  /** the agent's notes of a call without text of its own: searched instead of the contact's (empty) text */
  notes: string | null;
  requesterId: number | null;
  categoryId?: number;
  regionCode?: string;
}

/** Possible duplicates of the contact, refreshed as the agent picks the category and region (debounced). */
export function useDuplicates(q: DuplicateQuery | null) {
  const [items, setItems] = useState<DuplicateCandidate[]>([]);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const key = JSON.stringify(q);
  useEffect(() => {
    if (!q) return setItems([]);
    let live = true;
    const timer = setTimeout(() => {
      setLoading(true);
      const hint = { categoryId: q.categoryId, regionCode: q.regionCode };
      const p =
        q.notes && q.notes.trim().length >= 2
          ? api.duplicates.search({ text: q.notes.trim(), requesterId: q.requesterId ?? undefined, ...hint })
          : api.contacts.duplicates(q.contactId, hint);
      p.then(
        (d) => live && (setItems(d), setError(null)),
        (e) => live && setError(errorMessage(e)),
      ).finally(() => live && setLoading(false));
    }, 300);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [key]); // eslint-disable-line react-hooks/exhaustive-deps
  return { items, loading, error };
}

/** 第十三条第三项: open tickets that may be the same matter, with why; the agent decides. */
export function DuplicatesPanel({
  items,
  loading,
  error,
  onRepeat,
}: {
  items: DuplicateCandidate[];
  loading: boolean;
  error: string | null;
  onRepeat: (d: DuplicateCandidate) => void;
}) {
  const ref = useReference();
  return (
    <Card
      size="small"
      title={`可能重复（${items.length}）`}
      loading={loading && !items.length}
      data-testid="duplicates"
      style={{ marginBottom: 12 }}
    >
      <ErrorAlert message={error} />
      {!items.length ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="未发现可能重复的在办工单" />
      ) : (
        <List
          size="small"
          dataSource={items}
          renderItem={(d) => (
            <List.Item data-ticket-number={d.number} style={{ display: 'block', padding: '8px 0' }}>
              <Space size={4} wrap>
                <Link to={`/tickets/${d.id}`} target="_blank">
                  {d.number}
                </Link>
                <Tag color="gold">{d.statusLabel}</Tag>
              </Space>
              <div>
                <Typography.Text strong>{d.title}</Typography.Text>
              </div>
              <Typography.Paragraph type="secondary" ellipsis={{ rows: 2 }} style={{ margin: 0, fontSize: 12 }}>
                {d.excerpt}
              </Typography.Paragraph>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {ref.categoryName(d.categoryId)} · {ref.regionName(d.regionCode)}
                {d.address ? ` · ${d.address}` : ''} · {fmtDate(d.createdAt)}
              </Typography.Text>
              <div style={{ marginTop: 4 }}>
                {d.reasons.map((r) => (
                  <Tag key={r} color="blue" style={{ marginBottom: 4 }}>
                    {r}
                  </Tag>
                ))}
              </div>
              <Button size="small" onClick={() => onRepeat(d)}>
                按此工单重复诉求处置
              </Button>
            </List.Item>
          )}
        />
      )}
    </Card>
  );
}

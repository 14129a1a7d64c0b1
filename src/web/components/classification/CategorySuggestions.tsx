import { useEffect, useRef, useState } from 'react';
import { Alert, Button, Card, Flex, List, Space, Tag, Tooltip, Typography } from 'antd';
import { BulbOutlined, CheckOutlined } from '@ant-design/icons';
import { classificationApi, type SuggestResult } from '../../api/classification';
import { errorMessage } from '../../api/client';

/** A probability as a person reads it: never a flat 0 % or 100 %, which no model can honestly claim. */
const confidenceText = (p: number) => (p < 0.01 ? '<1%' : p > 0.99 ? '>99%' : `${Math.round(p * 100)}%`);

/** How long the agent may pause typing before the suggestion is asked for again. */
const DEBOUNCE_MS = 400;

/**
 * 第四、十二条 智能分类建议: the three likeliest matter categories for what is being typed, each with its confidence,
 * the words that weighed and similar past tickets; one click takes a suggestion. The shown ids go with the ticket
 * so the take rate can be counted.
 */
export function CategorySuggestions({
  title,
  body,
  contactId,
  ticketId,
  selectedId,
  onPick,
  onShown,
}: {
  title?: string;
  body: string;
  contactId?: number;
  ticketId?: number;
  selectedId?: number | null;
  onPick: (categoryId: number) => void;
  /** the suggested category ids, best first, as last shown */
  onShown?: (ids: number[]) => void;
}) {
  const [result, setResult] = useState<SuggestResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const seq = useRef(0);

  useEffect(() => {
    const n = ++seq.current;
    const timer = setTimeout(() => {
      setLoading(true);
      classificationApi
        .suggest({ title: title || undefined, body: body.slice(0, 20_000), contactId, ticketId })
        .then((r) => {
          if (n !== seq.current) return; // an older answer arriving late
          setResult(r);
          setError(null);
          onShown?.(r.suggestions.map((s) => s.categoryId));
        })
        .catch((e) => n === seq.current && setError(errorMessage(e)))
        .finally(() => n === seq.current && setLoading(false));
    }, DEBOUNCE_MS);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [title, body, contactId, ticketId]);

  return (
    <Card
      size="small"
      title={
        <Space>
          <BulbOutlined />
          智能分类建议
        </Space>
      }
      loading={loading && !result}
      data-testid="category-suggestions"
      style={{ marginBottom: 12 }}
    >
      {error && <Alert type="warning" showIcon message={error} />}
      {result?.note && (
        <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }} data-testid="suggestion-note">
          {result.note}
        </Typography.Paragraph>
      )}
      {result && result.suggestions.length > 0 && (
        <List
          size="small"
          dataSource={result.suggestions}
          renderItem={(s, i) => (
            <List.Item data-testid={`suggestion-${i + 1}`}>
              <Flex vertical gap={4} style={{ width: '100%' }}>
                <Flex justify="space-between" align="center" gap={8}>
                  <Space size={8} wrap>
                    <Typography.Text strong>{s.path.join(' / ')}</Typography.Text>
                    <Tooltip title="置信度：在留出工单上校准过的概率">
                      <Tag color={s.confidence >= 0.5 ? 'green' : s.confidence >= 0.2 ? 'gold' : 'default'}>
                        置信度 {confidenceText(s.confidence)}
                      </Tag>
                    </Tooltip>
                  </Space>
                  <Button
                    size="small"
                    type={selectedId === s.categoryId ? 'primary' : 'default'}
                    icon={selectedId === s.categoryId ? <CheckOutlined /> : undefined}
                    onClick={() => onPick(s.categoryId)}
                    data-testid={`take-suggestion-${i + 1}`}
                  >
                    {selectedId === s.categoryId ? '已采用' : '采用'}
                  </Button>
                </Flex>
                {s.words.length > 0 && (
                  <Space size={4} wrap>
                    <Typography.Text type="secondary">依据词语：</Typography.Text>
                    {s.words.map((w) => (
                      <Tag key={w.term} color="blue">
                        {w.term}
                      </Tag>
                    ))}
                  </Space>
                )}
                {s.similar.length > 0 && (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    相似工单：
                    {s.similar.map((t) => `${t.number}（${t.category}，${t.leadUnit ?? '待派单'}）`).join('；')}
                  </Typography.Text>
                )}
              </Flex>
            </List.Item>
          )}
        />
      )}
    </Card>
  );
}

import { useEffect, useState } from 'react';
import { Alert, App, Button, Card, Divider, Flex, List, Space, Tag, Typography } from 'antd';
import { ApartmentOutlined, EditOutlined } from '@ant-design/icons';
import { classificationApi, type UnitSuggestion } from '../../api/classification';
import { errorMessage } from '../../api/client';
import type { TicketView } from '../../api/types';
import { useReference } from '../../lib/reference';
import { CategoryCascader } from '../Pickers';
import { CategorySuggestions } from './CategorySuggestions';

/**
 * 第十二条 for the dispatcher: the category suggestions for a ticket awaiting dispatch, the correction of its category
 * (recorded on the ticket), and what history says about the unit — a second suggestion beside the catalogue's, with
 * its evidence, never replacing it.
 */
export function DispatcherClassification({ ticket, onDone }: { ticket: TicketView; onDone: () => void }) {
  const ref = useReference();
  const { message } = App.useApp();
  const [categoryId, setCategoryId] = useState<number | null>(ticket.categoryId);
  const [shown, setShown] = useState<number[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [units, setUnits] = useState<UnitSuggestion | null>(null);

  useEffect(() => {
    setCategoryId(ticket.categoryId);
    classificationApi
      .unitSuggestion(ticket.id)
      .then(setUnits)
      .catch(() => setUnits(null));
  }, [ticket.id, ticket.categoryId]);

  const save = async () => {
    if (!categoryId || categoryId === ticket.categoryId) return;
    setBusy(true);
    setError(null);
    try {
      const r = await classificationApi.recategorize(ticket.id, {
        categoryId,
        expectedVersion: ticket.version,
        suggestedCategoryIds: shown.length ? shown : undefined,
      });
      message.success(`事项分类已更正为「${r.path.join(' / ')}」`);
      onDone();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card size="small" title="智能分类与单位建议" data-testid="dispatcher-classification">
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} role="alert" />}
      <CategorySuggestions
        title={ticket.title}
        body={ticket.content}
        ticketId={ticket.id}
        selectedId={categoryId}
        onPick={setCategoryId}
        onShown={setShown}
      />
      <Flex gap={8} align="center">
        {/* 无障碍: the visible words are the field's label (axe: label) */}
        <Typography.Text>
          <label htmlFor="recategorize_categoryId">事项分类：</label>
        </Typography.Text>
        <div style={{ flex: 1 }}>
          <CategoryCascader value={categoryId} onChange={setCategoryId} id="recategorize_categoryId" />
        </div>
        <Button
          icon={<EditOutlined />}
          disabled={!categoryId || categoryId === ticket.categoryId}
          loading={busy}
          onClick={() => void save()}
          data-testid="recategorize-submit"
        >
          更正分类
        </Button>
      </Flex>
      <Divider style={{ margin: '12px 0' }} />
      <Space direction="vertical" style={{ width: '100%' }} data-testid="unit-suggestion">
        <Typography.Text strong>
          <ApartmentOutlined /> 承办单位建议
        </Typography.Text>
        {units?.catalogue ? (
          <Typography.Text>
            <Tag color="blue">派单目录</Tag>
            {units.catalogue.unitName}
          </Typography.Text>
        ) : (
          <Typography.Text type="secondary">派单目录中没有匹配的规则</Typography.Text>
        )}
        {units && units.history.length > 0 ? (
          <List
            size="small"
            dataSource={units.history}
            renderItem={(h) => (
              <List.Item data-testid="unit-history">
                <Space direction="vertical" size={2}>
                  <Typography.Text>
                    <Tag color="orange">历史经验</Tag>
                    {h.unitName || ref.unitName(h.unitId)}（{h.count} 件）
                  </Typography.Text>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {h.explanation}；退单工单：{h.evidence.join('、')}
                  </Typography.Text>
                </Space>
              </List.Item>
            )}
          />
        ) : (
          <Typography.Text type="secondary">本区县近期同类工单没有退单改派的记录</Typography.Text>
        )}
        {units && (
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {units.note}
          </Typography.Text>
        )}
      </Space>
    </Card>
  );
}

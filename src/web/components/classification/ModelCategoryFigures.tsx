import { Card, Empty, Flex, Table, Tag, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { classificationApi, type CategoryFiguresRow } from '../../api/classification';
import { downloadTable } from '../../lib/csv';
import { useAsync } from '../../lib/useAsync';
import { ErrorAlert } from '../ErrorAlert';
import { ExportMenu } from '../ExportMenu';

const pct = (n: number) => `${(n * 100).toFixed(1)}%`;
const pathText = (path: string[], id: number) => (path.length ? path.join(' / ') : `已删除的分类 #${id}`);
/** F1 below this reads as weak: the agent will often have to pick the category herself */
const WEAK = 0.6;

/**
 * 第四条 智能分类, for the admin: the model in use category by category on its held-out tickets, weakest first, with
 * the category its tickets were most often mistaken for — where to look at keywords or at two overlapping matters.
 */
/** 可用 / 已停用 / 已合并到「…」: whether the model's category is still suggested, and as what. */
const usableText = (r: CategoryFiguresRow) =>
  r.usable ? '可用' : r.mergedInto ? `已合并到「${r.mergedInto.path.join(' / ')}」` : '已停用';

export function ModelCategoryFigures({ modelId }: { modelId: number }) {
  const figures = useAsync(() => classificationApi.modelCategories(modelId), [modelId]);
  const rows = figures.data?.items ?? [];
  const level1 = [...new Set(rows.map((r) => r.path[0] ?? '—'))].sort();
  const exportRows = (format: 'csv' | 'xlsx') =>
    downloadTable(
      format,
      `智能分类模型${modelId}各分类表现`,
      ['事项分类', '是否可用', '留出样本', '精确率', '召回率', 'F1', '最常误判为', '误判次数'],
      rows.map((r) => [
        pathText(r.path, r.categoryId),
        usableText(r),
        r.support,
        pct(r.precision),
        pct(r.recall),
        pct(r.f1),
        r.confusedWith ? pathText(r.confusedWith.path, r.confusedWith.categoryId) : '',
        r.confusedWith?.count ?? '',
      ]),
      { model: modelId },
    );

  return (
    <Card
      size="small"
      title={`各分类表现（在用模型 #${modelId}，留出样本 ${figures.data?.holdout ?? '—'} 件）`}
      extra={<ExportMenu size="small" onExport={exportRows} disabled={!rows.length} />}
      style={{ marginBottom: 12 }}
      data-testid="model-category-figures"
    >
      <ErrorAlert message={figures.errorText} />
      {figures.data && !figures.data.recorded ? (
        <Empty description="该版本训练时尚未记录各分类表现：重新训练后可见" />
      ) : (
        <>
          <Table<CategoryFiguresRow>
            size="small"
            rowKey="categoryId"
            loading={figures.loading}
            dataSource={rows}
            pagination={{ pageSize: 10, showSizeChanger: true }}
            columns={[
              {
                title: '事项分类',
                filters: level1.map((l) => ({ text: l, value: l })),
                onFilter: (v, r) => (r.path[0] ?? '—') === v,
                render: (_, r) => (
                  <>
                    {pathText(r.path, r.categoryId)}
                    {!r.usable && (
                      <Tag color={r.mergedInto ? 'blue' : undefined} style={{ marginLeft: 6 }}>
                        {usableText(r)}
                      </Tag>
                    )}
                  </>
                ),
              },
              { title: '留出样本', dataIndex: 'support', sorter: (a, b) => a.support - b.support },
              { title: '精确率', dataIndex: 'precision', render: pct, sorter: (a, b) => a.precision - b.precision },
              { title: '召回率', dataIndex: 'recall', render: pct, sorter: (a, b) => a.recall - b.recall },
              {
                title: 'F1',
                dataIndex: 'f1',
                sorter: (a, b) => a.f1 - b.f1,
                render: (v: number) => (v < WEAK ? <Typography.Text type="danger">{pct(v)}</Typography.Text> : pct(v)),
              },
              {
                title: '最常误判为',
                render: (_, r) =>
                  r.confusedWith
                    ? `${pathText(r.confusedWith.path, r.confusedWith.categoryId)}（${r.confusedWith.count} 件）`
                    : '—',
              },
            ]}
          />
          <Flex justify="space-between" wrap gap={8}>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              按 F1 从低到高排列。F1 低的分类：补充其关键词，或核对它与“最常误判为”的分类的界限。
              <Link to="/admin/categories">编辑事项分类与关键词</Link>
            </Typography.Text>
            {figures.data?.ece !== null && figures.data?.ece !== undefined && (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                置信度校准误差 {pct(figures.data.ece)}（越小越可信：置信度 80% 的建议约有八成正确）
              </Typography.Text>
            )}
          </Flex>
        </>
      )}
    </Card>
  );
}

import { useMemo, useState } from 'react';
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Empty,
  Flex,
  Popconfirm,
  Select,
  Space,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import { ExperimentOutlined, RollbackOutlined } from '@ant-design/icons';
import type { EChartsCoreOption } from 'echarts/core';
import { classificationApi, type ClassifierModelRow, type TreeChanges } from '../../api/classification';
import { errorMessage } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { downloadTable } from '../../lib/csv';
import { ExportMenu } from '../../components/ExportMenu';
import { fmtDateTime } from '../../lib/format';
import { useAsync } from '../../lib/useAsync';
import { EChart } from '../overview/EChart';
import { ModelCategoryFigures } from '../../components/classification/ModelCategoryFigures';

const STATUS: Record<ClassifierModelRow['status'], { label: string; color: string }> = {
  active: { label: '使用中', color: 'green' },
  retired: { label: '已停用', color: 'default' },
  rejected: { label: '未通过评估', color: 'red' },
  candidate: { label: '待评估', color: 'processing' },
};
const ROLE: Record<string, string> = { agent: '话务员', dispatcher: '派单员' };
const pct = (n: number | undefined) => (n === undefined ? '—' : `${(n * 100).toFixed(1)}%`);
const rate = (part: number, whole: number) => (whole ? part / whole : undefined);
/** a 95 % interval in whole percents: its ends are not known to a tenth of a point */
const interval = ([lo, hi]: [number, number]) => `${Math.round(lo * 100)}–${Math.round(hi * 100)}%`;

/**
 * 第四条 智能分类 for the admin: the model in use and its figures on held-out tickets, every trained model with its
 * gate result, 立即训练 and 回滚, and how often agents and dispatchers take the suggestions (per week, per category).
 */
export default function ClassificationPage() {
  const { message } = App.useApp();
  const [weeks, setWeeks] = useState(12);
  const [busy, setBusy] = useState<string | null>(null);
  const models = useAsync(() => classificationApi.models(), []);
  const rates = useAsync(() => classificationApi.takeRates(weeks), [weeks]);
  const active = models.data?.items.find((m) => m.status === 'active');

  const act = async (key: string, f: () => Promise<string>) => {
    setBusy(key);
    try {
      message.success(await f());
      await Promise.all([models.reload(), rates.reload()]);
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setBusy(null);
    }
  };

  const chart = useMemo<EChartsCoreOption>(() => {
    const byWeek = new Map<string, { shown: number; first: number; any: number }>();
    for (const w of rates.data?.weeks ?? []) {
      const x = byWeek.get(w.week) ?? { shown: 0, first: 0, any: 0 };
      x.shown += w.shown;
      x.first += w.firstTaken;
      x.any += w.anyTaken;
      byWeek.set(w.week, x);
    }
    const keys = [...byWeek.keys()].sort();
    const series = (f: (x: { shown: number; first: number; any: number }) => number) =>
      keys.map((k) => {
        const x = byWeek.get(k)!;
        return x.shown ? Math.round((f(x) / x.shown) * 1000) / 10 : 0;
      });
    return {
      tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => `${String(v)}%` },
      legend: { data: ['采纳第一建议', '采纳前三建议之一'] },
      grid: { left: 48, right: 16, top: 36, bottom: 32 },
      xAxis: { type: 'category', data: keys.map((k) => `${k} 周`) },
      yAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
      series: [
        { name: '采纳第一建议', type: 'bar', data: series((x) => x.first) },
        { name: '采纳前三建议之一', type: 'bar', data: series((x) => x.any) },
      ],
    };
  }, [rates.data]);

  const categoryRows = rates.data?.categories ?? [];
  const exportCategories = (format: 'csv' | 'xlsx') =>
    downloadTable(
      format,
      '智能分类采纳率',
      ['事项分类', '角色', '建议次数', '采纳第一建议', '采纳前三之一', '第一建议采纳率', '前三采纳率'],
      categoryRows.map((r) => [
        r.name,
        ROLE[r.role] ?? r.role,
        r.shown,
        r.firstTaken,
        r.anyTaken,
        pct(rate(r.firstTaken, r.shown)),
        pct(rate(r.anyTaken, r.shown)),
      ]),
      { weeks },
    );

  return (
    <div data-testid="classification-admin">
      <PageHeader
        title="智能分类"
        sub="第四条 智能化：事项分类建议由本平台的历史工单训练，新模型在留出样本上不低于在用模型才会启用"
        extra={
          <Button
            type="primary"
            icon={<ExperimentOutlined />}
            loading={busy === 'train'}
            data-testid="train-now"
            onClick={() =>
              void act('train', async () => {
                const r = await classificationApi.train();
                return r.outcome === 'active'
                  ? `模型 #${r.modelId} 已训练并启用（${r.examples} 件工单）`
                  : `模型 #${r.modelId} 未通过评估，仍使用原模型`;
              })
            }
          >
            立即训练
          </Button>
        }
      />
      <ErrorAlert message={models.errorText ?? rates.errorText} />
      <Card size="small" title="在用模型" style={{ marginBottom: 12 }}>
        {active ? (
          <Descriptions size="small" column={4} data-testid="active-model">
            <Descriptions.Item label="版本">#{active.id}</Descriptions.Item>
            <Descriptions.Item label="训练时间">{fmtDateTime(active.trainedAt)}</Descriptions.Item>
            <Descriptions.Item label="训练样本">{active.examples.toLocaleString('zh-CN')} 件</Descriptions.Item>
            <Descriptions.Item label="事项分类">{active.categories} 个</Descriptions.Item>
            <Descriptions.Item label="留出样本">{active.evaluation.holdout ?? 0} 件</Descriptions.Item>
            <Descriptions.Item label="准确率">{pct(active.evaluation.model?.accuracy)}</Descriptions.Item>
            <Descriptions.Item label="宏平均 F1">
              <span style={{ whiteSpace: 'nowrap' }}>
                {pct(active.evaluation.model?.macroF1)}
                {active.evaluation.model?.macroF1Interval && (
                  <Typography.Text type="secondary" data-testid="macro-f1-interval">
                    （95% 区间 {interval(active.evaluation.model.macroF1Interval)}）
                  </Typography.Text>
                )}
              </span>
            </Descriptions.Item>
            <Descriptions.Item label="前三命中率">{pct(active.evaluation.model?.top3)}</Descriptions.Item>
          </Descriptions>
        ) : (
          <Empty description="尚无训练好的模型：建议暂由分类名称和关键词给出（冷启动）" />
        )}
      </Card>
      {active && models.data?.activeTreeChanges && <TreeChangesAlert changes={models.data.activeTreeChanges} />}
      {active && <ModelCategoryFigures modelId={active.id} />}
      <Card size="small" title="模型版本" style={{ marginBottom: 12 }}>
        <Table<ClassifierModelRow>
          size="small"
          rowKey="id"
          loading={models.loading}
          dataSource={models.data?.items ?? []}
          pagination={{ pageSize: 10 }}
          columns={[
            { title: '版本', dataIndex: 'id', render: (v: number) => `#${v}` },
            {
              title: '状态',
              dataIndex: 'status',
              filters: Object.entries(STATUS).map(([value, s]) => ({ text: s.label, value })),
              onFilter: (v, r) => r.status === v,
              render: (s: ClassifierModelRow['status']) => <Tag color={STATUS[s].color}>{STATUS[s].label}</Tag>,
            },
            { title: '训练时间', dataIndex: 'trainedAt', render: (v: string) => fmtDateTime(v) },
            { title: '样本', dataIndex: 'examples' },
            {
              title: '宏平均 F1',
              render: (_, r) => {
                const ci = r.evaluation.model?.macroF1Interval;
                return ci ? (
                  <Tooltip title={`95% 区间 ${interval(ci)}：区间大幅重叠的两个版本，难分高下`}>
                    {pct(r.evaluation.model?.macroF1)}
                  </Tooltip>
                ) : (
                  pct(r.evaluation.model?.macroF1)
                );
              },
            },
            { title: '准确率', render: (_, r) => pct(r.evaluation.model?.accuracy) },
            { title: '前三命中', render: (_, r) => pct(r.evaluation.model?.top3) },
            {
              title: '同期在用模型 F1',
              render: (_, r) =>
                r.evaluation.active ? `#${r.evaluation.active.id} ${pct(r.evaluation.active.macroF1)}` : '—',
            },
            { title: '训练人', dataIndex: 'trainedBy', render: (v: string | null) => v ?? '定时任务' },
            { title: '说明', dataIndex: 'note', render: (v: string | null) => v ?? '' },
            {
              title: '操作',
              render: (_, r) =>
                r.status === 'retired' ? (
                  <Popconfirm
                    title={`回滚到模型 #${r.id}？`}
                    description="当前使用的模型将停用，建议立即改由该版本给出"
                    onConfirm={() =>
                      void act(`rollback-${r.id}`, async () => {
                        await classificationApi.activate(r.id);
                        return `已回滚到模型 #${r.id}`;
                      })
                    }
                  >
                    <Button size="small" icon={<RollbackOutlined />} loading={busy === `rollback-${r.id}`}>
                      回滚到此版本
                    </Button>
                  </Popconfirm>
                ) : null,
            },
          ]}
        />
      </Card>
      <Card
        size="small"
        title="建议采纳率"
        extra={
          <Space>
            <Select
              size="small"
              value={weeks}
              onChange={setWeeks}
              options={[4, 12, 26, 52].map((n) => ({ value: n, label: `近 ${n} 周` }))}
              aria-label="统计周数"
            />
            <ExportMenu size="small" onExport={exportCategories} disabled={!categoryRows.length} />
          </Space>
        }
      >
        {rates.data?.weeks.length ? (
          <EChart option={chart} height={240} />
        ) : (
          <Empty description="还没有采纳记录：话务员生成工单、派单员更正分类时记录" />
        )}
        <Typography.Title level={5}>按事项分类</Typography.Title>
        <Table
          size="small"
          rowKey={(r) => `${r.categoryId}-${r.role}`}
          loading={rates.loading}
          dataSource={categoryRows}
          pagination={{ pageSize: 20 }}
          data-testid="take-rate-table"
          columns={[
            {
              title: '事项分类',
              dataIndex: 'name',
              filters: [...new Set(categoryRows.map((r) => r.name))].map((n) => ({ text: n, value: n })),
              onFilter: (v, r) => r.name === v,
            },
            {
              title: '角色',
              dataIndex: 'role',
              filters: Object.entries(ROLE).map(([value, text]) => ({ text, value })),
              onFilter: (v, r) => r.role === v,
              render: (v: string) => ROLE[v] ?? v,
            },
            { title: '建议次数', dataIndex: 'shown', sorter: (a, b) => a.shown - b.shown },
            { title: '第一建议采纳率', render: (_, r) => pct(rate(r.firstTaken, r.shown)) },
            { title: '前三采纳率', render: (_, r) => pct(rate(r.anyTaken, r.shown)) },
          ]}
        />
        <Flex justify="end">
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            自 {rates.data?.since ?? '—'} 起（周一为一周之始）
          </Typography.Text>
        </Flex>
      </Card>
    </div>
  );
}

/**
 * 事项分类 changed since the model in use was trained: a new category cannot be suggested until the model is trained
 * again, a merged one is suggested as its successor meanwhile, a retired one no longer at all — so the admin knows
 * when 立即训练 is worth it.
 */
function TreeChangesAlert({ changes }: { changes: TreeChanges }) {
  const { added, merged, retired } = changes;
  if (!added.length && !merged.length && !retired.length) return null;
  const names = (xs: Array<{ path: string[] }>) =>
    xs
      .slice(0, 5)
      .map((x) => x.path.join(' / '))
      .join('、') + (xs.length > 5 ? ` 等 ${xs.length} 个` : '');
  return (
    <Alert
      type="warning"
      showIcon
      style={{ marginBottom: 12 }}
      data-testid="tree-changes"
      message="事项分类在该模型训练后有变动：系统将在一小时内自动重新训练，也可点击「立即训练」"
      description={
        <ul style={{ margin: 0, paddingInlineStart: 18 }}>
          {added.length > 0 && (
            <li>
              新增 {added.length} 个，暂不能建议：{names(added)}
            </li>
          )}
          {merged.length > 0 && (
            <li>
              合并 {merged.length} 个，已改为建议目标分类：
              {merged
                .slice(0, 5)
                .map((m) => `${m.path.join(' / ')} → ${m.into.path.join(' / ')}`)
                .join('、')}
              {merged.length > 5 ? ` 等 ${merged.length} 个` : ''}
            </li>
          )}
          {retired.length > 0 && (
            <li>
              停用 {retired.length} 个，不再建议：{names(retired)}
            </li>
          )}
        </ul>
      }
    />
  );
}

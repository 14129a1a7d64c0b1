import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { App, Button, Card, DatePicker, Empty, Segmented, Select, Space, Table, Tabs, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { serverNow } from '../../api/client';
import { assessmentApi, type Results, type UnitScore } from '../../api/assessment';
import { errorMessage } from '../../api/client';
import { useMe } from '../../auth/session';
import { ErrorAlert } from '../../components/ErrorAlert';
import { ExportMenu } from '../../components/ExportMenu';
import { PageHeader } from '../../components/PageHeader';
import { downloadTable } from '../../lib/csv';
import { fmtDateTime } from '../../lib/format';
import { hasRole, isCentre } from '../../lib/permissions';
import { useAsync } from '../../lib/useAsync';
import { INDICATOR_LABELS } from '../../../shared/contracts/assessment';
import { EChart } from '../overview/EChart';
import { DrillDrawer } from './DrillDrawer';
import { COUNT_INDICATORS, fmtValue, monthKey, periodDay, periodLabel, quarterKey } from './period';

/** 考核结果 (第二十四条): scores and rankings per unit kind, frozen versions, drill-down to the tickets. */
export default function AssessmentResultsPage() {
  const me = useMe();
  const { message } = App.useApp();
  const [params, setParams] = useSearchParams();
  const period = params.get('period') ?? monthKey(dayjs(serverNow()));
  const version = params.get('version') ? Number(params.get('version')) : undefined;
  const kind = period.includes('Q') ? 'quarter' : 'month';
  const res = useAsync(() => assessmentApi.results(period, version), [period, version]);
  const [drill, setDrill] = useState<UnitScore | null>(null);
  const [busy, setBusy] = useState(false);
  const canFreeze = isCentre(me) && hasRole(me, 'supervisor', 'admin');
  const set = (p: string, v?: number) => setParams(v ? { period: p, version: String(v) } : { period: p });
  const freeze = async () => {
    setBusy(true);
    try {
      const r = await assessmentApi.freeze(period);
      message.success(`已生成 ${periodLabel(period)} 考核结果第 ${r.version} 版`);
      set(period);
      await res.reload();
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  const r = res.data;
  return (
    <>
      <PageHeader
        title="考核结果"
        sub="各类考核对象分别排名；生成（冻结）后的结果保存当时的数据与方案版本，申诉采纳后生成新版本（第二十四条）"
        extra={
          <>
            <Segmented
              value={kind}
              options={[
                { label: '月度', value: 'month' },
                { label: '季度', value: 'quarter' },
              ]}
              onChange={(v) => set(v === 'quarter' ? quarterKey(periodDay(period)) : monthKey(periodDay(period)))}
            />
            <DatePicker
              picker={kind}
              allowClear={false}
              value={periodDay(period)}
              onChange={(d) => d && set(kind === 'quarter' ? quarterKey(d) : monthKey(d))}
              data-testid="assessment-period"
            />
            {r && r.versions.length > 0 && (
              <Select
                style={{ width: 220 }}
                value={r.frozen?.version}
                onChange={(v) => set(period, v)}
                options={r.versions.map((v) => ({
                  value: v.version,
                  label: `第 ${v.version} 版 · ${fmtDateTime(v.computedAt)}`,
                }))}
                data-testid="assessment-version"
              />
            )}
            {canFreeze && (
              <Button type="primary" loading={busy} onClick={() => void freeze()} data-testid="assessment-freeze">
                生成考核结果
              </Button>
            )}
          </>
        }
      />
      <ErrorAlert message={res.errorText} onRetry={() => void res.reload()} />
      {r && (
        <Typography.Paragraph type="secondary" data-testid="assessment-status">
          {r.frozen ? (
            <>
              <Tag color="blue">已冻结 第 {r.frozen.version} 版</Tag>
              {r.frozen.reason}（{fmtDateTime(r.frozen.computedAt)}）
            </>
          ) : (
            <Tag>实时结果（尚未生成）</Tag>
          )}
        </Typography.Paragraph>
      )}
      {r && <Groups r={r} onDrill={setDrill} />}
      {drill && r && (
        <DrillDrawer
          period={r.period.key}
          unit={drill}
          frozenVersion={r.frozen?.version}
          onClose={() => setDrill(null)}
          onChanged={() => void res.reload()}
        />
      )}
    </>
  );
}

function Groups({ r, onDrill }: { r: Results; onDrill: (u: UnitScore) => void }) {
  const groups = r.groups.filter((g) => g.units.length > 0 || g.unitsRanked > 0);
  if (groups.length === 0) return <Empty description="该考核期没有可考核的数据" />;
  return (
    <Tabs
      items={groups.map((g) => ({
        key: g.unitGroup,
        label: `${g.label}（${g.unitsRanked}）`,
        children: <GroupTable r={r} g={g} onDrill={onDrill} />,
      }))}
    />
  );
}

function GroupTable({ r, g, onDrill }: { r: Results; g: Results['groups'][number]; onDrill: (u: UnitScore) => void }) {
  const indicators = g.units[0]?.indicators.map((i) => i.indicator) ?? [];
  const option = useMemo(
    () => ({
      animation: false,
      tooltip: { trigger: 'axis' },
      grid: { left: 48, right: 16, top: 40, bottom: 80 },
      xAxis: { type: 'category', data: g.units.map((u) => u.unitName), axisLabel: { rotate: 30, interval: 0 } },
      yAxis: { type: 'value', min: 0, max: 100, name: '得分' },
      series: [
        {
          type: 'bar',
          name: '得分',
          barMaxWidth: 48,
          data: g.units.map((u) => u.score),
          label: { show: true, position: 'top' },
        },
      ],
    }),
    [g],
  );
  const label = (i: string) => INDICATOR_LABELS[i as keyof typeof INDICATOR_LABELS] ?? i;
  const exportRows = (format: 'csv' | 'xlsx') =>
    downloadTable(
      format,
      `考核结果_${g.label}_${r.period.key}${r.frozen ? `_v${r.frozen.version}` : '_实时'}`,
      ['排名', '单位', '得分', ...indicators.flatMap((i) => [`${label(i)}`, `${label(i)}得分`])],
      g.units.map((u) => [
        u.rank,
        u.unitName,
        u.score,
        ...u.indicators.flatMap((i) => [
          fmtValue(COUNT_INDICATORS.has(i.indicator) ? 'count' : 'rate', i.value),
          i.points,
        ]),
      ]),
      { period: r.period.key, unitGroup: g.unitGroup, version: r.frozen?.version ?? null },
    );
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Typography.Text type="secondary">
        考核方案：{g.scheme ? `${g.scheme.name}（第 ${g.scheme.version} 版）` : '—'}
      </Typography.Text>
      {g.units.length > 1 && (
        <Card size="small">
          <EChart option={option} height={280} />
        </Card>
      )}
      <Table<UnitScore>
        size="small"
        rowKey="unitId"
        dataSource={g.units}
        pagination={false}
        scroll={{ x: 'max-content' }}
        title={() => (
          <Space>
            <ExportMenu size="small" onExport={exportRows} disabled={g.units.length === 0} />
          </Space>
        )}
        columns={[
          {
            title: '排名',
            dataIndex: 'rank',
            width: 60,
            fixed: 'left',
            render: (v: number) => `${v}/${g.unitsRanked}`,
          },
          {
            title: '单位',
            dataIndex: 'unitName',
            fixed: 'left',
            render: (v: string, u) => (
              <Button type="link" size="small" onClick={() => onDrill(u)} data-testid={`drill-${u.unitId}`}>
                {v}
              </Button>
            ),
          },
          {
            title: '得分',
            dataIndex: 'score',
            width: 80,
            render: (v: number) => <b data-testid="unit-score">{v.toFixed(2)}</b>,
          },
          ...indicators.map((key) => ({
            title: label(key),
            key,
            render: (_: unknown, u: UnitScore) => {
              const i = u.indicators.find((x) => x.indicator === key);
              if (!i) return '—';
              return (
                <span title={`${i.num}/${i.den}，得 ${i.points}/${i.weight} 分`}>
                  {fmtValue(COUNT_INDICATORS.has(key) ? 'count' : 'rate', i.value)}
                  <Typography.Text type="secondary"> ({i.points})</Typography.Text>
                </span>
              );
            },
          })),
        ]}
      />
    </Space>
  );
}

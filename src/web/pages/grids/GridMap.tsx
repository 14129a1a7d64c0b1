import { useMemo } from 'react';
import { ScatterChart } from 'echarts/charts';
import { AriaComponent, GeoComponent } from 'echarts/components';
import { Typography } from 'antd';
import { echarts } from '../overview/charts';
import { AnalyticsChart } from '../analytics/AnalyticsChart';
import { HEZE_COUNTIES, HEZE_MAP, countyBounds } from '../analytics/HezeMap';
import type { TownFigures } from '../../api/grids';

// 第二十九条 网格视图 map (issue 12): the town's grids as bubbles on the 热点分析 map's Heze boundaries (the same registered
// GeoJSON, zoomed to the town's county), sized by the period's volume and coloured by what is still open or overdue;
// a bubble clicked opens that grid's tickets as the table's numbers do. The grids' points are illustrative until the
// official grid list is loaded (docs/grids.md); a grid without a point is in the table only.
echarts.use([ScatterChart, GeoComponent, AriaComponent]);

type Grid = TownFigures['grids'][number];

/** The map's four colours, worst first: the legend names them, a reader need not rely on colour alone (tooltip). */
const STATES = [
  { key: 'overdue', label: '有超期', color: '#cf1322' },
  { key: 'open', label: '有未办结', color: '#d46b08' },
  { key: 'done', label: '均已办结', color: '#389e0d' },
  { key: 'none', label: '本期无工单', color: '#8c8c8c' },
] as const;
type State = (typeof STATES)[number]['key'];

export function stateOf(g: Pick<Grid, 'count' | 'open' | 'overdue'>): State {
  if (g.count === 0) return 'none';
  if (g.overdue > 0) return 'overdue';
  if (g.open > 0) return 'open';
  return 'done';
}

export function GridMap({
  townCode,
  townName,
  grids,
  onSelect,
}: {
  townCode: string;
  townName: string;
  grids: Grid[];
  onSelect: (g: Grid) => void;
}) {
  const placed = useMemo(() => grids.filter((g) => g.inGrid && g.centre), [grids]);
  const unplaced = grids.filter((g) => g.inGrid && !g.centre && !g.retired).length;
  const option = useMemo(() => {
    const b = countyBounds(townCode.slice(0, 6));
    const max = Math.max(1, ...placed.map((g) => g.count));
    const short = (name: string) => name.replace(townName, '') || name;
    return {
      animation: false,
      aria: { enabled: true, label: { description: `${townName}各网格工单分布图，共 ${placed.length} 个网格` } },
      tooltip: {
        trigger: 'item',
        formatter: (p: { data: { name: string; count: number; open: number; overdue: number } }) =>
          `${p.data.name}：${p.data.count} 件，未办结 ${p.data.open} 件，超期 ${p.data.overdue} 件`,
      },
      legend: { bottom: 4, left: 8, data: STATES.map((s) => s.label) },
      geo: {
        map: HEZE_MAP,
        roam: true,
        // the county fills the view; the neighbouring counties stay as context around it
        ...(b ? { center: [(b[0] + b[2]) / 2, (b[1] + b[3]) / 2], zoom: zoomFor(b) } : {}),
        label: { show: true, color: '#8c8c8c', fontSize: 11 },
        itemStyle: { areaColor: '#f5f5f5', borderColor: '#bfbfbf' },
        emphasis: { disabled: true },
        regions: b
          ? [{ name: nameOfCounty(townCode), itemStyle: { areaColor: '#e6f4ff', borderColor: '#69b1ff' } }]
          : [],
      },
      series: STATES.map((s) => ({
        name: s.label,
        type: 'scatter',
        coordinateSystem: 'geo',
        itemStyle: { color: s.color, opacity: 0.85, borderColor: '#fff', borderWidth: 1 },
        label: {
          show: true,
          position: 'right',
          fontSize: 11,
          color: '#262626',
          formatter: (p: { data: { short: string; count: number } }) => `${p.data.short} ${p.data.count}`,
        },
        data: placed
          .filter((g) => stateOf(g) === s.key)
          .map((g) => ({
            name: g.name,
            short: short(g.name),
            code: g.code,
            count: g.count,
            open: g.open,
            overdue: g.overdue,
            value: [g.centre!.lng, g.centre!.lat, g.count],
            symbolSize: 12 + 28 * Math.sqrt(g.count / max),
          })),
      })),
    };
  }, [placed, townCode, townName]);
  return (
    <>
      <AnalyticsChart
        option={option}
        height={480}
        testId="grid-map"
        onClick={(p) => {
          const code = (p.data as { code?: string } | undefined)?.code;
          const g = code ? grids.find((x) => x.code === code) : undefined;
          if (g) onSelect(g);
        }}
      />
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        气泡大小为本期工单量，颜色为办理状态；网格位置为示意（中心点在“网格管理”中设置）
        {unplaced > 0 ? `；${unplaced} 个网格未设置中心点，只在表格中显示` : ''}。
      </Typography.Text>
    </>
  );
}

/** The zoom that makes a county's box fill the view, relative to the whole map's (Heze's) box. */
function zoomFor(b: [number, number, number, number]) {
  const all = HEZE_COUNTIES.map((c) => countyBounds(c.code)).filter((x) => x !== null);
  const heze = [
    Math.min(...all.map((x) => x[0])),
    Math.min(...all.map((x) => x[1])),
    Math.max(...all.map((x) => x[2])),
    Math.max(...all.map((x) => x[3])),
  ];
  return Math.max(1, Math.min((heze[2]! - heze[0]!) / (b[2] - b[0]), (heze[3]! - heze[1]!) / (b[3] - b[1])) * 0.95);
}

function nameOfCounty(townCode: string) {
  return HEZE_COUNTIES.find((c) => c.code === townCode.slice(0, 6))?.name ?? '';
}

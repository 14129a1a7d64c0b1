// 第二十八条 季节预测、预案提醒、承办单位月度分析: the web's calls.
import { http } from './client';

export interface ForecastPoint {
  month: string;
  actual: number | null;
  expected: number | null;
  lower: number | null;
  upper: number | null;
  backtestError: number | null;
  models: { model: string; label: string; series: number }[];
}
export interface ForecastSeries {
  currentMonth: string;
  nextMonth: string;
  points: ForecastPoint[];
  next: ForecastPoint;
  computed: boolean;
}
export interface ForecastRise {
  regionCode: string;
  regionName: string;
  categoryId: number;
  categoryName: string;
  model: string;
  modelLabel: string;
  expected: number;
  lower: number;
  upper: number;
  backtestError: number | null;
  lastMonth: number;
  change: number;
  changePct: number | null;
}
export interface ForecastReminder {
  id: number;
  unitId: number;
  unitName: string;
  month: string;
  reason: string;
  reasonLabel: string;
  expected: number;
  average: number;
  lastYear: number | null;
  details: {
    regionName: string;
    categoryName: string;
    expected: number;
    average: number;
    lastYear: number;
  }[];
  acknowledgedAt: string | null;
  acknowledgedByName: string | null;
}
export interface UnitMonth {
  received: number;
  finished: number;
  onTime: number;
  onTimeDue: number;
  onTimeRate: number | null;
  rework: number;
  reworkBase: number;
  reworkRate: number | null;
  satisfied: number;
  surveyed: number;
  satisfactionRate: number | null;
  resolutionRate: number | null;
}
export interface UnitAnalysis {
  unit: { id: number; name: string };
  month: string;
  partial: boolean;
  previousMonth: string;
  lastYearMonth: string;
  current: UnitMonth;
  previous: UnitMonth;
  lastYear: UnitMonth | null;
  topCategories: { categoryId: number; name: string; tickets: number; share: number | null; previous: number }[];
  repeatRequesters: { requesters: number; tickets: number; previous: number };
}

type Filter = { region?: string; categoryId?: number };
const query = (q: Record<string, string | number | undefined>) =>
  new URLSearchParams(
    Object.entries(q)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, String(v)]),
  ).toString();

export const forecastApi = {
  series: (f: Filter & { months?: number }) => http.get<ForecastSeries>('/api/forecast/series', f),
  rises: (f: Filter & { limit?: number }) =>
    http.get<{ nextMonth: string; lastMonth: string; rows: ForecastRise[] }>('/api/forecast/rises', f),
  reminders: (unitId?: number) => http.get<{ reminders: ForecastReminder[] }>('/api/forecast/reminders', { unitId }),
  acknowledge: (id: number) => http.post<{ id: number; already: boolean }>(`/api/forecast/reminders/${id}/acknowledge`),
  unitAnalysis: (q: { month: string; unitId?: number }) => http.get<UnitAnalysis>('/api/unit-analysis', q),
  unitAnalysisFile: (q: { month: string; unitId?: number }, ext: 'pdf' | 'xlsx') =>
    `/api/unit-analysis/report.${ext}?${query(q)}`,
};

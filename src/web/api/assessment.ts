// 第二十四条 考核 and GB/T 33358 service figures: the web's calls. Request shapes are the shared zod contracts' inputs.
import type { z } from 'zod';
import type { createSchemeBody } from '../../shared/contracts/assessment';
import { http } from './client';
import type { Material } from './types';

export type CreateSchemeInput = z.input<typeof createSchemeBody>;

export interface SchemeLine {
  indicator: string;
  weight: number;
  target: number;
  cutoff: number;
}
export interface Scheme {
  id: number;
  unitGroup: string;
  version: number;
  name: string;
  effectiveFrom: string;
  effectiveTo: string | null;
  indicators: SchemeLine[];
  note: string | null;
  createdAt: string;
}
export interface IndicatorScore {
  indicator: string;
  num: number;
  den: number;
  value: number | null;
  weight: number;
  points: number;
}
export interface UnitScore {
  unitId: number;
  unitName: string;
  unitGroup: string;
  schemeId: number;
  indicators: IndicatorScore[];
  score: number;
  rank: number;
}
export interface ResultVersion {
  id: number;
  version: number;
  reason: string;
  appealId: number | null;
  computedAt: string;
}
export interface Results {
  period: { key: string; kind: 'month' | 'quarter'; from: string; to: string };
  frozen: ResultVersion | null;
  versions: ResultVersion[];
  groups: {
    unitGroup: string;
    label: string;
    unitsRanked: number;
    scheme: { id: number; version: number; name: string } | null;
    units: UnitScore[];
  }[];
}
export interface DrillItem {
  ticketId: number;
  number: string;
  title: string;
  status: string;
  day: string;
  num: number;
  den: number;
  against: boolean;
  appeal: { id: number; status: string } | null;
}
export interface Appeal {
  id: number;
  ticketId: number;
  unitId: number;
  indicator: string;
  indicatorLabel: string;
  period: string;
  reason: string;
  materials: Material[];
  counted: { num: number; den: number };
  status: 'pending' | 'accepted' | 'rejected';
  createdAt: string;
  decidedAt: string | null;
  decisionNote: string | null;
  ticketNumber?: string;
  ticketTitle?: string;
  unitName?: string;
}
export interface ServiceFigures {
  offered: number;
  answered: number;
  abandoned: number;
  answered15s: number;
  connectionRate: number | null;
  answered15sRate: number | null;
  averageWaitSeconds: number | null;
  averageTalkSeconds: number | null;
  textReceived: number;
  textAnswered3min: number;
  textAnswered3minRate: number | null;
}

export const assessmentApi = {
  schemes: () => http.get<{ items: Scheme[] }>('/api/assessment/schemes'),
  createScheme: (body: CreateSchemeInput) => http.post<Scheme>('/api/assessment/schemes', body),
  retireScheme: (id: number, effectiveTo: string) =>
    http.post<Scheme>(`/api/assessment/schemes/${id}/retire`, { effectiveTo }),
  settings: () => http.get<{ appealWindowWorkingDays: number }>('/api/assessment/settings'),
  updateSettings: (appealWindowWorkingDays: number) =>
    http.put<{ appealWindowWorkingDays: number }>('/api/assessment/settings', { appealWindowWorkingDays }),
  results: (period: string, version?: number) =>
    http.get<Results>('/api/assessment/results', { period, ...(version ? { version } : {}) }),
  freeze: (period: string) =>
    http.post<{ id: number; version: number; units: number }>('/api/assessment/results', { period }),
  verify: (id: number) =>
    http.get<{ identical: boolean; differences: unknown[] }>(`/api/assessment/results/${id}/verify`),
  drilldown: (q: { period: string; unitId: number; indicator: string; against?: boolean; after?: string }) =>
    http.get<{
      items: DrillItem[];
      nextAfter: string | null;
      label: string;
      current: { num: number; den: number };
    }>('/api/assessment/drilldown', {
      period: q.period,
      unitId: q.unitId,
      indicator: q.indicator,
      ...(q.against ? { against: 'true' } : {}),
      ...(q.after ? { after: q.after } : {}),
      limit: 50,
    }),
  appeals: (q: { status?: string; before?: number }) =>
    http.get<{ items: Appeal[]; nextBefore: number | null }>('/api/assessment/appeals', { ...q, limit: 100 }),
  appeal: (body: { ticketId: number; indicator: string; reason: string; materials?: Material[] }) =>
    http.post<Appeal>('/api/assessment/appeals', body),
  decide: (id: number, decision: 'accept' | 'reject', note: string) =>
    http.post<Appeal & { revised: { period: string; version: number }[] }>(`/api/assessment/appeals/${id}/decision`, {
      decision,
      note,
    }),
  serviceFigures: (from: string, to: string) =>
    http.get<{
      from: string;
      to: string;
      targets: { connectionRate: number; answered15sRate: number; textAnswered3minRate: number };
      total: ServiceFigures;
      days: (ServiceFigures & { day: string })[];
    }>('/api/assessment/service-figures', { from, to }),
};

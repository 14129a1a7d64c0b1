// 第二十七条 风险预警.
import type { WarningAction, WarningKind, WarningLevel, WarningStatus } from '../../shared/domain/warnings';
import type { TicketStatus } from './types';
import { http } from './client';

export interface WarningRow {
  id: number;
  kind: WarningKind;
  kindLabel: string;
  level: WarningLevel;
  levelName: string;
  status: WarningStatus;
  statusLabel: string;
  title: string;
  regionCode: string;
  regionName: string;
  categoryId: number | null;
  categoryName: string | null;
  windowStart: string;
  windowEnd: string;
  raisedAt: string;
  updatedAt: string;
  assigneeUserId: number | null;
  assigneeName: string | null;
  matterId: number | null;
  matterTitle: string | null;
}

export interface SpikeDay {
  day: string;
  count: number;
  expected: number | null;
  upper: number | null;
}
export interface WarningView extends WarningRow {
  closingNote: string | null;
  version: number;
  acknowledgedAt: string | null;
  assignedAt: string | null;
  closedAt: string | null;
  matterStatusLabel: string | null;
  evidence: {
    observed?: number;
    baseline?: number;
    z?: number;
    days?: Array<{ day: string; count: number; expected: number; score: number; level: WarningLevel }>;
    series?: SpikeDay[];
    requesters?: number;
    tickets?: number;
    threshold?: number;
    hours?: number;
    words?: string[];
    ticketNumber?: string;
  };
  tickets: Array<{ id: number; number: string; status: TicketStatus; statusLabel: string; createdAt: string }>;
  allowedActions: WarningAction[];
  events: Array<{
    id: number;
    action: string;
    fromStatus: string | null;
    toStatus: string | null;
    note: string | null;
    at: string;
    actorName: string;
  }>;
}

export interface WarningsQuery {
  kind?: WarningKind;
  level?: WarningLevel;
  status?: WarningStatus | 'open';
  regionCode?: string;
  categoryId?: number;
  from?: string;
  to?: string;
  before?: number;
  limit?: number;
}

export interface WarningWord {
  id: number;
  word: string;
  level: WarningLevel;
  active: boolean;
  updatedAt: string;
}
export interface WarningSettings {
  collectiveRequesters: number;
  collectiveHours: number;
  spikeSeries: number;
  version: number;
  updatedAt: string | null;
}
type Q = Record<string, string | number | undefined>;
type Step = { id: number; status: WarningStatus; version: number };

export const warningsApi = {
  list: (q: WarningsQuery) => http.get<{ items: WarningRow[]; next: number | null }>('/api/warnings', q as Q),
  get: (id: number) => http.get<WarningView>(`/api/warnings/${id}`),
  assignees: () => http.get<Array<{ id: number; name: string; roles: string[] }>>('/api/warnings/assignees'),
  acknowledge: (id: number, version?: number) => http.post<Step>(`/api/warnings/${id}/acknowledge`, { version }),
  assign: (id: number, userId: number, note?: string, version?: number) =>
    http.post<Step>(`/api/warnings/${id}/assign`, { userId, note: note || undefined, version }),
  link: (id: number, matterId: number, version?: number) =>
    http.post<Step>(`/api/warnings/${id}/link`, { matterId, version }),
  close: (id: number, note: string, version?: number) =>
    http.post<Step>(`/api/warnings/${id}/close`, { note, version }),
  exportUrl: (q: WarningsQuery, format: 'csv' | 'xlsx') => {
    const p = new URLSearchParams({ format });
    for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== null && v !== '') p.set(k, String(v));
    return `/api/warnings/export?${p.toString()}`;
  },
  rules: () => http.get<{ words: WarningWord[]; settings: WarningSettings; canEdit: boolean }>('/api/warning-rules'),
  addWord: (body: { word: string; level: WarningLevel; active: boolean }) =>
    http.post<WarningWord>('/api/warning-rules/words', body),
  updateWord: (id: number, body: Partial<{ word: string; level: WarningLevel; active: boolean }>) =>
    http.put<WarningWord>(`/api/warning-rules/words/${id}`, body),
  updateSettings: (body: {
    collectiveRequesters: number;
    collectiveHours: number;
    spikeSeries: number;
    version?: number;
  }) => http.put<WarningSettings>('/api/warning-rules/settings', body),
};

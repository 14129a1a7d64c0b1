// 第二十一条 信息公开: the web's calls — the centre's workflow and the portal's public reading.
import type { DisclosureReport, DisclosureStatus } from '../../shared/contracts/disclosure';
import { http } from './client';

export type { DisclosureReport };

export interface DisclosureListItem {
  id: number;
  month: string;
  version: number;
  status: DisclosureStatus;
  statusLabel: string;
  correctionNote: string | null;
  createdAt: string;
  createdBy: string | null;
  publishedAt: string | null;
  publishedBy: string | null;
}
export interface DisclosureCase {
  ticketId: number;
  ticketNumber: string;
  title: string;
  category: string;
  unit: string;
  summary: string;
}
export interface DisclosureDetail {
  id: number;
  month: string;
  regionCode: string;
  version: number;
  status: DisclosureStatus;
  statusLabel: string;
  foreword: string;
  correctionNote: string | null;
  reviewNote: string | null;
  cases: DisclosureCase[];
  createdBy: string | null;
  createdById: number;
  createdAt: string;
  submittedBy: string | null;
  submittedAt: string | null;
  publishedBy: string | null;
  publishedAt: string | null;
  report: DisclosureReport;
  problems: { path: string; problem: string }[];
}
export interface PublicMonths {
  region: { code: string; name: string | null };
  regions: { code: string; name: string }[];
  months: { month: string; version: number; corrected: boolean; publishedAt: string; updatedAt: string }[];
}
export interface PublicMonth {
  report: DisclosureReport;
  latestVersion: number;
  versions: { version: number; publishedAt: string; correctionNote: string | null }[];
}

export const disclosureApi = {
  list: (regionCode?: string) =>
    http.get<{ region: { code: string; name: string }; items: DisclosureListItem[] }>('/api/disclosure/reports', {
      regionCode,
    }),
  get: (id: number) => http.get<DisclosureDetail>(`/api/disclosure/reports/${id}`),
  create: (body: { month: string; regionCode?: string; correctionNote?: string }) =>
    http.post<DisclosureDetail>('/api/disclosure/reports', body),
  update: (
    id: number,
    body: {
      foreword?: string;
      correctionNote?: string;
      cases?: { ticketNumber: string; title: string; summary: string }[];
    },
  ) => http.put<DisclosureDetail>(`/api/disclosure/reports/${id}`, body),
  regenerate: (id: number) => http.post<DisclosureDetail>(`/api/disclosure/reports/${id}/regenerate`),
  submit: (id: number) => http.post<DisclosureDetail>(`/api/disclosure/reports/${id}/submit`),
  returnToDraft: (id: number, note: string) =>
    http.post<DisclosureDetail>(`/api/disclosure/reports/${id}/return`, { note }),
  publish: (id: number) => http.post<DisclosureDetail>(`/api/disclosure/reports/${id}/publish`),
  discard: (id: number) => http.del<{ id: number }>(`/api/disclosure/reports/${id}`),
  public: {
    months: (region?: string) => http.get<PublicMonths>('/api/public/disclosure', { region }),
    month: (month: string, region?: string, version?: number) =>
      http.get<PublicMonth>(`/api/public/disclosure/${encodeURIComponent(month)}`, { region, version }),
    dataUrl: (month: string, format: 'csv' | 'json', region?: string, version?: number) => {
      const q = new URLSearchParams();
      if (region) q.set('region', region);
      if (version) q.set('version', String(version));
      const s = q.toString();
      return `/api/public/disclosure/data/${month}.${format}${s ? `?${s}` : ''}`;
    },
  },
};

// 等保 2.0 安全审计: the administrators' audit for the auditor, and the record every screen export leaves first.
import type { z } from 'zod';
import type { adminAuditQuery, exportRecordBody } from '../../shared/contracts/audit';
import { http } from './client';

export interface AdminAuditEntry {
  id: number;
  at: string;
  userId: number | null;
  username: string | null;
  actorName: string | null;
  entity: string;
  entityLabel: string;
  entityId: string;
  targetName: string | null;
  action: string;
  actionLabel: string;
  before: unknown;
  after: unknown;
  sourceIp: string | null;
  requestId: string | null;
}

export type AdminAuditQuery = z.input<typeof adminAuditQuery>;

function params(q: object): URLSearchParams {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q))
    if ((typeof v === 'string' && v !== '') || typeof v === 'number') p.set(k, String(v));
  return p;
}

export const auditApi = {
  adminAudit: (q: AdminAuditQuery) =>
    http.get<{ items: AdminAuditEntry[]; next: number | null }>(
      '/api/audit/admin',
      q as Record<string, string | number | undefined>,
    ),
  /** the export URL for a download link (the browser sends the session cookie; the server logs the export) */
  adminAuditCsvUrl: (q: Omit<AdminAuditQuery, 'before' | 'limit'>) => {
    const s = params(q).toString();
    return `/api/audit/admin.csv${s ? `?${s}` : ''}`;
  },
  recordExport: (body: z.input<typeof exportRecordBody>) =>
    http.post<{ id: number; recordedAt: string }>('/api/audit/exports', body),
};

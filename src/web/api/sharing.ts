// 第三十条: the web's calls for data sharing (subscriptions, unit tokens) and the access log. Request shapes are the
// shared zod contracts' input types.
import type { z } from 'zod';
import type {
  ACCESS_KINDS,
  accessLogQuery,
  createSubscriptionBody,
  createUnitTokenBody,
  EventGroup,
  updateSubscriptionBody,
} from '../../shared/contracts/sharing';
import { http } from './client';

export interface Subscription {
  id: number;
  unitId: number;
  unitName?: string;
  name: string;
  url: string;
  eventGroups: EventGroup[];
  eventGroupLabels: string[];
  status: 'active' | 'paused';
  version: number;
  createdAt: string;
  previousSecretValidUntil: string | null;
  backoffUntil: string | null;
  consecutiveFailures: number;
  lastAttemptAt: string | null;
  lastSuccessAt: string | null;
  lastError: string | null;
  lastStatusCode: number | null;
  pending?: number;
  dead?: number;
}

export interface Delivery {
  id: number;
  eventId: string;
  ticketId: number | null;
  ticketNumber: string | null;
  kind: string;
  status: 'pending' | 'sending' | 'delivered' | 'dead';
  attempts: number;
  nextAttemptAt: string | null;
  lastError: string | null;
  lastStatusCode: number | null;
  replays: number;
  createdAt: string;
  deliveredAt: string | null;
  deadAt: string | null;
}

export interface UnitToken {
  id: number;
  name: string;
  scopes: string[] | null;
  createdAt: string;
  revokedAt: string | null;
  account: string;
  unitId: number;
  unitName: string;
  createdByName: string | null;
}

export type AccessKind = (typeof ACCESS_KINDS)[number];
export interface AccessEntry {
  id: number;
  at: string;
  kind: AccessKind;
  kindLabel: string;
  actorKind: 'person' | 'system';
  actorLabel: string;
  userId: number | null;
  userName: string | null;
  unitId: number | null;
  unitName: string | null;
  ticketIds: number[];
  /** the numbers of up to 5 tickets (null beyond) */
  ticketNumbers: Array<string | null>;
  filter: Record<string, unknown>;
  rowCount: number;
  contentSha256: string | null;
  requestId: string | null;
  hash: string;
}
export type AccessQuery = z.input<typeof accessLogQuery>;

export interface ChainReport {
  ok: boolean;
  checked: number;
  startsAfterId: number;
  firstBroken: { id: number; reason: 'prev_hash' | 'hash' } | null;
}

const toQuery = (q: object) => q as Record<string, string | number | undefined>;

export const sharingApi = {
  subscriptions: (unitId?: number) => http.get<{ items: Subscription[] }>('/api/sharing/subscriptions', { unitId }),
  createSubscription: (body: z.input<typeof createSubscriptionBody>) =>
    http.post<Subscription & { secret: string }>('/api/sharing/subscriptions', body),
  updateSubscription: (id: number, body: z.input<typeof updateSubscriptionBody>) =>
    http.patch<Subscription>(`/api/sharing/subscriptions/${id}`, body),
  rotateSecret: (id: number) =>
    http.post<Subscription & { secret: string; previousValidUntil: string }>(
      `/api/sharing/subscriptions/${id}/rotate-secret`,
    ),
  testDelivery: (id: number) =>
    http.post<{ deliveryId: number; ok: boolean; httpStatus: number | null; error: string | null }>(
      `/api/sharing/subscriptions/${id}/test`,
    ),
  deliveries: (id: number, q: { status?: Delivery['status']; before?: number; limit?: number }) =>
    http.get<{ items: Delivery[]; next: number | null }>(`/api/sharing/subscriptions/${id}/deliveries`, toQuery(q)),
  replay: (deliveryId: number) => http.post<{ replayed: number }>(`/api/sharing/deliveries/${deliveryId}/replay`),
  replayDead: (id: number) => http.post<{ replayed: number }>(`/api/sharing/subscriptions/${id}/replay-dead`),

  tokens: () => http.get<{ items: UnitToken[] }>('/api/admin/api-tokens'),
  issueToken: (body: z.input<typeof createUnitTokenBody>) =>
    http.post<{ id: number; token: string; name: string }>('/api/admin/api-tokens', body),
  revokeToken: (id: number) => http.post<{ id: number }>(`/api/admin/api-tokens/${id}/revoke`),

  accessLog: (q: AccessQuery) =>
    http.get<{ items: AccessEntry[]; next: number | null }>('/api/audit/access', toQuery(q)),
  verifyChain: () => http.get<ChainReport>('/api/audit/access/verify'),
  /** the export URL for a download link (the browser sends the session cookie) */
  accessCsvUrl: (q: Omit<AccessQuery, 'before' | 'limit'>) => {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries(q))
      if (typeof v === 'string' || typeof v === 'number') if (v !== '') p.set(k, String(v));
    const s = p.toString();
    return `/api/audit/access.csv${s ? `?${s}` : ''}`;
  },
};

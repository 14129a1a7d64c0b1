// 二级派单 (第十四至十六条): a lead unit passes an accepted ticket to one of its sub-units and stays the lead.
import type { z } from 'zod';
import type {
  SubDispatchItem,
  SubDispatchOptions,
  SubDispatchStatus,
  subDispatchBody,
  subExtensionBody,
  subReplyBody,
} from '../../shared/contracts/sub-dispatch';
import { http } from './client';

export type { SubDispatchItem, SubDispatchOptions, SubDispatchStatus };
export type SubDispatchInput = z.input<typeof subDispatchBody>;
export type SubReplyInput = z.input<typeof subReplyBody>;
export type SubExtensionInput = z.input<typeof subExtensionBody>;

export const subDispatchApi = {
  options: (ticketId: number) => http.get<SubDispatchOptions>(`/api/tickets/${ticketId}/sub-dispatch-options`),
  forTicket: (ticketId: number) => http.get<{ items: SubDispatchItem[] }>(`/api/tickets/${ticketId}/sub-dispatches`),
  queue: (q: { view: 'received' | 'sent'; status?: SubDispatchStatus[]; after?: string; limit?: number }) => {
    const p = new URLSearchParams({ view: q.view, limit: String(q.limit ?? 50) });
    if (q.status?.length) p.set('status', q.status.join(','));
    if (q.after) p.set('after', q.after);
    return http.get<{ items: SubDispatchItem[]; next: string | null }>(`/api/sub-dispatches?${p.toString()}`);
  },
  dispatch: (ticketId: number, body: SubDispatchInput) =>
    http.post<SubDispatchItem>(`/api/tickets/${ticketId}/sub-dispatches`, body),
  accept: (id: number) => http.post<{ id: number; status: string }>(`/api/sub-dispatches/${id}/accept`, {}),
  returnToParent: (id: number, reason: string) =>
    http.post<{ id: number; status: string }>(`/api/sub-dispatches/${id}/return`, { reason }),
  recall: (id: number, reason: string) =>
    http.post<{ id: number; status: string }>(`/api/sub-dispatches/${id}/recall`, { reason }),
  reply: (id: number, body: SubReplyInput) =>
    http.post<{ id: number; status: string }>(`/api/sub-dispatches/${id}/reply`, body),
  review: (id: number, decision: 'approve' | 'return', note?: string) =>
    http.post<{ id: number; status: string }>(`/api/sub-dispatches/${id}/review`, { decision, note }),
  applyExtension: (id: number, body: SubExtensionInput) =>
    http.post<{ id: number; status: string }>(`/api/sub-dispatches/${id}/extensions`, body),
  reviewExtension: (id: number, decision: 'approve' | 'reject', note?: string) =>
    http.post<{ id: number; status: string }>(`/api/sub-dispatch-extensions/${id}/review`, { decision, note }),
};

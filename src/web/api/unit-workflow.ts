// Issue 14, the dispatcher's and the unit's day: recall and reassign before acceptance, batch dispatch (第十四条).
import type { z } from 'zod';
import type {
  BatchDispatchResult,
  ReplySignoffItem,
  SignoffQueueItem,
  TicketSignoffs,
  UnitHandler,
  reassignBody,
  recallBody,
  signoffSubmitBody,
} from '../../shared/contracts/unit-workflow';
import type { TicketSummary } from './types';
import { http } from './client';

export type { BatchDispatchResult };
export type RecallInput = z.input<typeof recallBody>;
export type ReassignInput = z.input<typeof reassignBody>;

export const unitWorkflowApi = {
  recall: (id: number, body: RecallInput) => http.post<TicketSummary>(`/api/tickets/${id}/recall`, body),
  reassign: (id: number, body: ReassignInput) => http.post<TicketSummary>(`/api/tickets/${id}/reassign`, body),
  batchDispatch: (ticketIds: number[]) => http.post<BatchDispatchResult>('/api/tickets/dispatch-batch', { ticketIds }),
};

// 第十五条 审核: the handler's reply to the unit manager, the manager's decision, the admin's setting.
export type SignoffSubmitInput = z.input<typeof signoffSubmitBody>;
export type { ReplySignoffItem, SignoffQueueItem, TicketSignoffs };

export const signoffApi = {
  forTicket: (id: number) => http.get<TicketSignoffs>(`/api/tickets/${id}/reply-signoffs`),
  submit: (id: number, body: SignoffSubmitInput) => http.post<TicketSummary>(`/api/tickets/${id}/reply-signoffs`, body),
  queue: (after?: number) =>
    http.get<{ items: SignoffQueueItem[]; next: number | null }>('/api/reply-signoffs', { after, limit: 50 }),
  approve: (id: number, note?: string) => http.post<TicketSummary>(`/api/reply-signoffs/${id}/approve`, { note }),
  returnToHandler: (id: number, reason: string) =>
    http.post<TicketSummary>(`/api/reply-signoffs/${id}/return`, { reason }),
  settings: () => http.get<{ replySignoffUnitIds: number[] }>('/api/unit-workflow-settings'),
  setSetting: (unitId: number, replySignoff: boolean) =>
    http.put<{ unitId: number; replySignoff: boolean }>(`/api/units/${unitId}/reply-signoff`, { replySignoff }),
};

// 单位内部分办: the unit manager names a handler of the unit.
export type { UnitHandler };
export const handlerApi = {
  handlers: () => http.get<{ items: UnitHandler[] }>('/api/unit-handlers'),
  extensionLimit: (ticketId: number) =>
    http.get<{ max: number; used: number; remaining: number }>(`/api/tickets/${ticketId}/extension-limit`),
  assign: (ticketId: number, handlerId: number, expectedVersion?: number) =>
    http.post<TicketSummary>(`/api/tickets/${ticketId}/handler`, { handlerId, expectedVersion }),
};

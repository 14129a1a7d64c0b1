// 第十七条 回访未果 (issue 14).
import type { CallbackAttemptOutcome } from '../../shared/domain/callback-attempts';
import { http } from './client';

export interface CallbackAttemptPlan {
  attempts: Array<{ id: number; outcome: CallbackAttemptOutcome; note: string | null; at: string; agentName: string }>;
  unreached: number;
  distinctDays: number;
  closableAs: CallbackAttemptOutcome | null;
  nextTryAt: string | null;
}

export const callbackAttemptsApi = {
  plan: (ticketId: number) => http.get<CallbackAttemptPlan>(`/api/tickets/${ticketId}/callback/attempts`),
  record: (ticketId: number, outcome: CallbackAttemptOutcome, note?: string) =>
    http.post<Omit<CallbackAttemptPlan, 'attempts'>>(`/api/tickets/${ticketId}/callback/attempts`, {
      outcome,
      ...(note ? { note } : {}),
    }),
  closeWithout: (ticketId: number, note?: string) =>
    http.post<unknown>(`/api/tickets/${ticketId}/callback/close-unreached`, note ? { note } : {}),
};

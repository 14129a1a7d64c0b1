// 第二十二条 热线督办: rules, cases, cards.
import type {
  CaseAction,
  SupervisionMethod,
  SupervisionStatus,
  SupervisionTrigger,
} from '../../shared/domain/supervision';
import type { TicketStatus } from './types';
import { http } from './client';

export interface SupervisionCaseRow {
  id: number;
  number: string;
  trigger: SupervisionTrigger;
  status: SupervisionStatus;
  method: SupervisionMethod | null;
  level: 'county' | 'city';
  unit_id: number;
  unit_name: string;
  region_code: string;
  reason: string;
  round: number;
  due_at: string | null;
  created_at: string;
  answered_at: string | null;
  decision: string | null;
  version: number;
}

export interface SupervisionCaseView {
  case: SupervisionCaseRow & {
    cause_key: string;
    evidence: Record<string, unknown>;
    answer: string | null;
    decision_note: string | null;
    decided_at: string | null;
  };
  tickets: Array<{ id: number; number: string; title: string; status: TicketStatus; region_code: string }>;
  events: Array<{
    id: number;
    kind: string;
    at: string;
    actor_name: string | null;
    actor_unit_name: string | null;
    from_status: string | null;
    to_status: string | null;
    note: string | null;
    data: Record<string, unknown>;
  }>;
  actions: CaseAction[];
  /** the centre that supervises it (signs the notice) */
  centreName: string;
}

export interface SupervisionRule {
  id: number;
  code: SupervisionTrigger;
  version: number;
  enabled: boolean;
  mode: 'case' | 'proposal';
  thresholds: Record<string, unknown>;
  effective_from: string;
  effective_to: string | null;
  note: string | null;
  created_at: string;
  created_by_name: string | null;
  inForce: boolean;
}

export interface SupervisionCard {
  id: number;
  colour: 'yellow' | 'red';
  deadline_kind: string;
  due_at: string;
  at: string;
  unit_name: string | null;
}

export interface CaseListQuery {
  status?: string;
  trigger?: SupervisionTrigger;
  unitId?: number;
  overdue?: 'true';
  after?: string;
  limit?: number;
}

export const supervisionApi = {
  cases: (q: CaseListQuery) =>
    http.get<{ items: SupervisionCaseRow[]; next: string | null }>('/api/supervision/cases', { ...q }),
  view: (id: number) => http.get<SupervisionCaseView>(`/api/supervision/cases/${id}`),
  open: (body: {
    trigger: 'negative' | 'other';
    ticketIds: number[];
    unitId?: number;
    reason: string;
    source?: string;
    method: SupervisionMethod;
    answerDays: number;
  }) => http.post<SupervisionCaseRow>('/api/supervision/cases', body),
  confirm: (id: number, body: { method?: SupervisionMethod; answerDays?: number; note?: string }) =>
    http.post<SupervisionCaseRow>(`/api/supervision/cases/${id}/confirm`, body),
  dismiss: (id: number, note: string) =>
    http.post<SupervisionCaseRow>(`/api/supervision/cases/${id}/dismiss`, { note }),
  answer: (id: number, answer: string, version?: number) =>
    http.post<SupervisionCaseRow>(`/api/supervision/cases/${id}/answer`, { answer, version }),
  decide: (
    id: number,
    body: {
      decision: 'close' | 'supervise_again' | 'escalate';
      note: string;
      method?: SupervisionMethod;
      answerDays?: number;
      version?: number;
    },
  ) => http.post<SupervisionCaseRow>(`/api/supervision/cases/${id}/decide`, body),
  forTicket: (ticketId: number) =>
    http.get<{
      cards: SupervisionCard[];
      cases: Array<{
        id: number;
        number: string;
        trigger: SupervisionTrigger;
        status: SupervisionStatus;
        unit_name: string;
        due_at: string | null;
      }>;
    }>(`/api/supervision/tickets/${ticketId}`),
  cardBoard: (days: number) =>
    http.get<{ since: string; units: Array<{ unit_id: number; unit_name: string; yellow: number; red: number }> }>(
      '/api/supervision/cards',
      { days },
    ),
  rules: () => http.get<SupervisionRule[]>('/api/supervision/rules'),
  saveRule: (
    code: SupervisionTrigger,
    body: {
      enabled: boolean;
      mode: 'case' | 'proposal';
      thresholds: Record<string, unknown>;
      effectiveFrom?: string;
      note?: string;
    },
  ) => http.put<SupervisionRule>(`/api/supervision/rules/${code}`, body),
  noticePdfUrl: (id: number) => `/api/supervision/cases/${id}/notice.pdf`,
};

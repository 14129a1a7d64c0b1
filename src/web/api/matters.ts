// 第二十五、二十六条 专题治理.
import type { z } from 'zod';
import type { matterCreateBody, matterMinuteBody } from '../../shared/contracts/matters';
import type {
  JointField,
  MatterAction,
  MatterStatus,
  MatterTier,
  MinuteKind,
  TaskStatus,
} from '../../shared/domain/matters';
import type { TicketStatus } from './types';
import { http } from './client';

export interface MatterRow {
  id: number;
  title: string;
  status: MatterStatus;
  region_code: string;
  region_name: string;
  category_id: number | null;
  category_name: string | null;
  lead_unit_id: number;
  lead_unit_name: string;
  ticket_count: number;
  joint_field: JointField | null;
  task_count: number;
  tasks_done: number;
  created_at: string;
  updated_at: string;
}

export interface MatterTask {
  id: number;
  title: string;
  owner_unit_id: number;
  owner_unit_name: string;
  due_on: string | null;
  status: TaskStatus;
  result: string | null;
  version: number;
  created_at: string;
  updated_at: string;
  done_at: string | null;
  overdue: boolean;
  mine: boolean;
}

export interface MatterView {
  id: number;
  title: string;
  description: string;
  status: MatterStatus;
  version: number;
  plan: string | null;
  keywords: string | null;
  jointField: JointField | null;
  categoryId: number | null;
  categoryName: string | null;
  regionCode: string;
  regionName: string;
  leadUnitId: number;
  leadUnitName: string;
  leadUnitTier: MatterTier;
  createdByName: string;
  createdAt: string;
  updatedAt: string;
  resolvedAt: string | null;
  archivedAt: string | null;
  ticketCount: number;
  progress: { done: number; total: number; percent: number };
  canWrite: boolean;
  allowedActions: MatterAction[];
  /** 第二十九条: the supervisor, or the town leading the matter */
  canAddDemocraticMinute: boolean;
  units: Array<{ unit_id: number; unit_name: string; tier: MatterTier; role: string; added_at: string }>;
  tasks: MatterTask[];
  minutes: Array<{
    id: number;
    kind: MinuteKind;
    participants: string | null;
    held_on: string;
    unit_ids: number[];
    unitNames: string[];
    summary: string;
    decisions: string;
    created_at: string;
  }>;
  measures: Array<{
    id: number;
    title: string;
    content: string;
    issued_by: string | null;
    effective_on: string;
    created_at: string;
  }>;
  events: Array<{
    id: number;
    action: string;
    from_status: string | null;
    to_status: string | null;
    note: string | null;
    at: string;
    actor_name: string | null;
  }>;
  tickets: Array<{
    id: number;
    number: string;
    title: string;
    status: TicketStatus;
    statusLabel: string;
    created_at: string;
    region_name: string;
    lead_unit_name: string | null;
    linked_at: string;
  }>;
}

export interface MatterCandidate {
  id: number;
  number: string;
  title: string;
  excerpt: string;
  status: TicketStatus;
  statusLabel: string;
  categoryName: string;
  regionCode: string;
  regionName: string;
  createdAt: string;
  similarity: number;
}
export interface MatterCandidates {
  categoryId: number | null;
  regionCode: string | null;
  months: number;
  words: string[];
  items: MatterCandidate[];
}

export interface MatterFigures {
  months: Array<{ month: string; tickets: number }>;
  firstMeasureMonth: string | null;
  before: number | null;
  after: number | null;
  measures: Array<{ id: number; title: string; effectiveOn: string; month: string }>;
}

export interface UnitMatterTask {
  id: number;
  matter_id: number;
  matter_title: string;
  matter_status: MatterStatus;
  lead_unit_name: string;
  title: string;
  due_on: string | null;
  status: TaskStatus;
  result: string | null;
  version: number;
  created_at: string;
  updated_at: string;
  overdue: boolean;
}

export interface MattersQuery {
  status?: MatterStatus | 'open';
  regionCode?: string;
  leadUnitId?: number;
  jointField?: JointField | 'any';
  before?: number;
  limit?: number;
}
export interface CandidatesQuery {
  seedTicketId?: number;
  categoryId?: number;
  regionCode?: string;
  keywords?: string;
  months?: number;
  limit?: number;
}
export type MatterCreate = z.input<typeof matterCreateBody>;
export type MatterMinute = z.input<typeof matterMinuteBody>;
type Q = Record<string, string | number | undefined>;

export const mattersApi = {
  list: (q: MattersQuery) => http.get<MatterRow[]>('/api/matters', q as Q),
  get: (id: number) => http.get<MatterView>(`/api/matters/${id}`),
  create: (body: MatterCreate) => http.post<{ id: number; linked: number }>('/api/matters', body),
  candidates: (q: CandidatesQuery) => http.get<MatterCandidates>('/api/matters/candidates', q as Q),
  byTicket: (ticketId: number) =>
    http.get<{ matter: { id: number; title: string; status: MatterStatus; canOpen: boolean } | null }>(
      `/api/matters/by-ticket/${ticketId}`,
    ),
  unitTasks: (status: TaskStatus | 'active') => http.get<UnitMatterTask[]>('/api/matters/tasks', { status }),
  figures: (id: number) => http.get<MatterFigures>(`/api/matters/${id}/figures`),
  plan: (id: number, body: { plan: string; description?: string; version?: number }) =>
    http.put<unknown>(`/api/matters/${id}/plan`, body),
  link: (id: number, ticketIds: number[]) => http.post<{ linked: number }>(`/api/matters/${id}/tickets`, { ticketIds }),
  unlink: (id: number, ticketIds: number[], reason: string) =>
    http.post<{ unlinked: number }>(`/api/matters/${id}/tickets/unlink`, { ticketIds, reason }),
  addUnit: (id: number, body: { unitId: number; role: string }) => http.post<unknown>(`/api/matters/${id}/units`, body),
  removeUnit: (id: number, unitId: number) => http.del<unknown>(`/api/matters/${id}/units/${unitId}`),
  addTask: (id: number, body: { title: string; ownerUnitId: number; dueOn?: string }) =>
    http.post<unknown>(`/api/matters/${id}/tasks`, body),
  taskStatus: (id: number, taskId: number, body: { status: TaskStatus; result?: string; version?: number }) =>
    http.post<unknown>(`/api/matters/${id}/tasks/${taskId}/status`, body),
  addMinute: (id: number, body: MatterMinute) => http.post<unknown>(`/api/matters/${id}/minutes`, body),
  addMeasure: (id: number, body: { title: string; content: string; issuedBy?: string; effectiveOn: string }) =>
    http.post<unknown>(`/api/matters/${id}/measures`, body),
  transition: (id: number, body: { action: MatterAction; reason: string; version?: number }) =>
    http.post<unknown>(`/api/matters/${id}/transition`, body),
};

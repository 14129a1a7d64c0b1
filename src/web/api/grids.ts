// 第二十九条 网格化管理: the grid worker's 主动发现 reports and the town/street view (docs/grids.md).
import { http } from './client';

export interface GridRef {
  code: string;
  name: string;
}
export interface MyGrids {
  town: GridRef | null;
  grids: GridRef[];
}
export interface GridReportInput {
  gridCode: string;
  categoryId: number;
  requestType: 'help' | 'complaint' | 'suggestion';
  urgency: 'normal' | 'urgent';
  title: string;
  address: string;
  content: string;
}
export interface GridTicket {
  id: number;
  number: string;
  title: string;
  status: string;
  channel: string;
  regionCode: string;
  regionName: string;
  categoryName: string;
  leadUnitName: string | null;
  createdAt: string;
  mine: boolean;
}
export interface GridTicketDetail extends GridTicket {
  content: string;
  requestType: string;
  urgency: string;
  address: string | null;
  repliedAt: string | null;
  closedAt: string | null;
  steps: { kind: string; at: string; toStatus: string | null }[];
}
export type Source = 'all' | 'citizen' | 'grid';
export interface TownOption {
  code: string;
  name: string;
  path: string;
  grids: GridRef[];
}
export interface TownFigures {
  town: { code: string; name: string; path: string };
  period: { from: string; to: string };
  source: Source;
  totals: { tickets: number; citizen: number; proactive: number };
  groups: { id: number; name: string; count: number }[];
  grids: {
    code: string;
    name: string;
    inGrid: boolean;
    count: number;
    /** of count: not yet closed, and overdue (the map's colours) */
    open: number;
    overdue: number;
    /** the grid's centre point for the map, when its town has set one */
    centre: { lng: number; lat: number } | null;
    retired: boolean;
    byGroup: Record<string, number>;
  }[];
  topMatters: { id: number; name: string; count: number }[];
  hotGrids: {
    code: string;
    name: string;
    count: number;
    topMatterId: number | null;
    topMatter: string | null;
    topMatterCount: number;
  }[];
}
export interface TownDrillPage {
  items: {
    ticketId: number;
    number: string;
    title: string;
    status: string | null;
    day: string;
    regionCode: string;
    regionName: string;
    categoryName: string;
    channel: string;
  }[];
  next: string | null;
}
export interface TownDrillQuery {
  from: string;
  to: string;
  source: Source;
  region?: string;
  categoryId?: number;
  after?: string;
  limit?: number;
}

/** 网格管理 (issue 12): a town's grids as its manager keeps them. */
export interface AdminGrid {
  code: string;
  name: string;
  lng: number | null;
  lat: number | null;
  retired: boolean;
  workers: { id: number; name: string; active: boolean; assignedAt: string }[];
}
export interface AdminTown {
  town: GridRef;
  grids: AdminGrid[];
  candidates: { id: number; name: string; active: boolean; unitName: string }[];
}
export type Centre = { lng: number; lat: number } | null;
export interface GridHistoryItem {
  id: number;
  /** create, update, retire, reinstate or assign_workers */
  action: string;
  at: string;
  by: string | null;
  before: GridSnapshot | null;
  after: GridSnapshot | null;
}
export interface GridSnapshot {
  code: string;
  name: string;
  centre: Centre;
  retired: boolean;
  workers?: { id: number; name: string }[];
}

export const gridsApi = {
  adminTowns: () => http.get<{ towns: { code: string; name: string; path: string }[] }>('/api/grid-admin/towns'),
  adminTown: (code: string) => http.get<AdminTown>(`/api/grid-admin/towns/${code}`),
  createGrid: (town: string, body: { name: string; centre?: Centre }) =>
    http.post<GridSnapshot>(`/api/grid-admin/towns/${town}/grids`, body),
  updateGrid: (code: string, body: { name?: string; centre?: Centre; retired?: boolean }) =>
    http.patch<GridSnapshot>(`/api/grid-admin/grids/${code}`, body),
  setGridWorkers: (code: string, userIds: number[]) =>
    http.put<GridSnapshot>(`/api/grid-admin/grids/${code}/workers`, { userIds }),
  gridHistory: (code: string) => http.get<{ items: GridHistoryItem[] }>(`/api/grid-admin/grids/${code}/history`),
  mine: () => http.get<MyGrids>('/api/grids/mine'),
  report: (body: GridReportInput) =>
    http.post<{ id: number; number: string; status: string }>('/api/grids/reports', body),
  tickets: (q: { view: 'reported' | 'grid'; before?: number; limit?: number }) =>
    http.get<{ items: GridTicket[]; next: number | null }>('/api/grids/tickets', q),
  ticket: (id: number) => http.get<GridTicketDetail>(`/api/grids/tickets/${id}`),
  towns: () => http.get<{ towns: TownOption[]; today: string }>('/api/towns'),
  figures: (code: string, q: { from: string; to: string; source: Source }) =>
    http.get<TownFigures>(`/api/towns/${code}/figures`, q),
  townTickets: (code: string, q: TownDrillQuery) =>
    http.get<TownDrillPage>(`/api/towns/${code}/tickets`, q as unknown as Record<string, string | number | undefined>),
};

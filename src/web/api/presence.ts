// 坐席状态 (issue 14): the agent's 示闲/示忙/小休 and shift figures; the supervisors' board.
import type { BreakReason, PresenceState, SettableState } from '../../shared/domain/agent-presence';
import { http } from './client';

export interface Presence {
  state: PresenceState;
  label: string;
  reason: string | null;
  since: string | null;
}
export interface ShiftFigures {
  from: string;
  to: string;
  disposed: number;
  byDisposition: Record<string, number>;
  ticketsOpened: number;
  calls: number;
  avgCallSeconds: number | null;
  minutes: { available: number; busy: number; break: number };
}
export interface PresenceBoardRow extends Presence {
  userId: number;
  name: string;
}

export const presenceApi = {
  mine: () => http.get<Presence>('/api/presence/me'),
  set: (state: SettableState, reason?: BreakReason) =>
    http.put<Presence>('/api/presence/me', { state, ...(reason ? { reason } : {}) }),
  shift: (hours = 12) => http.get<ShiftFigures>('/api/presence/me/shift', { hours }),
  board: () => http.get<PresenceBoardRow[]>('/api/presence'),
};

// Issue 14: the units' notifications (the bell) and the admin's per-unit SMS phone for deadlines about to breach.
import type {
  NotificationItem,
  NotificationsPage,
  UnitNotifyPhone,
  UnreadCount,
} from '../../shared/contracts/notifications';
import { http } from './client';

export type { NotificationItem, NotificationsPage, UnitNotifyPhone, UnreadCount };

export const notificationsApi = {
  list: (before?: number, limit = 10) => http.get<NotificationsPage>('/api/notifications', { before, limit }),
  unread: () => http.get<UnreadCount>('/api/notifications/unread'),
  readUpTo: (upTo: number) => http.post<{ readUpTo: number }>('/api/notifications/read', { upTo }),
  readAll: () => http.post<{ readUpTo: number }>('/api/notifications/read', { all: true }),
};

export const notifyPhoneApi = {
  list: () => http.get<{ items: UnitNotifyPhone[] }>('/api/unit-notify-phones'),
  set: (unitId: number, phone: string | null) =>
    http.put<{ unitId: number; phone: string | null }>(`/api/units/${unitId}/notify-phone`, { phone }),
};

import { z } from 'zod';
import type { NotificationLevel } from '../domain/notifications.js';

// Issue 14: the units' notifications (the bell) and the phone a unit is told on by SMS. Shared by server and web.

/** A feed row id (unit_feed.id, bigint): a positive whole number that JavaScript holds exactly. */
const feedId = (message = '通知编号不正确') =>
  z.coerce.number({ error: message }).int(message).positive(message).max(Number.MAX_SAFE_INTEGER, message);

export const notificationsQuery = z.object({
  before: feedId().optional().describe('keyset: the id of the last notification of the previous page'),
  limit: z.coerce
    .number({ error: '条数不正确' })
    .int('条数不正确')
    .min(1, '条数不正确')
    .max(100, '每页最多 100 条')
    .default(20),
});

export const notificationsReadBody = z
  .object({
    upTo: z
      .number({ error: '通知编号不正确' })
      .int('通知编号不正确')
      .positive('通知编号不正确')
      .max(Number.MAX_SAFE_INTEGER, '通知编号不正确')
      .optional()
      .describe('every notification up to this id is read'),
    all: z.literal(true, { error: 'all 只能为 true' }).optional().describe('every notification so far is read'),
  })
  .strict()
  .refine((b) => (b.upTo === undefined) !== (b.all === undefined), '请指定已读到哪条通知（upTo），或全部已读（all）');

/** 第十五条 临期提醒: a mobile number (SMS), or null to stop the SMS. */
export const notifyPhoneBody = z.object({
  phone: z
    .string({ error: '手机号码不正确' })
    .trim()
    .regex(/^1[3-9]\d{9}$/, '请填写 11 位手机号码')
    .nullable(),
});

export interface NotificationItem {
  id: number;
  ticketId: number;
  ticketNumber: string;
  title: string;
  kind: string;
  text: string;
  level: NotificationLevel;
  at: string;
  read: boolean;
}
export interface NotificationsPage {
  items: NotificationItem[];
  /** pass as `before` for the next (older) page; null at the end */
  next: number | null;
}
export interface UnreadCount {
  count: number;
  /** what the badge shows: the count, or "99+" at the cap */
  display: string;
}
export interface UnitNotifyPhone {
  unitId: number;
  /** masked (139****1234) */
  phone: string;
  updatedAt: string;
}

import type { ColumnType } from 'kysely';

// Kysely types of migration 0043 (issue 14: notifications for the units' staff).
type Ts = ColumnType<Date, Date | string, Date | string>;

export interface NotificationReadCursorsTable {
  user_id: number;
  unit_id: number;
  last_read_feed_id: ColumnType<number, number, number>;
  updated_at: Ts;
}
export interface UnitNotifyPhonesTable {
  unit_id: number;
  phone_enc: string;
  updated_by: number;
  updated_at: Ts;
}
export interface DeadlineSmsNoticesTable {
  deadline_id: number;
  unit_id: number;
  message_id: number;
  created_at: Ts;
}

export interface NotificationTables {
  notification_read_cursors: NotificationReadCursorsTable;
  unit_notify_phones: UnitNotifyPhonesTable;
  deadline_sms_notices: DeadlineSmsNoticesTable;
}

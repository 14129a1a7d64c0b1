import type { ColumnType, Generated } from 'kysely';

// Kysely types of migration 0020 (data sharing and the access log, 第三十条).
type Id = Generated<number>;
type Ts = ColumnType<Date, Date | string, Date | string>;
type Json<T> = ColumnType<T, string, string>;

export interface SharingEventQueueTable {
  event_id: number;
}
export interface SharingFanoutLockTable {
  id: number;
  passes: Generated<number>;
}
export interface UnitFeedTable {
  id: Id;
  unit_id: number;
  event_id: number;
  ticket_id: number;
  kind: string;
  event_group: string;
  role: 'lead' | 'assist';
  at: Ts;
  created_at: Ts;
}
export interface WebhookSubscriptionsTable {
  id: Id;
  unit_id: number;
  name: string;
  url: string;
  event_groups: string[];
  secret_enc: string;
  previous_secret_enc: string | null;
  previous_secret_until: Ts | null;
  status: 'active' | 'paused';
  version: Generated<number>;
  created_by: number | null;
  created_at: Ts;
  updated_at: Ts;
  lease_until: Ts | null;
  backoff_until: Ts | null;
  consecutive_failures: Generated<number>;
  last_attempt_at: Ts | null;
  last_success_at: Ts | null;
  last_error: string | null;
  last_status_code: number | null;
}
export type DeliveryStatus = 'pending' | 'sending' | 'delivered' | 'dead';
export interface WebhookDeliveriesTable {
  id: Id;
  subscription_id: number;
  feed_id: number | null;
  event_id: number | null;
  ticket_id: number | null;
  kind: string;
  status: DeliveryStatus;
  attempts: Generated<number>;
  next_attempt_at: Ts;
  lease_until: Ts | null;
  last_error: string | null;
  last_status_code: number | null;
  replays: Generated<number>;
  created_at: Ts;
  delivered_at: Ts | null;
  dead_at: Ts | null;
}
export interface AccessLogTable {
  id: Id;
  at: Ts;
  user_id: number | null;
  unit_id: number | null;
  actor_kind: 'person' | 'system';
  actor_label: string;
  kind: string;
  ticket_ids: ColumnType<number[], number[] | undefined, never>;
  filter: Json<Record<string, unknown>>;
  row_count: number;
  content_sha256: string | null;
  request_id: string | null;
  prev_hash: string;
  hash: string;
}
export interface AccessLogSettingsTable {
  id: number;
  retention_days: number;
  purged_through_id: number | null;
  purged_through_hash: string | null;
  updated_at: Ts | null;
  updated_by: number | null;
}

export interface SharingTables {
  sharing_event_queue: SharingEventQueueTable;
  sharing_fanout_lock: SharingFanoutLockTable;
  unit_feed: UnitFeedTable;
  webhook_subscriptions: WebhookSubscriptionsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  access_log: AccessLogTable;
  access_log_settings: AccessLogSettingsTable;
}

import { sql, type Kysely } from 'kysely';

// Issue 14 (第十四、十五条): notifications for the units' staff. Frozen once released.
// - In the app: a unit's notifications are its own feed (unit_feed, 0020) filtered to what a unit must act on; each
//   user keeps only a read cursor (the last feed id they have seen), so nothing is written per notification.
// - By SMS: a unit may name a phone (encrypted like every phone number) that is told when a deadline of its is about
//   to breach (the sweeper's 'warned' mark); one row per deadline makes sure it is told once.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
CREATE TABLE notification_read_cursors (
  user_id integer NOT NULL REFERENCES users(id),
  unit_id integer NOT NULL REFERENCES units(id),
  -- every feed row of the unit up to this id counts as read
  last_read_feed_id bigint NOT NULL CHECK (last_read_feed_id >= 0),
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (user_id, unit_id)
);

-- The kinds a unit is notified of (src/shared/domain/notifications.ts, NOTIFIED_EVENT_KINDS, at the time of this
-- migration): the bell's count and list walk only these rows of a unit, newest first, whatever else its feed holds.
CREATE INDEX unit_feed_notified ON unit_feed(unit_id, id DESC) WHERE kind IN (
  'dispatched','reassigned','consultation_held','dispatch_recalled','return_approved','return_rejected',
  'extension_approved','extension_rejected','termination_approved','termination_rejected','dispute_rejected',
  'handler_assigned','reply_returned','rework','closed','requester_evaluated','deadline_warned','deadline_breached',
  'supervision_opened','supervision_confirmed','supervision_supervised_again','supervision_escalated',
  'supervision_closed','merged_into');

-- 第十五条 临期提醒: the phone told by SMS when one of the unit's deadlines is about to breach (set by the admin).
CREATE TABLE unit_notify_phones (
  unit_id integer PRIMARY KEY REFERENCES units(id),
  phone_enc text NOT NULL,
  updated_by integer NOT NULL REFERENCES users(id),
  updated_at timestamptz NOT NULL
);

-- One SMS per deadline, ever: written in the sweeper's transaction that marks the deadline warned.
CREATE TABLE deadline_sms_notices (
  deadline_id bigint PRIMARY KEY REFERENCES deadlines(id),
  unit_id integer NOT NULL REFERENCES units(id),
  message_id bigint NOT NULL REFERENCES outbound_messages(id),
  created_at timestamptz NOT NULL
);
`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('0043-notifications is not reversible');
}

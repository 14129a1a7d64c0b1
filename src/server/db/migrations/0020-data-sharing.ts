import { sql, type Kysely } from 'kysely';

// 第三十条: units receive their data (webhook subscriptions and a pull feed), and every read of hotline data
// beyond one's own work screens is written to a tamper-evident access log. Frozen once released.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
-- Token scopes: NULL is a token acting with its user's roles (as before); a unit's integration token carries
-- 'feed:read' and may read its unit's feed and backfill — and nothing its user has no role for.
ALTER TABLE api_tokens ADD COLUMN scopes text[];
ALTER TABLE api_tokens ADD COLUMN created_by integer REFERENCES users(id);
CREATE INDEX api_tokens_user ON api_tokens(user_id);
-- the backfill walks a unit's live tickets in id order
CREATE INDEX ticket_assignments_unit_live ON ticket_assignments(unit_id, ticket_id) WHERE status <> 'ended';

-- Events waiting to be fanned out to the units' feeds. Written by a trigger in the transaction of the event, so
-- no writer of ticket_events can forget it, and consumed in event-id order by one fan-out at a time. A ticket's
-- steps are written under its row lock, so a later event of a ticket never becomes visible before an earlier one:
-- consuming what is visible in id order keeps each ticket's events in order without trusting identity order
-- across tickets. 'created' is not queued: a new ticket has no unit yet (the intake path stays as it was).
CREATE TABLE sharing_event_queue (event_id bigint PRIMARY KEY);
CREATE FUNCTION queue_shared_event() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO sharing_event_queue (event_id) VALUES (NEW.id);
  RETURN NULL;
END $$;
CREATE TRIGGER ticket_events_share AFTER INSERT ON ticket_events
  FOR EACH ROW WHEN (NEW.kind <> 'created') EXECUTE FUNCTION queue_shared_event();

-- The one row the fan-out locks: its feed ids are therefore given out in commit order and a feed cursor
-- (unit_feed.id) never skips a row that commits later.
CREATE TABLE sharing_fanout_lock (id smallint PRIMARY KEY CHECK (id = 1), passes bigint NOT NULL DEFAULT 0);
INSERT INTO sharing_fanout_lock (id) VALUES (1);

-- A unit's events: every event of a ticket while the unit was its lead or assisting unit.
CREATE TABLE unit_feed (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  unit_id integer NOT NULL REFERENCES units(id),
  event_id bigint NOT NULL REFERENCES ticket_events(id),
  ticket_id bigint NOT NULL REFERENCES tickets(id),
  kind text NOT NULL,
  event_group text NOT NULL,
  role text NOT NULL CHECK (role IN ('lead','assist')),
  at timestamptz NOT NULL,
  created_at timestamptz NOT NULL,
  UNIQUE (unit_id, event_id)
);
CREATE INDEX unit_feed_unit ON unit_feed(unit_id, id);

CREATE TABLE webhook_subscriptions (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  unit_id integer NOT NULL REFERENCES units(id),
  name text NOT NULL,
  url text NOT NULL,
  event_groups text[] NOT NULL,
  -- the signing secret, encrypted like personal data (it must be usable to sign, so not hashed)
  secret_enc text NOT NULL,
  previous_secret_enc text,
  previous_secret_until timestamptz,
  status text NOT NULL CHECK (status IN ('active','paused')),
  version integer NOT NULL DEFAULT 1,
  created_by integer REFERENCES users(id),
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  -- delivery state: one worker at a time per subscription (lease), a failing receiver backs off as a whole
  lease_until timestamptz,
  backoff_until timestamptz,
  consecutive_failures integer NOT NULL DEFAULT 0,
  last_attempt_at timestamptz,
  last_success_at timestamptz,
  last_error text,
  last_status_code integer
);
CREATE INDEX webhook_subscriptions_unit ON webhook_subscriptions(unit_id, id);

CREATE TABLE webhook_deliveries (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  subscription_id integer NOT NULL REFERENCES webhook_subscriptions(id),
  -- NULL for a test delivery (ping)
  feed_id bigint REFERENCES unit_feed(id),
  event_id bigint,
  ticket_id bigint,
  kind text NOT NULL,
  status text NOT NULL CHECK (status IN ('pending','sending','delivered','dead')),
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL,
  lease_until timestamptz,
  last_error text,
  last_status_code integer,
  replays integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL,
  delivered_at timestamptz,
  dead_at timestamptz
);
CREATE INDEX webhook_deliveries_open ON webhook_deliveries(subscription_id, next_attempt_at, id) WHERE status IN ('pending','sending');
CREATE INDEX webhook_deliveries_ticket_open ON webhook_deliveries(subscription_id, ticket_id, event_id) WHERE status IN ('pending','sending');
CREATE INDEX webhook_deliveries_subscription ON webhook_deliveries(subscription_id, id);
CREATE INDEX webhook_deliveries_dead ON webhook_deliveries(subscription_id, id) WHERE status = 'dead';

-- 第三十条第二款: who read what. Append-only and chained: hash = sha256(prev_hash || canonical row).
CREATE TABLE access_log (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at timestamptz NOT NULL,
  user_id integer REFERENCES users(id),
  unit_id integer REFERENCES units(id),
  actor_kind text NOT NULL CHECK (actor_kind IN ('person','system')),
  actor_label text NOT NULL,
  kind text NOT NULL,
  ticket_ids bigint[] NOT NULL DEFAULT '{}',
  filter jsonb NOT NULL DEFAULT '{}'::jsonb,
  row_count integer NOT NULL,
  content_sha256 text,
  request_id text,
  prev_hash text NOT NULL,
  hash text NOT NULL
);
CREATE INDEX access_log_at ON access_log(at);
CREATE INDEX access_log_user ON access_log(user_id, id);
CREATE INDEX access_log_unit ON access_log(unit_id, id);
CREATE INDEX access_log_kind ON access_log(kind, id);
CREATE INDEX access_log_tickets ON access_log USING gin (ticket_ids);

-- Never updated; deleted only by the retention purge, which says so for its own transaction.
CREATE FUNCTION access_log_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND current_setting('hz.access_log_purge', true) = 'on' THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'table % is append-only', TG_TABLE_NAME;
END $$;
CREATE TRIGGER access_log_append_only BEFORE UPDATE OR DELETE ON access_log
  FOR EACH ROW EXECUTE FUNCTION access_log_guard();

-- Retention (at least 180 days: 网络安全法 requires network logs kept six months or more) and where the chain
-- begins after a purge, so verification still checks the first remaining row.
CREATE TABLE access_log_settings (
  id smallint PRIMARY KEY CHECK (id = 1),
  retention_days integer NOT NULL CHECK (retention_days >= 180),
  purged_through_id bigint,
  purged_through_hash text,
  updated_at timestamptz,
  updated_by integer REFERENCES users(id)
);
INSERT INTO access_log_settings (id, retention_days) VALUES (1, 365);
`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('0020-data-sharing is not reversible');
}

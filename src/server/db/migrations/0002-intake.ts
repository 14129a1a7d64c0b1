import { sql, type Kysely } from 'kysely';

// Intake on every channel (第二、九、十三条), attachments, requester identities, duplicates and merging,
// abuse records (第十一、三十四条), public tracking and evaluation (第九条), staff complaints, SMS outbox.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
-- Requesters are found by a keyed hash of each identity they contact us with; none is stored in clear.
ALTER TABLE requesters ADD COLUMN wechat_hash text, ADD COLUMN weibo_hash text;
-- One requester per phone number: concurrent first contacts from a new number must not split the history.
DROP INDEX requesters_phone_hash;
CREATE UNIQUE INDEX requesters_phone_hash ON requesters(phone_hash) WHERE phone_hash IS NOT NULL;
CREATE UNIQUE INDEX requesters_wechat_hash ON requesters(wechat_hash) WHERE wechat_hash IS NOT NULL;
CREATE UNIQUE INDEX requesters_weibo_hash ON requesters(weibo_hash) WHERE weibo_hash IS NOT NULL;

-- One row per inbound contact on one channel, written before anything else can fail. (channel, external_id)
-- makes redelivery of the same message by a gateway a no-op.
CREATE TABLE contacts (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  channel text NOT NULL CHECK (channel IN ('phone','sms','wechat','weibo','web','api','open311')),
  external_id text,
  received_at timestamptz NOT NULL,
  requester_id bigint REFERENCES requesters(id),
  content text NOT NULL DEFAULT '',
  meta jsonb NOT NULL DEFAULT '{}'::jsonb,
  agent_id integer REFERENCES users(id),
  centre_unit_id integer REFERENCES units(id),
  status text NOT NULL DEFAULT 'new' CHECK (status IN ('new','disposed')),
  disposition text CHECK (disposition IN ('answered','transferred','redirected','repeat','explained','admonished','not_accepted','dispatched','merged')),
  disposition_data jsonb,
  reply_text text,
  disposed_at timestamptz,
  disposed_by integer REFERENCES users(id),
  ticket_id bigint REFERENCES tickets(id),
  emergency_suggestion text,
  UNIQUE (channel, external_id)
);
CREATE INDEX contacts_requester ON contacts(requester_id, received_at DESC);
CREATE INDEX contacts_new ON contacts(received_at, id) WHERE status = 'new';
CREATE INDEX contacts_ticket ON contacts(ticket_id) WHERE ticket_id IS NOT NULL;

-- 第九条: voice, pictures, video, documents.
CREATE TABLE attachments (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  contact_id bigint REFERENCES contacts(id),
  ticket_id bigint REFERENCES tickets(id),
  kind text NOT NULL CHECK (kind IN ('image','audio','video','document')),
  mime text NOT NULL,
  size integer NOT NULL,
  sha256 text NOT NULL,
  storage_key text NOT NULL,
  original_name text,
  created_at timestamptz NOT NULL
);
CREATE INDEX attachments_contact ON attachments(contact_id);
CREATE INDEX attachments_ticket ON attachments(ticket_id);

-- Public tracking without an account (第九条), the segmented text for duplicate search, merging, and the
-- unit a 举报 is about (its staff never see who reported them, 第三十三条).
ALTER TABLE tickets
  ADD COLUMN tracking_code_hash text,
  ADD COLUMN search_tokens text,
  ADD COLUMN merged_into_id bigint REFERENCES tickets(id),
  ADD COLUMN reported_unit_id integer REFERENCES units(id),
  ADD COLUMN contact_id bigint REFERENCES contacts(id);
-- The vector is stored, not an expression index: the bitmap recheck and ts_rank then read it instead of
-- re-parsing the text of every candidate row (measured: seconds at a million tickets with the expression).
ALTER TABLE tickets ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (to_tsvector('simple', coalesce(search_tokens, ''))) STORED;
CREATE INDEX tickets_search ON tickets USING gin (search_vector);
CREATE INDEX tickets_open_category ON tickets(category_id, created_at) WHERE status IN ('pending_dispatch','dispatched','in_progress','replied');

-- Everyone who raised a merged (并单) matter is kept informed and counted.
CREATE TABLE ticket_requesters (
  ticket_id bigint NOT NULL REFERENCES tickets(id),
  requester_id bigint NOT NULL REFERENCES requesters(id),
  contact_id bigint REFERENCES contacts(id),
  source_ticket_id bigint REFERENCES tickets(id),
  added_at timestamptz NOT NULL,
  PRIMARY KEY (ticket_id, requester_id)
);

-- 第十一、三十四条: abuse of the line, reviewed by an admin. A flag never blocks an emergency transfer.
CREATE TABLE requester_flags (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  requester_id bigint NOT NULL REFERENCES requesters(id),
  kind text NOT NULL CHECK (kind IN ('repeated_contacts','long_occupation','harassment')),
  detail text NOT NULL,
  source text NOT NULL CHECK (source IN ('automatic','agent')),
  raised_by integer REFERENCES users(id),
  contact_id bigint REFERENCES contacts(id),
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open','warned','dismissed')),
  reviewed_by integer REFERENCES users(id),
  review_note text,
  warning_text text,
  created_at timestamptz NOT NULL,
  reviewed_at timestamptz
);
CREATE INDEX requester_flags_open ON requester_flags(created_at, id) WHERE status = 'open';
CREATE INDEX requester_flags_requester ON requester_flags(requester_id);

-- 第九条: the requester's own evaluation, and complaints about staff routed to supervision.
CREATE TABLE evaluations (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  ticket_id bigint NOT NULL REFERENCES tickets(id),
  satisfaction text NOT NULL CHECK (satisfaction IN ('satisfied','basically_satisfied','unsatisfied')),
  comment text,
  at timestamptz NOT NULL
);
CREATE INDEX evaluations_ticket ON evaluations(ticket_id);
CREATE TABLE staff_complaints (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  ticket_id bigint NOT NULL REFERENCES tickets(id),
  against_unit_id integer REFERENCES units(id),
  against_staff text,
  content text NOT NULL,
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open','handled')),
  created_at timestamptz NOT NULL
);
CREATE INDEX staff_complaints_open ON staff_complaints(created_at) WHERE status = 'open';

-- Outbound messages (SMS receipts, tracking codes, callback surveys) go through an outbox so a failing
-- gateway never rolls back the step that caused the message.
CREATE TABLE outbound_messages (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  channel text NOT NULL CHECK (channel IN ('sms')),
  to_enc text NOT NULL,
  purpose text NOT NULL,
  body text NOT NULL,
  ticket_id bigint REFERENCES tickets(id),
  contact_id bigint REFERENCES contacts(id),
  -- 'sending' is a lease: a worker claimed the row and calls the gateway outside any transaction; a lease
  -- that runs out (the worker died) makes the row claimable again.
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','sending','sent','failed')),
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz,
  lease_until timestamptz,
  provider_id text,
  last_error text,
  created_at timestamptz NOT NULL,
  sent_at timestamptz
);
CREATE INDEX outbound_due ON outbound_messages(coalesce(next_attempt_at, created_at), id) WHERE status = 'pending';
CREATE INDEX outbound_leased ON outbound_messages(lease_until) WHERE status = 'sending';
`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('0002-intake is not reversible');
}

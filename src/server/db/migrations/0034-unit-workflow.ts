import { sql, type Kysely } from 'kysely';

// Issue 14, the unit's day. 第十五条: a unit may require its manager's sign-off (审核) before a handler's reply
// leaves the unit; each submission is kept with its decision. And the named handler of a ticket within its unit.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
-- per unit, set by the admin in 单位与区划; a unit without a row needs no sign-off
CREATE TABLE unit_workflow_settings (
  unit_id integer PRIMARY KEY REFERENCES units(id),
  reply_signoff boolean NOT NULL DEFAULT false,
  updated_by integer NOT NULL REFERENCES users(id),
  updated_at timestamptz NOT NULL
);

-- 第十五条 审核: the reply a handler submitted, waiting for (or decided by) the unit manager. The reply itself is
-- written to the ticket only on approval, exactly as a direct reply.
CREATE TABLE reply_signoffs (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  ticket_id bigint NOT NULL REFERENCES tickets(id),
  unit_id integer NOT NULL REFERENCES units(id),
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','approved','returned')),
  result text NOT NULL,
  explanation text,
  solved boolean NOT NULL,
  unreachable_note text,
  submitted_by integer NOT NULL REFERENCES users(id),
  submitted_at timestamptz NOT NULL,
  reviewer_id integer REFERENCES users(id),
  reviewed_at timestamptz,
  review_note text
);
-- one pending submission per ticket
CREATE UNIQUE INDEX reply_signoffs_pending_ticket ON reply_signoffs(ticket_id) WHERE status = 'pending';
-- the manager's 待审核 queue: the unit's pending submissions, oldest first by keyset
CREATE INDEX reply_signoffs_unit_pending ON reply_signoffs(unit_id, id) WHERE status = 'pending';
CREATE INDEX reply_signoffs_ticket ON reply_signoffs(ticket_id, id);

-- the handler of the unit a manager named for a ticket (one at a time; the history is in the ticket's events)
CREATE TABLE ticket_handlers (
  ticket_id bigint PRIMARY KEY REFERENCES tickets(id),
  unit_id integer NOT NULL REFERENCES units(id),
  handler_id integer NOT NULL REFERENCES users(id),
  assigned_by integer NOT NULL REFERENCES users(id),
  assigned_at timestamptz NOT NULL
);
CREATE INDEX ticket_handlers_handler ON ticket_handlers(handler_id, ticket_id);
`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE ticket_handlers; DROP TABLE reply_signoffs; DROP TABLE unit_workflow_settings;`.execute(db);
}

import { sql, type Kysely } from 'kysely';

// Issue 14, 二级派单 (第十四至十六条): the lead unit of an accepted ticket (a district or county government, a
// department with subordinate units) passes it down to one of its own sub-units and stays the lead, answerable to
// the centre. The sub-unit's steps — 签收, 退回 to the first-level unit, 答复 up for review, 延期 within the
// first-level deadline — are rows here; the ticket's events record each of them.
//
// The sub-deadlines are columns of the sub-dispatch, not rows of `deadlines`: that table is the centre's
// (sweeper warnings and breaches, supervision triggers, assessment facts, public tracking) and keeps counting
// against the first-level unit alone. A late sub-unit is a fact of its own here (late_accept, late_reply).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
CREATE TABLE sub_dispatches (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  ticket_id bigint NOT NULL REFERENCES tickets(id),
  -- the first-level (lead) unit that passed it down, and the sub-unit (units.parent_id = parent_unit_id)
  parent_unit_id integer NOT NULL REFERENCES units(id),
  unit_id integer NOT NULL REFERENCES units(id),
  status text NOT NULL CHECK (status IN ('pending','accepted','submitted','approved','returned','recalled','ended')),
  instructions text NOT NULL,
  dispatched_by integer NOT NULL REFERENCES users(id),
  dispatched_at timestamptz NOT NULL,
  accept_due_at timestamptz NOT NULL,
  -- 第十四条: the sub-unit may return it to the first-level unit until then (the first level's return window)
  return_until timestamptz NOT NULL,
  -- the sub-deadline (never after the first-level deadline), moved by approved extensions; and as first set
  due_at timestamptz NOT NULL,
  original_due_at timestamptz NOT NULL,
  accepted_at timestamptz,
  accepted_by integer REFERENCES users(id),
  result text,
  solved boolean,
  explanation text,
  submitted_at timestamptz,
  submitted_by integer REFERENCES users(id),
  reviewed_at timestamptz,
  reviewer_id integer REFERENCES users(id),
  review_note text,
  ended_at timestamptz,
  end_reason text,
  -- facts for later assessment: the sub-unit signed for it / replied after its limit
  late_accept boolean,
  late_reply boolean,
  CHECK (parent_unit_id <> unit_id)
);
-- one live sub-dispatch per ticket at a time
CREATE UNIQUE INDEX sub_dispatches_one_live ON sub_dispatches(ticket_id) WHERE status IN ('pending','accepted','submitted');
CREATE INDEX sub_dispatches_ticket ON sub_dispatches(ticket_id, id);
-- the sub-unit's queue and the first-level unit's view of its sub-units, by sub-deadline (keyset)
CREATE INDEX sub_dispatches_unit_queue ON sub_dispatches(unit_id, status, due_at, id);
CREATE INDEX sub_dispatches_parent_queue ON sub_dispatches(parent_unit_id, status, due_at, id);

-- 第十六条: a sub-unit's extension application to the first-level unit, bounded by the first-level deadline
CREATE TABLE sub_dispatch_extensions (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  sub_dispatch_id bigint NOT NULL REFERENCES sub_dispatches(id),
  ticket_id bigint NOT NULL REFERENCES tickets(id),
  unit_id integer NOT NULL REFERENCES units(id),
  applicant_id integer NOT NULL REFERENCES users(id),
  reason text NOT NULL,
  progress text NOT NULL,
  days integer NOT NULL CHECK (days > 0),
  status text NOT NULL CHECK (status IN ('pending','approved','rejected')),
  previous_due_at timestamptz NOT NULL,
  new_due_at timestamptz,
  reviewer_id integer REFERENCES users(id),
  review_note text,
  created_at timestamptz NOT NULL,
  decided_at timestamptz
);
CREATE UNIQUE INDEX sub_dispatch_extensions_one_pending ON sub_dispatch_extensions(sub_dispatch_id) WHERE status = 'pending';
CREATE INDEX sub_dispatch_extensions_sub ON sub_dispatch_extensions(sub_dispatch_id, id);

-- the time the first-level unit keeps for itself when it passes a ticket down (the default sub-deadline is its
-- own deadline less this): a working day to review the sub-unit's reply and answer the centre
ALTER TABLE time_limits DROP CONSTRAINT time_limits_step_check;
ALTER TABLE time_limits ADD CONSTRAINT time_limits_step_check
  CHECK (step IN ('accept','return_window','first_contact','reply','extension_max','callback','rework','assist','sub_review'));
`.execute(db);
  // an installation already seeded gets the defaults (a fresh one gets them from the seed, which runs after)
  await sql`
INSERT INTO time_limits (step, category_id, urgency, unit_kind, clock, amount, unit)
SELECT v.step, NULL, v.urgency, NULL, v.clock, v.amount, v.unit
FROM (VALUES ('sub_review', NULL, NULL, 1, 'working_days'),
             ('sub_review', 'urgent', NULL, 4, 'clock_hours'),
             ('sub_review', NULL, 'round_the_clock', 4, 'clock_hours')) AS v(step, urgency, clock, amount, unit)
WHERE EXISTS (SELECT 1 FROM time_limits)
ON CONFLICT DO NOTHING`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
DELETE FROM time_limits WHERE step = 'sub_review';
ALTER TABLE time_limits DROP CONSTRAINT time_limits_step_check;
ALTER TABLE time_limits ADD CONSTRAINT time_limits_step_check
  CHECK (step IN ('accept','return_window','first_contact','reply','extension_max','callback','rework','assist'));
DROP TABLE sub_dispatch_extensions;
DROP TABLE sub_dispatches;`.execute(db);
}

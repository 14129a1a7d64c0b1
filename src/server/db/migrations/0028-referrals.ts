import { sql, type Kysely } from 'kysely';

// 第二十三、三十二条: a misconduct referral (移送) of a unit or a staff member to the discipline inspection body
// (纪检监察机关), with the conduct, the facts and the tickets concerned; its status (移交 → 受理 → 处理结果) and each
// step's history. 第九条: a requester's complaint about staff is handled (调查中 → 查明 → 答复 → 办结) or escalated
// to a referral, instead of staying 待处理 forever.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
CREATE TABLE referrals (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  -- the centre that referred (its county or the city): a county centre reads only its own (第二十三条 同级)
  centre_unit_id integer NOT NULL REFERENCES units(id),
  -- region prefix of that centre: the scope check is a prefix match, as for tickets
  region_prefix text NOT NULL,
  subject_kind text NOT NULL CHECK (subject_kind IN ('unit','staff')),
  unit_id integer NOT NULL REFERENCES units(id),
  -- the staff member as the supervisor identified them (a name or a post; not a requester's personal data)
  staff text,
  conducts text[] NOT NULL CHECK (cardinality(conducts) BETWEEN 1 AND 11),
  facts text NOT NULL,
  body_name text NOT NULL,
  status text NOT NULL DEFAULT 'transferred' CHECK (status IN ('transferred','accepted','concluded')),
  transferred_at timestamptz NOT NULL,
  accepted_on date,
  accepted_note text,
  result text,
  result_on date,
  complaint_id bigint,
  created_by integer NOT NULL REFERENCES users(id),
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  version integer NOT NULL DEFAULT 1,
  CHECK (status = 'transferred' OR accepted_on IS NOT NULL),
  CHECK (status <> 'concluded' OR (result IS NOT NULL AND result_on IS NOT NULL)),
  CHECK (subject_kind = 'unit' OR staff IS NOT NULL)
);
-- the list: newest first by keyset, narrowed by scope prefix, status or unit
CREATE INDEX referrals_scope ON referrals(region_prefix text_pattern_ops, id DESC);
CREATE INDEX referrals_status ON referrals(status, id DESC);
CREATE INDEX referrals_unit ON referrals(unit_id, id DESC);
CREATE INDEX referrals_conducts ON referrals USING gin(conducts);

CREATE TABLE referral_tickets (
  referral_id bigint NOT NULL REFERENCES referrals(id),
  ticket_id bigint NOT NULL REFERENCES tickets(id),
  PRIMARY KEY (referral_id, ticket_id)
);
CREATE INDEX referral_tickets_ticket ON referral_tickets(ticket_id);

-- each step as the referral's detail shows it (the admin audit keeps the before/after as well)
CREATE TABLE referral_events (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  referral_id bigint NOT NULL REFERENCES referrals(id),
  action text NOT NULL,
  from_status text,
  to_status text,
  note text,
  actor_user_id integer REFERENCES users(id),
  at timestamptz NOT NULL
);
CREATE INDEX referral_events_referral ON referral_events(referral_id, id);

-- 第九条: complaints about staff get their handling
ALTER TABLE staff_complaints DROP CONSTRAINT staff_complaints_status_check;
UPDATE staff_complaints SET status = 'closed' WHERE status = 'handled';
ALTER TABLE staff_complaints ADD CONSTRAINT staff_complaints_status_check
  CHECK (status IN ('open','investigating','concluded','replied','closed','escalated'));
ALTER TABLE staff_complaints
  ADD COLUMN assignee_id integer REFERENCES users(id),
  ADD COLUMN finding text CHECK (finding IN ('substantiated','partly_substantiated','unsubstantiated')),
  ADD COLUMN finding_text text,
  ADD COLUMN reply_text text,
  ADD COLUMN reply_sms boolean,
  ADD COLUMN replied_at timestamptz,
  ADD COLUMN closed_at timestamptz,
  ADD COLUMN referral_id bigint REFERENCES referrals(id),
  ADD COLUMN updated_at timestamptz,
  ADD COLUMN version integer NOT NULL DEFAULT 1;
ALTER TABLE referrals ADD CONSTRAINT referrals_complaint FOREIGN KEY (complaint_id) REFERENCES staff_complaints(id);
CREATE INDEX staff_complaints_status ON staff_complaints(status, id);
-- the unit's record in an evidence pack
CREATE INDEX staff_complaints_unit ON staff_complaints(against_unit_id, id);

CREATE TABLE staff_complaint_steps (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  complaint_id bigint NOT NULL REFERENCES staff_complaints(id),
  action text NOT NULL,
  note text,
  actor_user_id integer REFERENCES users(id),
  at timestamptz NOT NULL
);
CREATE INDEX staff_complaint_steps_complaint ON staff_complaint_steps(complaint_id, id);
`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('0028-referrals is not reversible');
}

import { sql, type Kysely } from 'kysely';

// 第九、十七条 短信回访: the reply notice asks every requester with a phone to answer with a digit. One row per
// survey SMS; an inbound SMS from that phone (its requester is found by the keyed phone hash) answers the
// requester's newest open survey. Evaluations remember where they came from.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
CREATE TABLE sms_surveys (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  ticket_id bigint NOT NULL REFERENCES tickets(id),
  requester_id bigint NOT NULL REFERENCES requesters(id),
  sent_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  -- answered: the reply gave the evaluation; superseded: the matter was evaluated otherwise (on the portal, or
  -- by another requester of a merged matter) or was replied again after rework, so this survey asks nothing
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open','answered','superseded')),
  answered_at timestamptz,
  satisfaction text CHECK (satisfaction IN ('satisfied','basically_satisfied','unsatisfied')),
  contact_id bigint REFERENCES contacts(id)
);
CREATE INDEX sms_surveys_open ON sms_surveys(requester_id, sent_at DESC) WHERE status = 'open';
CREATE INDEX sms_surveys_ticket ON sms_surveys(ticket_id);
ALTER TABLE evaluations ADD COLUMN via text NOT NULL DEFAULT 'portal' CHECK (via IN ('portal','sms'));
`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('0005-sms-surveys is not reversible');
}

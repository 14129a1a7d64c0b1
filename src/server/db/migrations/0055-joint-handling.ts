import { sql, type Kysely } from 'kysely';

// 第二十六条第二款 联合协调处置: a matter may belong to a field the centres coordinate jointly with bodies outside the
// usual handling units (公益诉讼, 矛盾纠纷多元化解, 行政执法监督); the register filters by it. 第二十九条 民主协商: a
// matter's minutes are either a consultation of units or a democratic consultation a town holds with the committees,
// enterprises and organisations of its area, named in `participants`.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
ALTER TABLE matters ADD COLUMN joint_field text
  CHECK (joint_field IN ('public_interest_litigation','dispute_resolution','enforcement_supervision'));
-- the register narrowed to one field, newest first (few rows: only the matters of a field are in it)
CREATE INDEX matters_joint_field ON matters(joint_field, id DESC) WHERE joint_field IS NOT NULL;
ALTER TABLE matter_minutes ADD COLUMN kind text NOT NULL DEFAULT 'consultation'
  CHECK (kind IN ('consultation','democratic'));
ALTER TABLE matter_minutes ADD COLUMN participants text;
ALTER TABLE matter_minutes ADD CONSTRAINT matter_minutes_democratic_participants
  CHECK (kind <> 'democratic' OR participants IS NOT NULL);
`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('0055-joint-handling is not reversible');
}

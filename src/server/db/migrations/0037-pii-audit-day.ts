import { sql, type Kysely } from 'kysely';

// 第六、三十条 个人信息访问审计 filtered by day (issue 14): the auditor's date range is an index range, not a walk back
// through every later row.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE INDEX pii_access_log_at ON pii_access_log(at, id)`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('0037-pii-audit-day is not reversible');
}

import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import { COUNTER_COLUMNS, emptyInputs, TICKET_INDICATORS, type Inputs } from '../../domain/assessment-indicators.js';
import type { Period } from '../../domain/assessment-period.js';
import { loadSettings, shanghaiDate } from '../knowledge/knowledge-articles.repository.js';

type Db = Kysely<DB> | Transaction<DB>;

/**
 * 第二十四条: the inputs of every unit for a period, summed from the daily rollup (units × days rows, one index range)
 * plus the knowledge base's share of current articles as of the period's end (or today, if earlier).
 */
export async function periodInputs(db: Db, period: Period, today: string): Promise<Map<number, Inputs>> {
  const sums = await db
    .selectFrom('assessment_daily')
    .select(['unit_id', ...COUNTER_COLUMNS.map((c) => sql<number>`sum(${sql.ref(c)})::int`.as(c))])
    .where('day', '>=', period.from)
    .where('day', '<=', period.to)
    .groupBy('unit_id')
    .execute();
  const out = new Map<number, Inputs>();
  for (const r of sums) {
    const inputs = emptyInputs();
    const row = r as unknown as Record<string, number>;
    for (const i of TICKET_INDICATORS) inputs[i] = { num: Number(row[`${i}_num`]), den: Number(row[`${i}_den`]) };
    out.set(r.unit_id, inputs);
  }
  const asOf = period.to < today ? period.to : today;
  for (const k of await knowledgeCurrent(db, asOf)) {
    const inputs = out.get(k.unit_id) ?? emptyInputs();
    inputs.knowledge_timely = { num: k.current, den: k.published };
    out.set(k.unit_id, inputs);
  }
  return out;
}

/**
 * 知识库更新及时率: per owner unit, published articles current on `day` (in force, not expired, reviewed within its
 * cycle plus the grace period) over published articles — the SQL of the knowledge module's freshness figure
 * (knowledge-articles.query.ts, countsAsCurrent in knowledge-workflow.ts) in one grouped scan.
 */
async function knowledgeCurrent(db: Db, day: string) {
  const settings = await loadSettings(db);
  const reviewedDay = shanghaiDate('reviewed_at');
  const rows = await db
    .selectFrom('knowledge_articles')
    .select((eb) => [
      'owner_unit_id as unit_id',
      eb.fn.countAll<number>().as('published'),
      sql<number>`count(*) FILTER (WHERE (expires_on IS NULL OR expires_on > ${day}::date) AND effective_from <= ${day}::date AND ${reviewedDay} + review_cycle_days + ${settings.staleGraceDays}::integer > ${day}::date)`.as(
        'current',
      ),
    ])
    .where('status', '=', 'published')
    .groupBy('owner_unit_id')
    .execute();
  return rows.map((r) => ({ unit_id: r.unit_id, published: Number(r.published), current: Number(r.current) }));
}

export async function assessedUnits(db: Db) {
  return db.selectFrom('units').select(['id', 'name', 'kind', 'tier']).where('kind', '!=', 'centre').execute();
}

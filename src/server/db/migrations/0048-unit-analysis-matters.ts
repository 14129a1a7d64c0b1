import { sql, type Kysely } from 'kysely';

// 第二十八条(一) 承办单位月度分析 at scale (docs/benchmarks.md "月度分析 and 网格视图"): the matters most raised and the
// repeat requesters of a unit's month were counted by joining the unit's assessment_facts of the month to tickets by
// key — for 牡丹区人民政府 at 10 M tickets that is ~60 000 random reads of the tickets heap per month asked, four times
// a report (this month and the previous one). The fact row now carries its ticket's matter and requester (kept by
// assessment-facts.repository.ts whenever the ticket's facts are refreshed), and the unit × day index carries both,
// so a month's matters and requesters are one index-only range of the unit's own facts.
//
// 第二十九条 网格视图 at scale: the town view counts 主动发现 (channel grid) apart, and the cube's grain down to grids keeps
// no channel, so that read falls back to analytics_monthly / analytics_daily by region — which walked every channel's
// rows of the town's grids (a year of 东城街道 at 10 M tickets: ~3 s) to keep the 3 % on channel grid. With the
// channel after the region in the key it reads only those rows (also 热点分析 with a channel filter at grid level).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
ALTER TABLE assessment_facts ADD COLUMN category_id integer, ADD COLUMN requester_id bigint;
UPDATE assessment_facts f SET category_id = t.category_id, requester_id = t.requester_id FROM tickets t
  WHERE t.id = f.ticket_id;
ALTER TABLE assessment_facts ALTER COLUMN category_id SET NOT NULL;
-- the drill-down's keyset (unit, day, ticket) as before, with what the month's analysis groups by
DROP INDEX assessment_facts_unit_day;
CREATE INDEX assessment_facts_unit_day ON assessment_facts(unit_id, day, ticket_id) INCLUDE (category_id, requester_id);
-- one channel of some regions over a period (key columns only: the counters' upserts stay HOT)
CREATE INDEX analytics_daily_region_channel ON analytics_daily(region_code, channel, day);
CREATE INDEX analytics_monthly_region_channel ON analytics_monthly(region_code, channel, month);
`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('0048-unit-analysis-matters is not reversible');
}

import { sql, type Kysely } from 'kysely';

// 第二十七条 热点分析 (docs/analytics.md).
//
// analytics_ticket_facts holds what each ticket is counted as (one row per ticket: its local creation day, region,
// category, channel, request type and whether it is closed, overdue, urgent) — the drill-down's source and the "before"
// of every move. analytics_daily sums them per day × region × category × channel × request type, analytics_monthly
// the same per calendar month, and analytics_cube the same at coarser grains (town/county × matter group, channel and
// type optionally summed out), so a year of the whole city sums a few thousand rows. The scheduler keeps them all from
// ticket_events by an
// id cursor (analytics_cursor), moving the sums by the difference in the same transaction as the cursor: a replay
// changes nothing, a re-categorised ticket moves its count.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
CREATE TABLE analytics_ticket_facts (
  ticket_id bigint PRIMARY KEY REFERENCES tickets(id),
  day date NOT NULL,
  region_code text NOT NULL,
  category_id integer NOT NULL,
  channel text NOT NULL,
  request_type text NOT NULL,
  closed smallint NOT NULL DEFAULT 0,
  overdue smallint NOT NULL DEFAULT 0,
  urgent smallint NOT NULL DEFAULT 0
);
-- drill-down: a period's tickets, newest first by (day, ticket_id), narrowed by category or by region
CREATE INDEX analytics_ticket_facts_day ON analytics_ticket_facts(day, ticket_id);
CREATE INDEX analytics_ticket_facts_category ON analytics_ticket_facts(category_id, day, ticket_id);
CREATE INDEX analytics_ticket_facts_region ON analytics_ticket_facts(region_code, day, ticket_id);

CREATE TABLE analytics_daily (
  day date NOT NULL,
  region_code text NOT NULL,
  category_id integer NOT NULL,
  channel text NOT NULL,
  request_type text NOT NULL,
  tickets integer NOT NULL DEFAULT 0,
  closed integer NOT NULL DEFAULT 0,
  overdue integer NOT NULL DEFAULT 0,
  urgent integer NOT NULL DEFAULT 0,
  PRIMARY KEY (day, region_code, category_id, channel, request_type)
);
-- one category (subtree) over a period, all regions: an index-only scan of that category's rows
CREATE INDEX analytics_daily_category ON analytics_daily(category_id, day)
  INCLUDE (region_code, channel, request_type, tickets, closed, overdue, urgent);
CREATE INDEX analytics_daily_region ON analytics_daily(region_code, day);

CREATE TABLE analytics_monthly (
  month date NOT NULL,
  region_code text NOT NULL,
  category_id integer NOT NULL,
  channel text NOT NULL,
  request_type text NOT NULL,
  tickets integer NOT NULL DEFAULT 0,
  closed integer NOT NULL DEFAULT 0,
  overdue integer NOT NULL DEFAULT 0,
  urgent integer NOT NULL DEFAULT 0,
  PRIMARY KEY (month, region_code, category_id, channel, request_type),
  CHECK (extract(day FROM month) = 1)
);
CREATE INDEX analytics_monthly_category ON analytics_monthly(category_id, month)
  INCLUDE (region_code, channel, request_type, tickets, closed, overdue, urgent);
CREATE INDEX analytics_monthly_region ON analytics_monthly(region_code, month);

-- The cube: the same sums at coarser grains, with channel and/or request type also summed out ('*'), so that
-- what a screen shows at ten million tickets (all channels, a year, towns × matter groups) sums a few thousand rows.
--   grain 1: day × town (a grid's tickets count at its town) × category at level 1, channel and type summed out only
--   grain 2: month × town × category at level ≤ 2
--   grain 3: day × county × category at level 1
--   grain 4: month × county × category at level 1
--   grain 5: day × county × category at level ≤ 2, summed out only
--   grain 6: month × region (down to grids) × category at level ≤ 2, summed out only
CREATE TABLE analytics_cube (
  grain smallint NOT NULL CHECK (grain BETWEEN 1 AND 6),
  channel text NOT NULL,
  request_type text NOT NULL,
  period date NOT NULL,
  region_code text NOT NULL,
  category_id integer NOT NULL,
  tickets integer NOT NULL DEFAULT 0,
  closed integer NOT NULL DEFAULT 0,
  overdue integer NOT NULL DEFAULT 0,
  urgent integer NOT NULL DEFAULT 0,
  PRIMARY KEY (grain, channel, request_type, period, region_code, category_id)
);
CREATE INDEX analytics_cube_category ON analytics_cube(grain, channel, request_type, category_id, period)
  INCLUDE (region_code, tickets, closed, overdue, urgent);
CREATE INDEX analytics_cube_region ON analytics_cube(grain, channel, request_type, region_code, period)
  INCLUDE (category_id, tickets, closed, overdue, urgent);

-- how far the rollup has read ticket_events (a row lock keeps two schedulers from reading at once)
CREATE TABLE analytics_cursor (
  name text PRIMARY KEY,
  last_id bigint NOT NULL DEFAULT 0,
  updated_at timestamptz
);
INSERT INTO analytics_cursor (name, last_id) VALUES ('ticket_events', 0);
`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('0031-analytics is not reversible');
}

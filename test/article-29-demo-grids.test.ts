import { beforeAll, expect, it } from 'vitest';
import { sql } from 'kysely';
import { seedDemoHistory } from '../src/server/demo/history.js';
import { seedDemoGrids } from '../src/server/demo/grids-demo.js';
import { rollupAnalytics } from '../src/server/jobs/analytics-rollup.js';
import { ApiClient, expectStatus } from './helpers/api.js';
import { describeEachDb, type TestEnv } from './helpers/test-env.js';

// 第二十九条, issue 12: on a fresh start the demo history puts a share of the gridded streets' tickets in their grids
// and the demo grid workers' 主动发现 reports are there, so 网格视图 and its map show something true.

describeEachDb('第二十九条 demo history in grids', (env) => {
  let e: TestEnv;

  beforeAll(async () => {
    e = env();
    await seedDemoHistory(e.db, e.cipher, e.clock.now(), { tickets: 900, days: 90, seed: 29 });
    await seedDemoGrids(e.db, e.cipher, e.clock.now());
    await rollupAnalytics(e.db, e.clock.now(), { lagMs: 0 });
  }, 180_000);

  it("places most of 东城街道's and 西城街道's tickets in their own grids, the rest at the street", async () => {
    const rows = await sql<{ town: string; in_grid: number; at_town: number; wrong: number }>`
      SELECT substr(t.region_code, 1, 9) AS town,
        count(*) FILTER (WHERE r.level = 4 AND r.parent_code = substr(t.region_code, 1, 9))::int AS in_grid,
        count(*) FILTER (WHERE t.region_code = substr(t.region_code, 1, 9))::int AS at_town,
        count(*) FILTER (WHERE r.level = 4 AND r.parent_code <> substr(t.region_code, 1, 9))::int AS wrong
      FROM tickets t JOIN regions r ON r.code = t.region_code
      WHERE t.region_code LIKE '371702001%' OR t.region_code LIKE '371702002%'
      GROUP BY 1 ORDER BY 1`.execute(e.db);
    expect(rows.rows.map((r) => r.town)).toEqual(['371702001', '371702002']);
    for (const r of rows.rows) {
      expect(r.wrong).toBe(0);
      expect(r.in_grid).toBeGreaterThan(r.at_town);
      expect(r.at_town).toBeGreaterThan(0);
    }
    // a street without grids keeps its tickets at the street
    const bc = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM tickets WHERE region_code LIKE '371702004_%'`.execute(e.db);
    expect(bc.rows[0]!.n).toBe(0);
  });

  it('holds the grid workers’ 主动发现 reports in their own grids, without a requester', async () => {
    const reports = await e.db
      .selectFrom('tickets as t')
      .innerJoin('grid_workers as g', (j) =>
        j.onRef('g.user_id', '=', 't.created_by').onRef('g.grid_code', '=', 't.region_code'),
      )
      .select(['t.id', 't.requester_id'])
      .where('t.channel', '=', 'grid')
      .execute();
    const all = await e.db.selectFrom('tickets').select('id').where('channel', '=', 'grid').execute();
    expect(all.length).toBeGreaterThan(10);
    expect(reports).toHaveLength(all.length);
    expect(reports.every((r) => r.requester_id === null)).toBe(true);
  });

  it("the street's 网格视图 shows hot grids and the map's points and states from it", async () => {
    const handler = await ApiClient.login(e, 'handler_dc');
    const to = new Date(e.clock.now().getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
    const from = new Date(e.clock.now().getTime() - 29 * 86_400_000).toISOString().slice(0, 10);
    const f = expectStatus<{
      totals: { proactive: number; citizen: number };
      hotGrids: Array<{ code: string }>;
      grids: Array<{ code: string; count: number; open: number; centre: unknown }>;
    }>(await handler.get(`/api/towns/371702001/figures?from=${from}&to=${to}`), 200);
    expect(f.totals.proactive).toBeGreaterThan(0);
    expect(f.totals.citizen).toBeGreaterThan(0);
    expect(f.hotGrids[0]!.code).toMatch(/^3717020011\d\d$/);
    const placed = f.grids.filter((g) => g.centre !== null);
    expect(placed.map((g) => g.code)).toEqual(['371702001101', '371702001102', '371702001103', '371702001104']);
    expect(placed.filter((g) => g.count > 0).length).toBeGreaterThanOrEqual(3);
    expect(placed.some((g) => g.open > 0)).toBe(true);
  });
});

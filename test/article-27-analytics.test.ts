import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, expectStatus } from './helpers/api.js';
import { createTicket, loginAll, type Clients } from './helpers/factories.js';
import { describeEachDb } from './helpers/test-env.js';
import { rollupAnalytics } from '../src/server/jobs/analytics-rollup.js';
import { dailySeries } from '../src/server/modules/analytics/analytics.repository.js';

// 第二十七条 热点分析: the rollup counts exactly, moves with new tickets and re-categorisation, replays without double
// counting; comparisons on a constructed dataset; a county centre's scope; clear 400s (docs/analytics.md).
describeEachDb('第二十七条 热点分析', (env, kind) => {
  let c: Clients;
  let analyst: ApiClient;
  const rollup = () => rollupAnalytics(env().db, env().clock.now(), { lagMs: 0 });
  const cat = (code: string) => env().ids.categories[code]!;
  const WEEK = 'from=2025-03-03&to=2025-03-09';
  const at = async (when: string, over: Record<string, unknown> = {}) => {
    env().clock.set(when);
    return (await createTicket(env(), c.agent, over)).id;
  };
  const cx = { regionCode: '371721001', address: '曹县倪集街道', categoryId: undefined as number | undefined };
  let movedId: number;

  beforeAll(async () => {
    c = await loginAll(env());
    analyst = await ApiClient.login(env(), 'analyst');
    cx.categoryId = cat('CX-GS');
    // this week (2025-03-03..09): three 市政设施 in 东城街道 (one by WeChat), one 供水 in 曹县
    await at('2025-03-03T09:00:00+08:00');
    await at('2025-03-04T09:00:00+08:00');
    movedId = await at('2025-03-05T23:30:00+08:00', { channel: 'wechat' });
    await at('2025-03-04T10:00:00+08:00', cx);
    // the previous week: one; the same week last year: two
    await at('2025-02-26T09:00:00+08:00');
    await at('2024-03-04T09:00:00+08:00');
    await at('2024-03-05T09:00:00+08:00');
    env().clock.set('2025-03-10T09:00:00+08:00');
    await rollup();
  });

  describe('第二十七条 汇总（按日 × 区域 × 分类 × 渠道 × 类型）', () => {
    it('counts every ticket once on its local creation day, at its region and category', async () => {
      const rows = await sql<{
        day: string;
        region_code: string;
        category_id: number;
        channel: string;
        tickets: number;
      }>`
        SELECT day::text AS day, region_code, category_id, channel, tickets FROM analytics_daily
        WHERE tickets > 0 ORDER BY day, region_code, channel`.execute(env().db);
      expect(rows.rows.map((r) => [r.day, r.region_code, r.channel, Number(r.tickets)])).toEqual([
        ['2024-03-04', '371702001', 'phone', 1],
        ['2024-03-05', '371702001', 'phone', 1],
        ['2025-02-26', '371702001', 'phone', 1],
        ['2025-03-03', '371702001', 'phone', 1],
        ['2025-03-04', '371702001', 'phone', 1],
        ['2025-03-04', '371721001', 'phone', 1],
        // 23:30 local on the 5th is 15:30 UTC: still the 5th
        ['2025-03-05', '371702001', 'wechat', 1],
      ]);
      const monthly = await sql<{ month: string; tickets: number }>`
        SELECT month::text AS month, sum(tickets)::int AS tickets FROM analytics_monthly GROUP BY month ORDER BY month`.execute(
        env().db,
      );
      const cube = await sql<{ grain: number; tickets: number }>`
        SELECT grain, sum(tickets)::int AS tickets FROM analytics_cube WHERE channel = '*' AND request_type = '*'
        GROUP BY grain ORDER BY grain`.execute(env().db);
      // every grain sums to the same 7 tickets; with channel or type not summed out they add up the same too
      expect(cube.rows.map((r) => [Number(r.grain), Number(r.tickets)])).toEqual([
        [1, 7],
        [2, 7],
        [3, 7],
        [4, 7],
        [5, 7],
        [6, 7],
      ]);
      expect(monthly.rows.map((r) => [r.month, Number(r.tickets)])).toEqual([
        ['2024-03-01', 2],
        ['2025-02-01', 1],
        ['2025-03-01', 4],
      ]);
    });

    it('the volume of a week by county with the previous week and the same week last year', async () => {
      const v = expectStatus(await analyst.get(`/api/analytics/volume?${WEEK}`), 200);
      // bases under 5 give no percentage (1 → 4 is not "+300 %"); the counts are there to compare
      expect(v.total).toMatchObject({
        tickets: 4,
        previous: 1,
        lastYear: 2,
        changePrevious: null,
        changeLastYear: null,
      });
      expect(v.previousPeriod).toEqual({ from: '2025-02-24', to: '2025-03-02' });
      expect(v.lastYearPeriod).toEqual({ from: '2024-03-03', to: '2024-03-09' });
      const md = v.regions.find((r: any) => r.code === '371702');
      expect(md).toMatchObject({ name: '牡丹区', tickets: 3, previous: 1, lastYear: 2, changeLastYear: null });
      expect(v.regions.find((r: any) => r.code === '371721')).toMatchObject({ name: '曹县', tickets: 1 });
      // towns × level-1 categories: the heat table's cells
      const t = expectStatus(await analyst.get(`/api/analytics/volume?${WEEK}&regionLevel=town`), 200);
      expect(t.regions.map((r: any) => [r.code, r.tickets])).toEqual([
        ['371702001', 3],
        ['371721001', 1],
      ]);
      expect(t.cells.reduce((n: number, x: any) => n + x.tickets, 0)).toBe(4);
      // grids need the fine rollup (the cube stops at towns): the same total
      const g = expectStatus(await analyst.get(`/api/analytics/volume?${WEEK}&regionLevel=grid&categoryLevel=3`), 200);
      expect(g.total).toMatchObject({ tickets: 4, previous: 1, lastYear: 2 });
      // filters: channel, category subtree, region subtree
      const w = expectStatus(await analyst.get(`/api/analytics/volume?${WEEK}&channel=wechat`), 200);
      expect(w.total.tickets).toBe(1);
      const gs = expectStatus(await analyst.get(`/api/analytics/volume?${WEEK}&categoryId=${cat('CX-GS')}`), 200);
      expect(gs.total.tickets).toBe(1);
      const r = expectStatus(await analyst.get(`/api/analytics/volume?${WEEK}&region=371702`), 200);
      expect(r.total.tickets).toBe(3);
    });

    it('the trend by day with the previous period and last year aligned point by point', async () => {
      const t = expectStatus(await analyst.get(`/api/analytics/trend?${WEEK}&granularity=day`), 200);
      expect(t.points).toHaveLength(7);
      expect(t.points.map((p: any) => p.tickets)).toEqual([1, 2, 1, 0, 0, 0, 0]);
      expect(t.points[2]).toMatchObject({ bucket: '2025-03-05', previousBucket: '2025-02-26', previous: 1 });
      expect(t.points[1]).toMatchObject({ lastYearBucket: '2024-03-04', lastYear: 1 });
      expect(t.total).toMatchObject({ tickets: 4, previous: 1, lastYear: 2 });
      const m = expectStatus(
        await analyst.get('/api/analytics/trend?from=2025-01-01&to=2025-03-31&granularity=month'),
        200,
      );
      expect(m.points.map((p: any) => [p.bucket, p.tickets, p.lastYear])).toEqual([
        ['2025-01-01', 0, 0],
        ['2025-02-01', 1, 0],
        ['2025-03-01', 4, 2],
      ]);
    });

    it('top rising matters: region × category with the largest increase, at least the minimum volume', async () => {
      const r = expectStatus(await analyst.get(`/api/analytics/rising?${WEEK}&minCount=2`), 200);
      expect(r.items).toHaveLength(1);
      expect(r.items[0]).toMatchObject({ regionCode: '371702', current: 3, previous: 1, increase: 2 });
      expect(r.items[0].categoryName).toContain('市政设施');
    });

    it('drills down to the tickets behind a figure, keyset paginated, nothing personal', async () => {
      const p1 = expectStatus(await analyst.get(`/api/analytics/tickets?${WEEK}&region=371702&limit=2`), 200);
      expect(p1.items).toHaveLength(2);
      expect(p1.items[0].ticketId).toBe(movedId);
      expect(p1.next).toBeTruthy();
      const p2 = expectStatus(
        await analyst.get(`/api/analytics/tickets?${WEEK}&region=371702&limit=2&after=${p1.next}`),
        200,
      );
      expect(p2.items).toHaveLength(1);
      expect(p2.next).toBeNull();
      const text = JSON.stringify([p1, p2]);
      expect(text).not.toContain('张秀英');
      expect(text).not.toContain('13905301234');
      expect(text).not.toContain('和平路');
    });

    it('a new ticket is counted by the next pass; re-categorisation moves its count', async () => {
      await at('2025-03-06T09:00:00+08:00');
      env().clock.set('2025-03-10T09:00:00+08:00');
      const before = expectStatus(await analyst.get(`/api/analytics/volume?${WEEK}`), 200);
      expect(before.total.tickets).toBe(4);
      await rollup();
      const after = expectStatus(await analyst.get(`/api/analytics/volume?${WEEK}`), 200);
      expect(after.total.tickets).toBe(5);
      expectStatus(
        await c.dispatcher.post(`/api/classification/tickets/${movedId}/category`, {
          categoryId: cat('CX-GS'),
          note: '更正分类',
        }),
        200,
      );
      await rollup();
      const gs = expectStatus(await analyst.get(`/api/analytics/volume?${WEEK}&categoryId=${cat('CX-GS')}`), 200);
      expect(gs.total.tickets).toBe(2);
      const sz = expectStatus(await analyst.get(`/api/analytics/volume?${WEEK}&categoryId=${cat('CX-SZ')}`), 200);
      expect(sz.total.tickets).toBe(3);
      const series = await dailySeries(env().db, {
        from: '2025-03-05',
        to: '2025-03-06',
        regionCodes: null,
        categoryIds: [cat('CX-GS')],
      });
      expect(series.map((d) => [d.day, d.tickets])).toEqual([
        ['2025-03-05', 1],
        ['2025-03-06', 0],
      ]);
    });

    it('is replay-safe: a second pass and a replay from the first event change nothing', async () => {
      const snapshot = async () =>
        (
          await sql<{ s: string }>`SELECT string_agg(day || ':' || region_code || ':' || category_id || ':' || channel
            || ':' || tickets || '/' || closed, ',' ORDER BY day, region_code, category_id, channel, request_type) AS s
            FROM analytics_daily WHERE tickets <> 0`.execute(env().db)
        ).rows[0]!.s +
        (
          await sql<{ s: string }>`SELECT string_agg(grain || ':' || period || ':' || region_code || ':' || category_id
            || ':' || channel || ':' || request_type || ':' || tickets, ',' ORDER BY grain, period, region_code, category_id,
            channel, request_type) AS s FROM analytics_cube WHERE tickets <> 0`.execute(env().db)
        ).rows[0]!.s;
      const before = await snapshot();
      expect((await rollup()).analyticsEvents).toBe(0);
      await sql`UPDATE analytics_cursor SET last_id = 0`.execute(env().db);
      const again = await rollup();
      expect(again.analyticsEvents).toBeGreaterThan(0);
      expect(again.analyticsChanged).toBe(0);
      expect(await snapshot()).toBe(before);
      if (kind === 'postgres') {
        // two schedulers at once: one holds the cursor, the other skips; together they count every ticket once
        await sql`UPDATE analytics_cursor SET last_id = 0`.execute(env().db);
        await sql`DELETE FROM analytics_ticket_facts`.execute(env().db);
        await sql`DELETE FROM analytics_daily`.execute(env().db);
        await sql`DELETE FROM analytics_monthly`.execute(env().db);
        await sql`DELETE FROM analytics_cube`.execute(env().db);
        const second = await env().openSecondHandle();
        const now = env().clock.now();
        await Promise.all([
          rollupAnalytics(env().db, now, { lagMs: 0, batchSize: 3 }),
          rollupAnalytics(second.db, now, { lagMs: 0, batchSize: 3 }),
        ]);
        await rollup();
        expect(await snapshot()).toBe(before);
      }
    });
  });

  describe('第二十七条 范围与输入校验', () => {
    it('a county centre sees only its county; a region outside it is refused', async () => {
      const v = expectStatus(await c.agentCx.get(`/api/analytics/volume?${WEEK}`), 200);
      expect(v.total.tickets).toBe(1);
      expect(v.regions.map((r: any) => r.code)).toEqual(['371721']);
      const f = expectStatus(await c.agentCx.get('/api/analytics/filters'), 200);
      expect(f.regions.every((r: any) => r.code.startsWith('371721'))).toBe(true);
      const out = expectStatus(await c.agentCx.get(`/api/analytics/volume?${WEEK}&region=371702`), 400);
      expect(out.error.message).toContain('不在您的查询范围内');
      const drill = expectStatus(await c.agentCx.get(`/api/analytics/tickets?${WEEK}`), 200);
      expect(drill.items).toHaveLength(1);
    });

    it('units and other roles are refused', async () => {
      expectStatus(await c.handlerMd.get(`/api/analytics/volume?${WEEK}`), 403);
      expectStatus(await c.agent.get(`/api/analytics/volume?${WEEK}`), 403);
    });

    it('bad ranges, unknown codes and bad values answer 400 with a Chinese message', async () => {
      const cases: [string, string][] = [
        ['from=2025-03-09&to=2025-03-01', '结束日期不能早于开始日期'],
        ['from=2021-01-01&to=2025-03-01', '不能超过三年'],
        ['from=2025-02-30&to=2025-03-01', '日期不存在'],
        [`${WEEK}&region=999999`, '未知的区域代码'],
        [`${WEEK}&region=abc`, '区域代码'],
        [`${WEEK}&categoryId=999999`, '未知的事项分类'],
        [`${WEEK}&categoryId=99999999999`, '事项分类编号不正确'],
        [`${WEEK}&channel=fax`, '未知的渠道'],
        [`${WEEK}&regionLevel=street`, '区域层级'],
        [`${WEEK}&region=%00`, ''],
      ];
      for (const [q, msg] of cases) {
        const body = expectStatus(await analyst.get(`/api/analytics/volume?${q}`), 400);
        expect(JSON.stringify(body)).toContain(msg);
      }
      const day = expectStatus(await analyst.get('/api/analytics/trend?from=2024-01-01&to=2025-03-01'), 400);
      expect(day.error.message).toContain('按周或按月');
      expectStatus(await analyst.get(`/api/analytics/tickets?${WEEK}&after=x`), 400);
    });
  });

  describe('第二十七条 合并的分类', () => {
    // weeks of their own (2025-01-13 … 19 and 2025-01-20 … 26), nothing else of this file in them
    const NOW = 'from=2025-01-20&to=2025-01-26';
    const before = 'from=2025-01-13&to=2025-01-19';
    let oldId: number;
    let intoId: number;

    beforeAll(async () => {
      oldId = cat('SC-XF');
      intoId = cat('CX-WY');
      // the matter of three tickets a week: filed under the old category before the merge, under its successor after
      for (const day of ['2025-01-14', '2025-01-15', '2025-01-16'])
        await at(`${day}T09:00:00+08:00`, {
          categoryId: oldId,
          title: '预付卡退费',
          content: '健身房闭店，预付卡退不了。',
        });
      for (const day of ['2025-01-21', '2025-01-22', '2025-01-23'])
        await at(`${day}T09:00:00+08:00`, {
          categoryId: intoId,
          title: '预付卡退费',
          content: '健身房闭店，预付卡退不了。',
        });
      env().clock.set('2025-03-10T09:00:00+08:00');
      await rollup();
      expectStatus(await c.admin.post(`/api/categories/${oldId}/merge`, { intoId }), 200);
    });

    it("a merged category's tickets count as its successor's: no false rise, one row, one choice", async () => {
      // before: the successor rose from nothing while the old name fell to nothing
      const rising = expectStatus(await analyst.get(`/api/analytics/rising?${NOW}&categoryLevel=3&minCount=1`), 200);
      expect(rising.items.filter((i: any) => [oldId, intoId].includes(i.categoryId))).toEqual([]);
      const v = expectStatus(await analyst.get(`/api/analytics/volume?${NOW}&categoryLevel=3`), 200);
      expect(v.categories.find((x: any) => x.id === oldId)).toBeUndefined();
      expect(v.categories.find((x: any) => x.id === intoId)).toMatchObject({ tickets: 3 });
      const b = expectStatus(await analyst.get(`/api/analytics/volume?${before}&categoryLevel=3`), 200);
      expect(b.categories.find((x: any) => x.id === oldId)).toBeUndefined();
      expect(b.categories.find((x: any) => x.id === intoId)).toMatchObject({ tickets: 3 });
      // the successor's filter holds the old tickets; the old category (a bookmark) reads as its successor
      const into = expectStatus(await analyst.get(`/api/analytics/volume?${before}&categoryId=${intoId}`), 200);
      expect(into.total.tickets).toBe(3);
      const old = expectStatus(await analyst.get(`/api/analytics/volume?${NOW}&categoryId=${oldId}`), 200);
      expect(old.total).toMatchObject({ tickets: 3, previous: 3 });
      const f = expectStatus(await analyst.get('/api/analytics/filters'), 200);
      expect(f.categories.map((x: any) => x.id)).not.toContain(oldId);
      expect(f.categories.map((x: any) => x.id)).toContain(intoId);
    });
  });
});

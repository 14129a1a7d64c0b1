import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, expectStatus } from './helpers/api.js';
import { createTicket, loginAll, type Clients } from './helpers/factories.js';
import { describeEachDb } from './helpers/test-env.js';
import { rollupAnalytics } from '../src/server/jobs/analytics-rollup.js';

// 第二十九条 网格化治理 (docs/grids.md): a grid worker's own report (主动发现) becomes a ticket on channel 'grid' in their
// grid, counted apart from citizens' requests; a grid worker sees only their grids and reports; a town/street's view
// shows only its area's grids, with counts from the rollup; bad input is a 400.
const DC = '371702001'; // 东城街道
const DC1 = '371702001101'; // 东城街道第一网格 (grid_dc's)
const DC2 = '371702001102'; // 东城街道第二网格 (grid_dc's)
const DC3 = '371702001103'; // 东城街道第三网格 (no worker)
const XC1 = '371702002101'; // 西城街道第一网格 (grid_xc's)
const PERIOD = 'from=2025-03-01&to=2025-03-31';

describeEachDb('第二十九条 网格化治理', (env) => {
  let c: Clients;
  let gridDc: ApiClient;
  let gridXc: ApiClient;
  let handlerDc: ApiClient;
  let analyst: ApiClient;
  const cat = (code: string) => env().ids.categories[code]!;
  const report = (who: ApiClient, over: Record<string, unknown> = {}) =>
    who.post('/api/grids/reports', {
      gridCode: DC1,
      categoryId: cat('CX-SZ'),
      title: '和平路井盖缺失',
      address: '东城街道和平路128号门前',
      content: '巡查发现和平路128号门前人行道井盖缺失，已设置临时警示，需尽快补装。',
      ...over,
    });
  let reportedId: number;
  let xcReportId: number;
  let citizenInGrid: number;
  let atTown: number;

  beforeAll(async () => {
    c = await loginAll(env());
    const login = (u: string) => ApiClient.login(env(), u);
    [gridDc, gridXc, handlerDc, analyst] = await Promise.all([
      login('grid_dc'),
      login('grid_xc'),
      login('handler_dc'),
      login('analyst'),
    ]);
    env().clock.set('2025-03-04T09:00:00+08:00');
    // citizens' requests: two 市政设施 in 第一网格, one 噪声 in 第二网格, one at the street itself, one in 西城
    citizenInGrid = (await createTicket(env(), c.agent, { regionCode: DC1 })).id;
    await createTicket(env(), c.agent, { regionCode: DC1 });
    await createTicket(env(), c.agent, { regionCode: DC2, categoryId: cat('HB-ZS') });
    atTown = (await createTicket(env(), c.agent, { regionCode: DC })).id;
    await createTicket(env(), c.agent, { regionCode: XC1 });
    // 主动发现: one by 东城's grid worker in 第一网格, one by 西城's in 西城第一网格
    reportedId = expectStatus<{ id: number }>(await report(gridDc), 201).id;
    xcReportId = expectStatus<{ id: number }>(await report(gridXc, { gridCode: XC1 }), 201).id;
    // an older one, outside the period
    env().clock.set('2025-02-10T09:00:00+08:00');
    await report(gridDc, { gridCode: DC2 });
    env().clock.set('2025-03-05T09:00:00+08:00');
    await rollupAnalytics(env().db, env().clock.now(), { lagMs: 0 });
  });

  describe('第二十九条第二款 主动发现上报', () => {
    it("becomes a ticket on channel grid in the worker's grid, waiting for dispatch at the covering centre", async () => {
      const t = await env()
        .db.selectFrom('tickets')
        .select(['channel', 'region_code', 'status', 'requester_id', 'centre_unit_id', 'created_by'])
        .where('id', '=', reportedId)
        .executeTakeFirstOrThrow();
      expect(t).toMatchObject({
        channel: 'grid',
        region_code: DC1,
        status: 'pending_dispatch',
        requester_id: null,
        centre_unit_id: env().ids.units['centre'],
        created_by: env().ids.users['grid_dc'],
      });
      const ev = await env()
        .db.selectFrom('ticket_events')
        .select(['kind', 'actor_user_id', 'actor_unit_id', 'data'])
        .where('ticket_id', '=', reportedId)
        .execute();
      expect(ev).toHaveLength(1);
      expect(ev[0]).toMatchObject({
        actor_user_id: env().ids.users['grid_dc'],
        actor_unit_id: env().ids.units['jd-dc'],
        data: { channel: 'grid' },
      });
      // the dispatcher sees it like any other new ticket
      const detail = expectStatus<{ channel: string; status: string }>(
        await c.dispatcher.get(`/api/tickets/${reportedId}`),
        200,
      );
      expect(detail).toMatchObject({ channel: 'grid', status: 'pending_dispatch' });
    });

    it('我的上报 lists the own reports, newest first, and the grid view the grids’ tickets', async () => {
      const mine = expectStatus<{ items: Array<{ id: number; mine: boolean; channel: string }> }>(
        await gridDc.get('/api/grids/tickets?view=reported'),
        200,
      );
      // newest entered first: February's report was entered last (the clock was set back for it)
      expect(mine.items.map((i) => i.channel)).toEqual(['grid', 'grid']);
      expect(mine.items[1]).toMatchObject({ id: reportedId, mine: true });
      const inGrids = expectStatus<{ items: Array<{ regionCode: string }> }>(
        await gridDc.get('/api/grids/tickets?view=grid'),
        200,
      );
      // 第一网格: 2 citizens' + 1 report; 第二网格: 1 citizen's + 1 report — nothing of the street itself or 西城
      expect(inGrids.items.map((i) => i.regionCode).sort()).toEqual([DC1, DC1, DC1, DC2, DC2]);
      const page = expectStatus<{ items: unknown[]; next: number | null }>(
        await gridDc.get('/api/grids/tickets?view=grid&limit=3'),
        200,
      );
      expect(page.items).toHaveLength(3);
      const rest = expectStatus<{ items: unknown[]; next: number | null }>(
        await gridDc.get(`/api/grids/tickets?view=grid&limit=3&before=${page.next}`),
        200,
      );
      expect(rest.items).toHaveLength(2);
      expect(rest.next).toBeNull();
      const mineGrids = expectStatus<{ grids: Array<{ code: string }>; town: { code: string } }>(
        await gridDc.get('/api/grids/mine'),
        200,
      );
      expect(mineGrids.town.code).toBe(DC);
      expect(mineGrids.grids.map((g) => g.code)).toEqual([DC1, DC2]);
    });

    it("a grid worker of 东城街道 cannot see another town's ticket (404), nor the street's own outside their grids", async () => {
      expectStatus(await gridDc.get(`/api/grids/tickets/${xcReportId}`), 404);
      expectStatus(await gridDc.get(`/api/grids/tickets/${atTown}`), 404);
      expectStatus(await gridXc.get(`/api/grids/tickets/${reportedId}`), 404);
      // nor through the staff routes
      expectStatus(await gridDc.get(`/api/tickets/${citizenInGrid}`), 404);
      // a citizen's ticket in their grid: shown, the address masked and no requester
      const t = expectStatus<Record<string, unknown>>(await gridDc.get(`/api/grids/tickets/${citizenInGrid}`), 200);
      expect(t.address).toMatch(/\*\*\*\*$/);
      expect(JSON.stringify(t)).not.toContain('张秀英');
      expect(JSON.stringify(t)).not.toContain('13905301234');
      expect(t).toMatchObject({ mine: false, regionCode: DC1, regionName: '东城街道第一网格' });
      // only grid workers use these routes
      expectStatus(await handlerDc.get('/api/grids/tickets'), 403);
      expectStatus(await c.agent.post('/api/grids/reports', {}), 400);
      expectStatus(await report(c.agent), 403);
    });

    it('bad input is a 400: a grid of another town, an unknown grid, a town code, a bad category, NUL', async () => {
      const other = expectStatus<{ error: { message: string } }>(await report(gridDc, { gridCode: XC1 }), 400);
      expect(other.error.message).toContain('不在您负责的范围内');
      expectStatus(await report(gridDc, { gridCode: DC3 }), 400);
      const unknown = expectStatus<{ error: { message: string } }>(
        await report(gridDc, { gridCode: '371702001999' }),
        400,
      );
      expect(unknown.error.message).toContain('网格不存在');
      expectStatus(await report(gridDc, { gridCode: DC }), 400);
      expectStatus(await report(gridDc, { categoryId: 999999 }), 400);
      expectStatus(await report(gridDc, { categoryId: 99999999999 }), 400);
      expectStatus(await report(gridDc, { content: '井盖\u0000缺失了需要补装' }), 400);
      expectStatus(await report(gridDc, { address: '' }), 400);
      expectStatus(await gridDc.get('/api/grids/tickets/99999999999'), 400);
      expectStatus(await gridDc.get('/api/grids/tickets?view=all'), 400);
      const n = await env()
        .db.selectFrom('tickets')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('channel', '=', 'grid')
        .executeTakeFirstOrThrow();
      expect(Number(n.n)).toBe(3);
    });
  });

  describe('第二十九条 主动发现 counted apart from 群众诉求', () => {
    it("the rollup's channel dimension carries it, and analytics filter on it", async () => {
      const rows = await sql<{ region_code: string; tickets: number }>`
        SELECT region_code, sum(tickets)::int AS tickets FROM analytics_daily
        WHERE channel = 'grid' AND day >= '2025-03-01' GROUP BY region_code ORDER BY region_code`.execute(env().db);
      expect(rows.rows.map((r) => [r.region_code, Number(r.tickets)])).toEqual([
        [DC1, 1],
        [XC1, 1],
      ]);
      const v = expectStatus<{ total: { tickets: number } }>(
        await analyst.get(`/api/analytics/volume?${PERIOD}&channel=grid`),
        200,
      );
      expect(v.total.tickets).toBe(2);
    });
  });

  describe('第二十九条第一款 乡镇（街道）网格视图', () => {
    type Figures = {
      totals: { tickets: number; citizen: number; proactive: number };
      grids: Array<{ code: string; name: string; count: number; inGrid: boolean }>;
      hotGrids: Array<{ code: string; count: number; topMatter: string | null }>;
      topMatters: Array<{ name: string; count: number }>;
      groups: Array<{ name: string; count: number }>;
    };
    const counts = (f: Figures) => Object.fromEntries(f.grids.map((g) => [g.code, g.count]));

    it("shows only its area's grids, with counts by grid from the rollup", async () => {
      const f = expectStatus<Figures>(await handlerDc.get(`/api/towns/${DC}/figures?${PERIOD}`), 200);
      expect(f.totals).toEqual({ tickets: 5, citizen: 4, proactive: 1 });
      expect(counts(f)).toEqual({
        '371702001001': 0,
        '371702001002': 0,
        [DC1]: 3,
        [DC2]: 1,
        [DC3]: 0,
        '371702001104': 0,
        [DC]: 1,
      });
      expect(f.grids.find((g) => g.code === DC)).toMatchObject({ name: '未划入网格', inGrid: false });
      expect(f.hotGrids.map((h) => [h.code, h.count, h.topMatter])).toEqual([
        [DC1, 3, '城乡建设 / 市政设施'],
        [DC2, 1, '环境保护 / 噪声污染'],
      ]);
      expect(f.topMatters[0]).toEqual({ id: cat('CX-SZ'), name: '城乡建设 / 市政设施', count: 4 });
      // the grid worker of the street sees the same view
      const g = expectStatus<Figures>(await gridDc.get(`/api/towns/${DC}/figures?${PERIOD}`), 200);
      expect(g.totals).toEqual(f.totals);
    });

    it("群众诉求 leaves 主动发现 out; 主动发现 alone; a period before holds February's report only", async () => {
      const citizen = expectStatus<Figures>(
        await handlerDc.get(`/api/towns/${DC}/figures?${PERIOD}&source=citizen`),
        200,
      );
      expect(counts(citizen)[DC1]).toBe(2);
      expect(citizen.hotGrids[0]).toMatchObject({ code: DC1, count: 2 });
      const proactive = expectStatus<Figures>(
        await handlerDc.get(`/api/towns/${DC}/figures?${PERIOD}&source=grid`),
        200,
      );
      expect(counts(proactive)).toMatchObject({ [DC1]: 1, [DC2]: 0 });
      const feb = expectStatus<Figures>(
        await handlerDc.get(`/api/towns/${DC}/figures?from=2025-02-01&to=2025-02-28`),
        200,
      );
      expect(feb.totals).toEqual({ tickets: 1, citizen: 0, proactive: 1 });
      expect(counts(feb)[DC2]).toBe(1);
    });

    it('drills down from a grid × matter to its tickets', async () => {
      const d = expectStatus<{ items: Array<{ ticketId: number; channel: string; regionName: string }> }>(
        await handlerDc.get(`/api/towns/${DC}/tickets?${PERIOD}&region=${DC1}&categoryId=${cat('CX')}`),
        200,
      );
      expect(d.items).toHaveLength(3);
      expect(d.items.every((i) => i.regionName === '东城街道第一网格')).toBe(true);
      const onlyGrid = expectStatus<{ items: Array<{ ticketId: number }> }>(
        await handlerDc.get(`/api/towns/${DC}/tickets?${PERIOD}&region=${DC1}&source=grid`),
        200,
      );
      expect(onlyGrid.items.map((i) => i.ticketId)).toEqual([reportedId]);
      const citizen = expectStatus<{ items: Array<{ channel: string }> }>(
        await handlerDc.get(`/api/towns/${DC}/tickets?${PERIOD}&source=citizen`),
        200,
      );
      expect(citizen.items).toHaveLength(4);
      expect(citizen.items.every((i) => i.channel !== 'grid')).toBe(true);
      const paged = expectStatus<{ items: unknown[]; next: string | null }>(
        await handlerDc.get(`/api/towns/${DC}/tickets?${PERIOD}&limit=2`),
        200,
      );
      const rest = expectStatus<{ items: unknown[]; next: string | null }>(
        await handlerDc.get(`/api/towns/${DC}/tickets?${PERIOD}&limit=10&after=${paged.next}`),
        200,
      );
      expect(paged.items.length + rest.items.length).toBe(5);
    });

    it("the town picker offers a town's staff their own town, the centre analyst every town", async () => {
      const own = expectStatus<{ towns: Array<{ code: string; grids: Array<{ code: string }> }> }>(
        await handlerDc.get('/api/towns'),
        200,
      );
      expect(own.towns.map((t) => t.code)).toEqual([DC]);
      expect(own.towns[0]!.grids.map((g) => g.code)).toContain(DC1);
      const all = expectStatus<{ towns: Array<{ code: string }> }>(await analyst.get('/api/towns'), 200);
      expect(all.towns.map((t) => t.code)).toContain('371702002');
      expectStatus(await c.handlerMd.get('/api/towns'), 403);
    });

    it('outside its town: 404; other units 403; the centre analyst any town of the city', async () => {
      expectStatus(await handlerDc.get(`/api/towns/371702002/figures?${PERIOD}`), 404);
      expectStatus(await gridDc.get(`/api/towns/371702002/figures?${PERIOD}`), 404);
      expectStatus(await gridDc.get(`/api/towns/371702002/tickets?${PERIOD}`), 404);
      expectStatus(await c.handlerMd.get(`/api/towns/${DC}/figures?${PERIOD}`), 403);
      expectStatus(await c.agent.get(`/api/towns/${DC}/figures?${PERIOD}`), 403);
      const xc = expectStatus<Figures>(await analyst.get(`/api/towns/371702002/figures?${PERIOD}`), 200);
      expect(xc.totals).toEqual({ tickets: 2, citizen: 1, proactive: 1 });
      expectStatus(await analyst.get(`/api/towns/371702999/figures?${PERIOD}`), 404);
    });

    it('bad input is a 400: a grid of another town, a reversed period, a bad code', async () => {
      expectStatus(await handlerDc.get(`/api/towns/${DC}/tickets?${PERIOD}&region=${XC1}`), 400);
      expectStatus(await handlerDc.get(`/api/towns/${DC}/tickets?${PERIOD}&region=371702001999`), 400);
      expectStatus(await handlerDc.get(`/api/towns/${DC}/figures?from=2025-03-31&to=2025-03-01`), 400);
      expectStatus(await handlerDc.get(`/api/towns/3717020/figures?${PERIOD}`), 400);
      expectStatus(await handlerDc.get(`/api/towns/${DC}/figures?${PERIOD}&source=x`), 400);
      expectStatus(await handlerDc.get(`/api/towns/${DC}/tickets?${PERIOD}&categoryId=99999`), 400);
    });
  });
});

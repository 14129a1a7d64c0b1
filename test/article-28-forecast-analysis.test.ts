import { sql } from 'kysely';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, expectStatus } from './helpers/api.js';
import { dispatchedTicket, loginAll, type Clients } from './helpers/factories.js';
import { describeEachDb, type TestEnv } from './helpers/test-env.js';
import { cubeDeltas, type DailyDelta } from '../src/server/domain/analytics.js';
import { addMonths } from '../src/server/domain/forecast-plan.js';
import { loadTrees } from '../src/server/modules/analytics/analytics-tree.js';
import { rollupAnalytics } from '../src/server/jobs/analytics-rollup.js';
import { rollupAssessment } from '../src/server/jobs/assessment-rollup.js';
import { forecastPass } from '../src/server/jobs/forecast-monthly.js';

// 第二十八条 承办单位主动发现问题：(二) 季节预测 on a constructed seasonal series and the 预案提醒 it gives the unit that
// handles the matter; (一) the unit's own monthly analysis on hand-computed fixtures, as PDF and Excel; scope and 400s.

/** Writes a month's volume straight into the analytics rollup (monthly rows and every cube grain), as the job would. */
async function putMonth(env: TestEnv, month: string, regionCode: string, categoryId: number, tickets: number) {
  const db = env.db;
  const measures = { tickets, closed: 0, overdue: 0, urgent: 0 };
  await sql`INSERT INTO analytics_monthly (month, region_code, category_id, channel, request_type, tickets)
    VALUES (${month}::date, ${regionCode}, ${categoryId}, 'phone', 'help', ${tickets})`.execute(db);
  const trees = await loadTrees(db);
  const delta: DailyDelta = { day: month, regionCode, categoryId, channel: 'phone', requestType: 'help', measures };
  for (const c of cubeDeltas(
    [delta],
    (code, level) => trees.regions.atLevel(code, level),
    (id, level) => trees.categories.atLevel(id, level),
  ))
    await sql`INSERT INTO analytics_cube (grain, channel, request_type, period, region_code, category_id, tickets)
      VALUES (${c.grain}, ${c.channel}, ${c.requestType}, ${c.day}::date, ${c.regionCode}, ${c.categoryId}, ${c.measures.tickets})
      ON CONFLICT (grain, channel, request_type, period, region_code, category_id)
      DO UPDATE SET tickets = analytics_cube.tickets + excluded.tickets`.execute(db);
}

/** 供水 in 牡丹区: 20 a month, 80 in July and 60 in August (the summer peak), June 2022 – May 2025. */
const waterTruth = (month: string) => (month.slice(5, 7) === '07' ? 80 : month.slice(5, 7) === '08' ? 60 : 20);

describeEachDb('第二十八条 季节预测、预案提醒与承办单位月度分析', (env) => {
  let c: Clients;
  let analyst: ApiClient;
  let handlerWater: ApiClient;
  const cat = (code: string) => env().ids.categories[code]!;
  const unit = (code: string) => env().ids.units[code]!;

  beforeAll(async () => {
    c = await loginAll(env());
    analyst = await ApiClient.login(env(), 'analyst');
    handlerWater = c.handlerWater;
    // (一) fixtures: 牡丹区人民政府 receives five tickets in May 2025 (four from one requester) and one in April
    const t = async (when: string, categoryCode: string, phone: string, n: number) => {
      env().clock.set(when);
      await dispatchedTicket(env(), c, 'gov-md', {
        categoryId: cat(categoryCode),
        title: `第${n}件：${categoryCode === 'CX-WY' ? '小区物业不作为' : '路面坑洼需修补'}`,
        content: `第${n}件诉求：${categoryCode === 'CX-WY' ? '小区物业长期不清理楼道杂物，请督促整改。' : '和平路多处路面坑洼，雨天积水严重，请尽快修补。'}`,
        requester: { name: '张秀英', phone },
      });
    };
    await t('2025-04-15T10:00:00+08:00', 'CX-SZ', '13905301234', 0);
    await t('2025-05-06T10:00:00+08:00', 'CX-SZ', '13905301234', 1);
    await t('2025-05-07T10:00:00+08:00', 'CX-SZ', '13905301234', 2);
    await t('2025-05-08T10:00:00+08:00', 'CX-SZ', '13905301234', 3);
    await t('2025-05-09T10:00:00+08:00', 'CX-WY', '13905301234', 4);
    await t('2025-05-12T10:00:00+08:00', 'CX-SZ', '13800001111', 5);
    env().clock.set('2025-06-05T09:00:00+08:00');
    await rollupAssessment(env().db, env().clock.now(), { lagMs: 0 });
    await rollupAnalytics(env().db, env().clock.now(), { lagMs: 0 });
    // hand-set counters of May 20th: 5 finished, 4 of 5 on time, 1 of 5 reworked, 3 of 4 satisfied
    await sql`INSERT INTO assessment_daily (unit_id, day, completion_num, completion_den, ontime_completion_num,
        ontime_completion_den, rework_num, rework_den, satisfaction_num, satisfaction_den)
      VALUES (${unit('gov-md')}, '2025-05-20', 5, 5, 4, 5, 1, 5, 3, 4)`.execute(env().db);
    // (二) the constructed history, replacing what the tickets above put in the rollup
    await sql`DELETE FROM analytics_monthly`.execute(env().db);
    await sql`DELETE FROM analytics_cube`.execute(env().db);
    for (let m = '2022-06-01'; m <= '2025-05-01'; m = addMonths(m, 1)) {
      await putMonth(env(), m, '371702001', cat('CX-GS'), waterTruth(m));
      await putMonth(env(), m, '371703001', cat('CX-SZ'), 10);
    }
  });

  describe('第二十八条(二) 季节预测', () => {
    it('forecasts next month from the rollup with a seasonal model, close to the constructed truth', async () => {
      const r = await forecastPass(env().db, env().clock.now());
      expect(r.forecastRows).toBeGreaterThan(0);
      const rows = await sql<{
        period: string;
        model: string;
        expected: string;
        lower_bound: string;
        upper_bound: string;
      }>`
        SELECT period::text AS period, model, expected, lower_bound, upper_bound FROM forecasts
        WHERE region_code = '371702' AND category_id = ${cat('CX-GS')} ORDER BY period`.execute(env().db);
      const july = rows.rows.find((x) => x.period === '2025-07-01')!;
      expect(['seasonal_naive', 'holt_winters']).toContain(july.model);
      expect(Number(july.expected)).toBeGreaterThanOrEqual(75);
      expect(Number(july.expected)).toBeLessThanOrEqual(85);
      expect(Number(july.lower_bound)).toBeLessThanOrEqual(80);
      expect(Number(july.upper_bound)).toBeGreaterThanOrEqual(80);
      const june = rows.rows.find((x) => x.period === '2025-06-01')!;
      expect(Math.abs(Number(june.expected) - 20)).toBeLessThanOrEqual(3);
      // the twelve months before are backfilled for the chart: 2024-06 … 2025-07
      expect(rows.rows.map((x) => x.period)).toEqual(Array.from({ length: 14 }, (_, i) => addMonths('2024-06-01', i)));
      // a second pass finds nothing missing
      expect(await forecastPass(env().db, env().clock.now())).toEqual({ forecastRows: 0, forecastReminders: 0 });
    });

    it('shows actuals beside forecasts and the largest expected rises (API)', async () => {
      const s = expectStatus(
        await analyst.get(`/api/forecast/series?region=371702&categoryId=${cat('CX-GS')}&months=24`),
        200,
      );
      expect(s.nextMonth).toBe('2025-07');
      expect(s.points).toHaveLength(26);
      const july24 = s.points.find((p: { month: string }) => p.month === '2024-07');
      expect(july24.actual).toBe(80);
      expect(Math.abs(july24.expected - 80)).toBeLessThanOrEqual(5);
      expect(s.next.month).toBe('2025-07');
      expect(s.next.expected).toBeGreaterThanOrEqual(75);
      expect(s.next.models[0].label).toMatch(/去年同月值|Holt-Winters/);
      const rises = expectStatus(await analyst.get('/api/forecast/rises'), 200);
      expect(rises.rows[0]).toMatchObject({ regionName: '牡丹区', categoryName: '城乡建设 / 供水', lastMonth: 20 });
      expect(rises.rows[0].change).toBeGreaterThan(50);
    });

    it('refuses bad input with 400 and units with 403', async () => {
      expectStatus(await analyst.get('/api/forecast/series?months=60'), 400);
      expectStatus(await analyst.get('/api/forecast/series?region=371702001'), 400);
      expectStatus(await analyst.get('/api/forecast/series?region=abc'), 400);
      expectStatus(await analyst.get('/api/forecast/series?categoryId=99999999999'), 400);
      expectStatus(await c.handlerMd.get('/api/forecast/series'), 403);
      // 曹县's centre sees its county only
      const cx = expectStatus(await c.agentCx.get('/api/forecast/rises'), 200);
      expect(cx.rows).toEqual([]);
      expectStatus(await c.agentCx.get('/api/forecast/series?region=371702'), 400);
    });
  });

  describe('第二十八条(二) 预案提醒', () => {
    it('reminds the unit that handles the matter once, before its peak, with last year’s figures', async () => {
      const rows = await sql<{ unit_id: number; month: string; reason: string; last_year: number }>`
        SELECT unit_id, month::text AS month, reason, last_year FROM forecast_reminders ORDER BY unit_id`.execute(
        env().db,
      );
      // 供水 goes to the water company wherever it is (职权法定); the flat 定陶区 series gives no reminder
      expect(rows.rows).toEqual([{ unit_id: unit('water'), month: '2025-07-01', reason: 'both', last_year: 80 }]);
      const mine = expectStatus(await handlerWater.get('/api/forecast/reminders'), 200);
      expect(mine.reminders).toHaveLength(1);
      expect(mine.reminders[0]).toMatchObject({ month: '2025-07', lastYear: 80, unitName: '菏泽市供水有限公司' });
      expect(mine.reminders[0].expected).toBeGreaterThanOrEqual(75);
      expect(mine.reminders[0].details[0]).toMatchObject({ regionName: '牡丹区', lastYear: 80 });
      // another unit sees none of it, and cannot acknowledge it
      expect(expectStatus(await c.handlerMd.get('/api/forecast/reminders'), 200).reminders).toEqual([]);
      expectStatus(await c.handlerMd.get(`/api/forecast/reminders?unitId=${unit('water')}`), 404);
      const id = mine.reminders[0].id;
      expectStatus(await c.handlerMd.post(`/api/forecast/reminders/${id}/acknowledge`), 404);
      expectStatus(await analyst.post(`/api/forecast/reminders/${id}/acknowledge`), 403);
      const ack = expectStatus(await handlerWater.post(`/api/forecast/reminders/${id}/acknowledge`), 200);
      expect(ack.already).toBe(false);
      const audit = await sql<{ n: number }>`
        SELECT count(*)::int AS n FROM admin_audit WHERE entity = 'forecast_reminder' AND entity_id = ${String(id)}`.execute(
        env().db,
      );
      expect(Number(audit.rows[0]!.n)).toBe(1);
      // the centre reads every unit's
      const all = expectStatus(await analyst.get(`/api/forecast/reminders?unitId=${unit('water')}`), 200);
      expect(all.reminders[0].acknowledgedAt).not.toBeNull();
      // never twice: the month recomputed leaves the one reminder
      await sql`DELETE FROM forecasts WHERE period = '2025-07-01'`.execute(env().db);
      const again = await forecastPass(env().db, env().clock.now());
      expect(again.forecastRows).toBeGreaterThan(0);
      expect(again.forecastReminders).toBe(0);
      const count = await sql<{ n: number }>`SELECT count(*)::int AS n FROM forecast_reminders`.execute(env().db);
      expect(Number(count.rows[0]!.n)).toBe(1);
    });
  });

  describe('第二十八条(一) 承办单位月度分析', () => {
    it('gives the unit its month from the rollups, with the previous month and last year', async () => {
      const a = expectStatus(await c.handlerMd.get('/api/unit-analysis?month=2025-05'), 200);
      expect(a.unit.name).toBe('牡丹区人民政府');
      expect(a.current).toMatchObject({
        received: 5,
        finished: 5,
        onTime: 4,
        onTimeDue: 5,
        onTimeRate: 80,
        rework: 1,
        reworkRate: 20,
        satisfied: 3,
        surveyed: 4,
        satisfactionRate: 75,
      });
      expect(a.previous).toMatchObject({ received: 1, finished: 0, satisfactionRate: null });
      expect(a.lastYear).toBeNull();
      expect(
        a.topCategories.map((t: { name: string; tickets: number; previous: number }) => [
          t.name,
          t.tickets,
          t.previous,
        ]),
      ).toEqual([
        ['城乡建设 / 市政设施', 4, 1],
        ['城乡建设 / 物业管理', 1, 0],
      ]);
      expect(a.topCategories[0].share).toBe(80);
      // one requester brought four tickets: a count, nobody named
      expect(a.repeatRequesters).toEqual({ requesters: 1, tickets: 4, previous: 0 });
      expect(JSON.stringify(a)).not.toMatch(/张秀英|1390530/);
      // the centre picks the unit
      const byCentre = expectStatus(
        await analyst.get(`/api/unit-analysis?month=2025-05&unitId=${unit('gov-md')}`),
        200,
      );
      expect(byCentre.current.received).toBe(5);
    });

    it('downloads the analysis as PDF and as Excel with the figures', async () => {
      const pdf = await c.handlerMd.bytes('/api/unit-analysis/report.pdf?month=2025-05');
      expect(pdf.status).toBe(200);
      expect(pdf.type).toContain('application/pdf');
      expect(pdf.data.subarray(0, 4).toString()).toBe('%PDF');
      const xlsx = await c.handlerMd.bytes('/api/unit-analysis/report.xlsx?month=2025-05');
      expect(xlsx.status).toBe(200);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(xlsx.data as unknown as ArrayBuffer);
      const sheet = wb.getWorksheet('办理情况')!;
      const cells = (label: string) => {
        let found: unknown[] = [];
        sheet.eachRow((row) => {
          const v = row.values as unknown[];
          if (v[1] === label) found = v.slice(1);
        });
        return found;
      };
      expect(cells('受理量（件）')).toEqual(['受理量（件）', '5', '1', '—']);
      expect(cells('满意率')).toEqual(['满意率', '75%', '—', '—']);
      const top = wb.getWorksheet('主要诉求事项')!;
      expect(top.getRow(2).values).toEqual([undefined, '城乡建设 / 市政设施', 4, 80, 1]);
      const logged = await sql<{ n: number }>`
        SELECT count(*)::int AS n FROM access_log WHERE kind = 'export' AND filter->>'screen' = '月度分析'`.execute(
        env().db,
      );
      expect(Number(logged.rows[0]!.n)).toBe(2);
    });

    it('keeps each unit to its own analysis (404) and refuses bad months (400)', async () => {
      expectStatus(await c.handlerCg.get(`/api/unit-analysis?month=2025-05&unitId=${unit('gov-md')}`), 404);
      expectStatus(await c.handlerCg.get(`/api/unit-analysis/report.pdf?month=2025-05&unitId=${unit('gov-md')}`), 404);
      expectStatus(await c.handlerCg.get(`/api/unit-analysis/report.xlsx?month=2025-05&unitId=${unit('gov-md')}`), 404);
      expectStatus(await c.agentCx.get(`/api/unit-analysis?month=2025-05&unitId=${unit('gov-md')}`), 403);
      expectStatus(await c.handlerMd.get('/api/unit-analysis?month=2025-5'), 400);
      expectStatus(await c.handlerMd.get('/api/unit-analysis?month=2025-13'), 400);
      expectStatus(await c.handlerMd.get('/api/unit-analysis?month=2099-01'), 400);
      expectStatus(await c.handlerMd.get('/api/unit-analysis?month=2025-07'), 400);
      expectStatus(await c.handlerMd.get('/api/unit-analysis?month=2025-05%00'), 400);
      expectStatus(await analyst.get('/api/unit-analysis?month=2025-05'), 400);
      expectStatus(await analyst.get('/api/unit-analysis?month=2025-05&unitId=99999999999'), 400);
    });
  });
});

import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, expectStatus } from './helpers/api.js';
import { createTicket, loginAll, type Clients } from './helpers/factories.js';
import { describeEachDb } from './helpers/test-env.js';
import { addDays } from '../src/server/domain/analytics.js';
import { weeksBetween } from '../src/server/domain/emerging-terms.js';
import { emergingTermsPass } from '../src/server/jobs/emerging-terms.js';
import type {
  EmergingRemindersView,
  EmergingTermsView,
  EmergingTicketsView,
} from '../src/shared/contracts/emerging.js';

// 第二十八条(三)(四) 研究新业态、新领域问题: the words of real tickets counted by the job, the week ranked against a
// constructed baseline, the list and the tickets behind a word, scope by region, and odd input.
//
// The clock is TEST_START, Monday 2025-03-03: the week ranked is 2025-02-24, its recent window 2025-02-03 … 03-02, its
// baseline the 26 weeks 2024-08-05 … 2025-02-02, the same four weeks a year before 2024-02-05 … 2024-02-26 (Mondays).

const WEEK = '2025-02-24';
const MUDAN = '371702';
const CAOXIAN = '371721';
const CITY = '371700';

describeEachDb('第二十八条(三)(四) 新兴诉求词', (env) => {
  let c: Clients;
  let analyst: ApiClient;
  let pass: Awaited<ReturnType<typeof emergingTermsPass>>;

  const list = async (client: ApiClient, query = '') =>
    expectStatus<EmergingTermsView>(await client.get(`/api/emerging-terms${query}`), 200);
  /** The listed group a word belongs to: as its leading word or one beside it (words of the same tickets). */
  const groupOf = (v: EmergingTermsView, word: string) =>
    v.terms.find((t) => t.term === word || t.related.includes(word));

  beforeAll(async () => {
    c = await loginAll(env());
    analyst = await ApiClient.login(env(), 'analyst');
    const db = env().db;
    // a ticket from before the kept weeks (64 weeks back from the week ranked): never segmented, the cursor starts after it
    env().clock.set('2023-06-01T10:00:00+08:00');
    await createTicket(env(), c.agent, {
      title: '共享单车乱停放',
      content: '小区门口共享单车乱停放，堵住了消防通道。',
    });
    // the baseline in 牡丹区 as the counts would hold it: 10 tickets a week, 路灯 in five, 噪音 in two
    for (const week of weeksBetween('2024-08-05', '2025-01-27')) {
      await sql`INSERT INTO term_week_totals (week, region_code, tickets) VALUES (${week}, ${MUDAN}, 10)`.execute(db);
      await sql`INSERT INTO term_weeks (week, region_code, term, tickets)
        VALUES (${week}, ${MUDAN}, '路灯', 5), (${week}, ${MUDAN}, '噪音', 2)`.execute(db);
    }
    // a year before, the heating complaints of every winter
    for (const week of weeksBetween('2024-02-05', '2024-02-26')) {
      await sql`INSERT INTO term_week_totals (week, region_code, tickets) VALUES (${week}, ${MUDAN}, 10)`.execute(db);
      await sql`INSERT INTO term_weeks (week, region_code, term, tickets) VALUES (${week}, ${MUDAN}, '暖气', 4)`.execute(
        db,
      );
    }
    // the recent window, through the API: prepaid cards of closed gyms (new), heating (seasonal), street lamps (as ever)
    const at = (day: number) => env().clock.set(`${addDays('2025-02-04', day)}T10:00:00+08:00`);
    const prepaid = [
      '东城街道一家健身房突然闭店，我办的预付卡还有三千元，老板联系不上，请市场监管部门处理。',
      '和平路的美容店关门了，预付卡里的余额不给退，店家说换了老板。',
      '孩子的培训机构停课跑路，预交的预付卡课时费退不了，请有关部门介入。',
    ];
    for (let i = 0; i < 6; i++) {
      at(i * 3);
      const t = await createTicket(env(), c.agent, {
        categoryId: env().ids.categories['SC-XF'],
        title: '健身房闭店预付卡无法退费',
        content: prepaid[i % 3],
      });
      // three of them go to 牡丹区人民政府 (the unit that reads its own behind the word, and is told of it)
      if (i < 3)
        expectStatus(
          await c.dispatcher.post(`/api/tickets/${t.id}/dispatch`, { leadUnitId: env().ids.units['gov-md'] }),
          200,
        );
    }
    for (let i = 0; i < 5; i++) {
      at(i * 4 + 1);
      await createTicket(env(), c.agent, {
        categoryId: env().ids.categories['SC-XF'],
        regionCode: '371721001',
        address: '曹县倪集街道青菏路',
        title: '预付卡商家跑路',
        content: '倪集街道的一家理发店关门了，预付卡的钱退不回来，请帮忙协调。',
      });
    }
    for (let i = 0; i < 6; i++) {
      at(i * 4 + 2);
      await createTicket(env(), c.agent, {
        categoryId: env().ids.categories['CX-GN'],
        title: '小区暖气不热',
        content: '家里暖气片温度很低，室内只有十四五度，请供热公司上门排查。',
      });
    }
    for (let i = 0; i < 4; i++) {
      at(i * 5);
      await createTicket(env(), c.agent); // 路灯 not lit: the default
    }
    env().clock.set('2025-03-03T09:00:00+08:00');
    pass = await emergingTermsPass(db, env().clock.now(), { lagMs: 0 });
  });

  describe('the job', () => {
    it("counts each new ticket's words once, in its week and county", async () => {
      expect(pass.emergingTickets).toBe(21);
      const r = await sql<{ week: string; region_code: string; tickets: number }>`
        SELECT week::text AS week, region_code, tickets FROM term_weeks WHERE term = '预付卡' ORDER BY 1, 2`.execute(
        env().db,
      );
      // weeks of 2025-02-04 + 0, 3, 6, 9, 12, 15 days (牡丹区) and + 1, 5, 9, 13, 17 (曹县)
      expect(r.rows.map((x) => [String(x.week).slice(0, 10), x.region_code, Number(x.tickets)])).toEqual([
        ['2025-02-03', MUDAN, 2],
        ['2025-02-03', CAOXIAN, 2],
        ['2025-02-10', MUDAN, 3],
        ['2025-02-10', CAOXIAN, 1],
        ['2025-02-17', MUDAN, 1],
        ['2025-02-17', CAOXIAN, 2],
      ]);
      // the ticket of 2023 is outside the kept weeks: not read at all
      const old = await sql<{ n: number }>`
        SELECT count(*)::int AS n FROM term_weeks WHERE term = '共享单车' OR week < '2023-12-11'`.execute(env().db);
      expect(Number(old.rows[0]!.n)).toBe(0);
      // place names of the centre are not words of a matter
      const places = await sql<{ n: number }>`
        SELECT count(*)::int AS n FROM term_weeks WHERE term IN ('东城', '东城街道', '倪集', '牡丹区')`.execute(
        env().db,
      );
      expect(Number(places.rows[0]!.n)).toBe(0);
    });

    it('ranks the last complete week once, for the city and each county, and a second pass changes nothing', async () => {
      expect(pass.emergingRanked).toBeGreaterThan(0);
      const count = async () =>
        Number((await sql<{ n: number }>`SELECT count(*)::int AS n FROM emerging_terms`.execute(env().db)).rows[0]!.n);
      const before = await count();
      const again = await emergingTermsPass(env().db, env().clock.now(), { lagMs: 0 });
      expect(again).toMatchObject({ emergingTickets: 0, emergingRanked: 0 });
      expect(await count()).toBe(before);
    });

    it('two schedulers ranking the same week store it once', async () => {
      await sql`DELETE FROM emerging_weeks WHERE region_code = ${MUDAN} AND week = ${WEEK}`.execute(env().db);
      const both = await Promise.all([
        emergingTermsPass(env().db, env().clock.now(), { lagMs: 0 }),
        emergingTermsPass(env().db, env().clock.now(), { lagMs: 0 }),
      ]);
      expect(both[0].emergingRanked + both[1].emergingRanked).toBe(1);
      const rows = await sql<{ n: number }>`
        SELECT count(*)::int AS n FROM emerging_weeks WHERE region_code = ${MUDAN} AND week = ${WEEK}`.execute(
        env().db,
      );
      expect(Number(rows.rows[0]!.n)).toBe(1);
    });

    it('a week is not ranked before every ticket of it is counted', async () => {
      // a ticket created on the week's Sunday, not yet counted (the cursor holds back what is younger than its lag)
      env().clock.set('2025-03-09T20:00:00+08:00');
      await createTicket(env(), c.agent, { title: '周日的路灯', content: '周日晚上路灯又不亮了。' });
      env().clock.set('2025-03-10T00:00:30+08:00');
      const r = await emergingTermsPass(env().db, env().clock.now(), { lagMs: 6 * 3_600_000 });
      expect(r.emergingRanked).toBe(0);
      const week = await sql<{ n: number }>`
        SELECT count(*)::int AS n FROM emerging_weeks WHERE week = '2025-03-03'`.execute(env().db);
      expect(Number(week.rows[0]!.n)).toBe(0);
      env().clock.set('2025-03-03T09:00:00+08:00');
    });
  });

  describe('the list', () => {
    it('the city: the new prepaid-card words first, heating marked seasonal, street lamps (as ever) not listed', async () => {
      const v = await list(analyst);
      expect(v.region).toBe(CITY);
      expect(v.regions[0]).toEqual({ code: CITY, name: '菏泽市' });
      expect(v.regions.map((r) => r.code)).toContain(CAOXIAN);
      expect(v.week).toBe(WEEK);
      expect(v.weeks[0]).toBe(WEEK);
      expect(v.status).toBe('ok');
      expect(v.recentFrom).toBe('2025-02-03');
      expect(v.baselineFrom).toBe('2024-08-05');
      expect(v.seriesWeeks).toHaveLength(30);
      expect(v.recentTickets).toBe(21);
      expect(v.baselineTickets).toBe(260);
      const prepaid = v.terms.find((t) => t.term === '预付卡')!;
      expect(prepaid).toMatchObject({ recent: 11, baseline: 0, isNew: true, ratio: null, seasonal: false });
      expect(prepaid.series.slice(-4)).toEqual([4, 4, 3, 0]);
      expect(prepaid.series.reduce((a, b) => a + b, 0)).toBe(11);
      expect(v.terms[0]!.rank).toBe(1);
      // every heating ticket told the same words: one group (led by the longest of its words), seasonal because 暖气
      // among them came back from last year's weeks
      const heating = groupOf(v, '暖气片')!;
      expect(heating).toMatchObject({ recent: 6, seasonal: true });
      expect(heating.related).toEqual(expect.arrayContaining(['不热', '室内']));
      expect(groupOf(v, '路灯')).toBeUndefined();
      for (let i = 1; i < v.terms.length; i++) expect(v.terms[i - 1]!.score).toBeGreaterThanOrEqual(v.terms[i]!.score);
    });

    it('a county: its own words; a county without enough history says so', async () => {
      const md = await list(analyst, `?region=${MUDAN}`);
      // in 牡丹区 the six prepaid-card tickets share their title: 预付卡, 健身房, 闭店 … are one group
      const prepaid = groupOf(md, '预付卡')!;
      expect(prepaid).toMatchObject({ recent: 6, isNew: true });
      expect([prepaid.term, ...prepaid.related]).toEqual(expect.arrayContaining(['预付卡', '健身房', '闭店']));
      const cx = await list(analyst, `?region=${CAOXIAN}&week=${WEEK}`);
      expect(cx).toMatchObject({ region: CAOXIAN, status: 'short_history', terms: [] });
    });

    it('the tickets behind a word, and the categories they hide under', async () => {
      const v = expectStatus<EmergingTicketsView>(
        await analyst.get(`/api/emerging-terms/tickets?term=${encodeURIComponent('预付卡')}&region=${MUDAN}`),
        200,
      );
      expect(v).toMatchObject({
        term: '预付卡',
        region: MUDAN,
        ownUnitOnly: false,
        from: '2025-02-03',
        to: '2025-03-02',
        sampled: 6,
      });
      expect(v.capped).toBe(false);
      expect(v.tickets).toHaveLength(6);
      expect(v.tickets[0]!.createdAt >= v.tickets[5]!.createdAt).toBe(true);
      expect(v.categories).toEqual([
        { categoryId: env().ids.categories['SC-XF'], path: expect.stringContaining('消费维权'), tickets: 6 },
      ]);
      const city = expectStatus<EmergingTicketsView>(
        await analyst.get(`/api/emerging-terms/tickets?term=${encodeURIComponent('预付卡')}&week=${WEEK}`),
        200,
      );
      expect(city.tickets).toHaveLength(11);
    });
  });

  describe('第三十条 who reads it', () => {
    it("a county centre's staff read their county only", async () => {
      const v = await list(c.agentCx);
      expect(v.regions).toEqual([{ code: CAOXIAN, name: '曹县' }]);
      expect(v.region).toBe(CAOXIAN);
      expect((await c.agentCx.get(`/api/emerging-terms?region=${MUDAN}`)).status).toBe(400);
      expect((await c.agentCx.get(`/api/emerging-terms?region=${CITY}`)).status).toBe(400);
      const t = expectStatus<EmergingTicketsView>(
        await c.agentCx.get(`/api/emerging-terms/tickets?term=${encodeURIComponent('预付卡')}`),
        200,
      );
      expect(t.tickets).toHaveLength(5);
      expect(t.tickets.every((x) => x.regionName.startsWith('曹县'))).toBe(true);
      expect((await c.agentCx.get(`/api/emerging-terms/tickets?term=预付卡&region=${MUDAN}`)).status).toBe(400);
    });

    it("a unit's people read the city's words and, behind a word, only their own unit's tickets", async () => {
      const v = await list(c.handlerMd);
      expect(v.region).toBe(CITY);
      expect(v.terms.find((t) => t.term === '预付卡')).toMatchObject({ recent: 11 });
      const t = expectStatus<EmergingTicketsView>(
        await c.managerMd.get(`/api/emerging-terms/tickets?term=${encodeURIComponent('预付卡')}`),
        200,
      );
      expect(t).toMatchObject({ ownUnitOnly: true, sampled: 3 });
      expect(t.tickets).toHaveLength(3);
      const other = expectStatus<EmergingTicketsView>(
        await c.handlerCx.get(`/api/emerging-terms/tickets?term=${encodeURIComponent('预付卡')}&region=${MUDAN}`),
        200,
      );
      expect(other.tickets).toEqual([]);
    });

    it("the city centre's agents and dispatchers are refused", async () => {
      for (const client of [c.agent, c.dispatcher, c.callback]) {
        expect((await client.get('/api/emerging-terms')).status).toBe(403);
        expect((await client.get('/api/emerging-terms/tickets?term=预付卡')).status).toBe(403);
      }
    });
  });

  describe('新兴诉求提醒: the units that lead a rising matter are told', () => {
    const reminders = async (client: ApiClient, query = '') =>
      expectStatus<EmergingRemindersView>(await client.get(`/api/emerging-terms/reminders${query}`), 200).reminders;
    const count = async () =>
      Number(
        (await sql<{ n: number }>`SELECT count(*)::int AS n FROM emerging_reminders`.execute(env().db)).rows[0]!.n,
      );

    it("a unit leading three of the prepaid-card tickets is told once, of the newest week's city list", async () => {
      expect(pass.emergingReminders).toBe(1);
      const [r, ...rest] = await reminders(c.handlerMd);
      expect(rest).toEqual([]);
      expect(r).toMatchObject({
        unitId: env().ids.units['gov-md'],
        week: WEEK,
        region: CITY,
        regionName: '菏泽市',
        recent: 11,
        baseline: 0,
        isNew: true,
        ratio: null,
        unitTickets: 3,
        sampled: 11,
        acknowledgedAt: null,
      });
      expect(r!.words).toContain('预付卡');
      expect(r!.words[0]).toBe(r!.term);
      expect(r!.categories).toEqual([
        { categoryId: env().ids.categories['SC-XF'], path: expect.stringContaining('消费维权'), tickets: 3 },
      ]);
      // 牡丹区's own list found the same matter (its words overlap): not told twice; 曹县's units lead none of it
      expect(await reminders(c.handlerCx)).toEqual([]);
      // the weeks a fresh start ranked before the newest are history: nobody is told of them
      const weeks = await sql<{ week: string }>`SELECT DISTINCT week::text AS week FROM emerging_reminders`.execute(
        env().db,
      );
      expect(weeks.rows.map((x) => String(x.week).slice(0, 10))).toEqual([WEEK]);
    });

    it('a list ranked again does not tell a unit again of a matter it was told of within 26 weeks', async () => {
      const before = await count();
      await sql`DELETE FROM emerging_weeks WHERE region_code = ${CITY} AND week = ${WEEK}`.execute(env().db);
      const again = await emergingTermsPass(env().db, env().clock.now(), { lagMs: 0 });
      expect(again.emergingRanked).toBe(1);
      expect(again.emergingReminders).toBe(0);
      expect(await count()).toBe(before);
    });

    it("the centre's readers see every unit's, or one unit's; the city centre's agents are refused", async () => {
      const all = await reminders(analyst);
      expect(all.map((r) => r.unitName)).toEqual(['牡丹区人民政府']);
      expect(await reminders(c.supervisor, `?unitId=${env().ids.units['gov-cx']}`)).toEqual([]);
      expect((await c.agent.get('/api/emerging-terms/reminders')).status).toBe(403);
      // a unit's people ask for another unit's: not theirs to know
      expect((await c.handlerMd.get(`/api/emerging-terms/reminders?unitId=${env().ids.units['gov-cx']}`)).status).toBe(
        404,
      );
    });

    it('the unit acknowledges it (已阅) once, audited; others cannot', async () => {
      const [r] = await reminders(c.managerMd);
      expect((await c.handlerCx.post(`/api/emerging-terms/reminders/${r!.id}/acknowledge`)).status).toBe(404);
      expect((await analyst.post(`/api/emerging-terms/reminders/${r!.id}/acknowledge`)).status).toBe(403);
      const first = expectStatus<{ already: boolean }>(
        await c.managerMd.post(`/api/emerging-terms/reminders/${r!.id}/acknowledge`),
        200,
      );
      expect(first.already).toBe(false);
      const second = expectStatus<{ already: boolean }>(
        await c.handlerMd.post(`/api/emerging-terms/reminders/${r!.id}/acknowledge`),
        200,
      );
      expect(second.already).toBe(true);
      const [read] = await reminders(c.handlerMd);
      expect(read!.acknowledgedAt).not.toBeNull();
      expect(read!.acknowledgedByName).toBeTruthy();
      const audit = await sql<{ n: number }>`
        SELECT count(*)::int AS n FROM admin_audit WHERE entity = 'emerging_reminder' AND entity_id = ${String(r!.id)}
          AND action = 'acknowledge'`.execute(env().db);
      expect(Number(audit.rows[0]!.n)).toBe(1);
    });

    it("newest first, 24 a page with the next page's key; `unread` leaves out what was read", async () => {
      const md = env().ids.units['gov-md'];
      for (let i = 0; i < 25; i++)
        await sql`INSERT INTO emerging_reminders (unit_id, week, region_code, term, words, recent, baseline, ratio,
            is_new, unit_tickets, sampled, created_at)
          VALUES (${md}, '2025-02-17', ${CITY}, ${`旧词${i}`}, ARRAY[${`旧词${i}`}], 9, 0, NULL, true, 3, 9, now())`.execute(
          env().db,
        );
      const first = expectStatus<EmergingRemindersView>(await c.handlerMd.get('/api/emerging-terms/reminders'), 200);
      expect(first.reminders).toHaveLength(24);
      expect(first.reminders[0]!.term).toBe('旧词24');
      expect(first.next).toBe(first.reminders[23]!.id);
      const second = expectStatus<EmergingRemindersView>(
        await c.handlerMd.get(`/api/emerging-terms/reminders?before=${first.next}`),
        200,
      );
      // the last of the 25 and the prepaid-card reminder, read in the test above
      expect(second.reminders.map((r) => r.term)).toEqual(['旧词0', expect.any(String)]);
      expect(second.next).toBeNull();
      const unread = expectStatus<EmergingRemindersView>(
        await c.handlerMd.get('/api/emerging-terms/reminders?unread=true&before=' + first.reminders[20]!.id),
        200,
      );
      expect(unread.reminders.map((r) => r.term)).toEqual(['旧词3', '旧词2', '旧词1', '旧词0']);
      expect(unread.reminders.every((r) => r.acknowledgedAt === null)).toBe(true);
      await sql`DELETE FROM emerging_reminders WHERE term LIKE '旧词%'`.execute(env().db);
    });

    it.each([
      ['an unknown reminder', '/api/emerging-terms/reminders/999999/acknowledge', 404],
      ['a huge id', '/api/emerging-terms/reminders/99999999999999999999/acknowledge', 400],
      ['not a number', '/api/emerging-terms/reminders/abc/acknowledge', 400],
    ])('%s', async (_name, url, status) => {
      expect((await c.handlerMd.post(url)).status).toBe(status);
    });

    it.each([
      ['a page key that is no number', '?before=abc'],
      ['unread that is no yes or no', '?unread=1'],
      ['a unit id that is no number', '?unitId=abc'],
      ['a NUL byte', '?unitId=%00'],
      ['a huge unit id', '?unitId=99999999999999999999'],
    ])('a list: %s answers 400', async (_name, query) => {
      expect((await analyst.get(`/api/emerging-terms/reminders${query}`)).status).toBe(400);
    });
  });

  describe('odd input answers 400 (or 404), never 500', () => {
    it.each([
      ['a week that is no Monday', `?week=2025-02-25`, 400],
      ['a day that does not exist', `?week=2025-02-31`, 400],
      ['a NUL byte', `?region=%00`, 400],
      ['a short region code', `?region=37`, 400],
      ['a town (words are counted by county)', `?region=371702001`, 400],
      ['an unknown region', `?region=999999`, 400],
      ['a week not ranked', `?week=2024-01-01`, 404],
      ['an array', `?week=2025-02-24&week=2025-02-17`, 400],
    ])('%s', async (_name, query, status) => {
      const r = await analyst.get(`/api/emerging-terms${query}`);
      expect(r.status).toBe(status);
      expect(r.body.error?.message ?? r.body.message).toBeTruthy();
    });

    it.each([
      ['no word', ''],
      ['one character', '?term=卡'],
      ['letters', '?term=abc'],
      ['a NUL byte', '?term=%E9%A2%84%00'],
      ['too long', `?term=${encodeURIComponent('预'.repeat(9))}`],
      ['a quote', `?term=${encodeURIComponent("预付'卡")}`],
    ])('a word: %s', async (_name, query) => {
      expect((await analyst.get(`/api/emerging-terms/tickets${query}`)).status).toBe(400);
    });
  });
  describe('a shutdown under way', () => {
    it('a pass ends after the batch it is in; the next one goes on from the cursor', async () => {
      env().clock.set('2025-03-10T08:00:00+08:00');
      for (let i = 0; i < 3; i++)
        await createTicket(env(), c.agent, { title: `充电桩不够用${i}`, content: '小区的电动自行车充电桩不够用。' });
      const first = await emergingTermsPass(env().db, env().clock.now(), {
        lagMs: 0,
        batchSize: 1,
        maxBatches: 1,
        stopping: () => true,
      });
      expect(first).toMatchObject({ emergingTickets: 1, emergingRanked: 0 });
      // the Sunday ticket of the test above was the first; the three of today follow
      const rest = await emergingTermsPass(env().db, env().clock.now(), { lagMs: 0 });
      expect(rest.emergingTickets).toBe(3);
      env().clock.set('2025-03-03T09:00:00+08:00');
    });
  });
});

import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, expectStatus } from './helpers/api.js';
import { createTicket, loginAll, PHONE, type Clients } from './helpers/factories.js';
import { describeEachDb } from './helpers/test-env.js';
import { OPEN_DATA_COLUMNS } from '../src/shared/contracts/disclosure.js';
import { validatePublicReport } from '../src/server/domain/disclosure/validate.js';
import { seedDemoDisclosure } from '../src/server/demo/disclosure-demo.js';

// 第二十一条 信息公开: the monthly report — drafted from the aggregates, suppressed, reviewed and published by a
// second person, immutable in the database, corrected by a new version with a note, read by the public without
// login as pages and as open data; a county centre works on its county only (docs/disclosure.md).
describeEachDb('第二十一条 信息公开', (env) => {
  let c: Clients;
  let analyst: ApiClient;
  let supervisorCx: ApiClient;
  const numbers: string[] = [];
  let demo: { skipped: boolean; month?: string };
  const anon = async (url: string) => {
    const res = await env().app.inject({ method: 'GET', url });
    const json = String(res.headers['content-type'] ?? '').includes('json');
    return { status: res.statusCode, body: json ? JSON.parse(res.body) : res.body, headers: res.headers };
  };
  const del = (client: ApiClient, url: string) => client.request('DELETE', url);

  beforeAll(async () => {
    c = await loginAll(env());
    analyst = await ApiClient.login(env(), 'analyst');
    // a supervisor of the 曹县 centre (a county centre sees its county only)
    const db = env().db;
    const sup = await db.selectFrom('users').selectAll().where('username', '=', 'supervisor').executeTakeFirstOrThrow();
    await db
      .insertInto('users')
      .values({
        username: 'supervisor_cx',
        display_name: '曹县督办员',
        password_hash: sup.password_hash,
        unit_id: env().ids.units['centre-cx']!,
        roles: ['supervisor'],
        scope: 'region',
        created_at: new Date(),
        must_change_password: false,
      })
      .execute();
    supervisorCx = await ApiClient.login(env(), 'supervisor_cx');
    // the demo's report of last month (February: the clock is at the start of March), through the real workflow
    demo = await seedDemoDisclosure(env().db, env().services.disclosure.reports, env().clock, { timeoutMs: 5_000 });
    // March 2025: six phone complaints in 牡丹区 (from a named requester with a phone), two web consultations,
    // one 曹县 ticket
    env().clock.set('2025-03-10T09:00:00+08:00');
    for (let i = 0; i < 6; i++) numbers.push((await createTicket(env(), c.agent)).number);
    for (let i = 0; i < 2; i++)
      numbers.push(
        (
          await createTicket(env(), c.agent, {
            requestType: 'consult',
            title: '咨询社保缴费',
            content: `李建国（电话 ${PHONE}）咨询灵活就业社保缴费基数`,
          })
        ).number,
      );
    numbers.push((await createTicket(env(), c.agentCx, { regionCode: '371721001', address: '曹县倪集街道' })).number);
    env().clock.set('2025-04-02T09:00:00+08:00');
  });

  let draftId: number;

  describe('第二十一条 生成草稿', () => {
    it('refuses bad input with 400', async () => {
      for (const body of [
        { month: '2025-13' },
        { month: 'abc' },
        { month: 202503 },
        { month: '2025-03\u0000' },
        { month: '2025-03', regionCode: '3717' },
        { month: '1999-12' },
        { month: '2025-03', correctionNote: { a: { b: { c: [1] } } } },
      ])
        expect((await analyst.post('/api/disclosure/reports', body)).status).toBe(400);
      expect((await analyst.get('/api/disclosure/reports/99999999999')).status).toBe(400);
      expect((await analyst.get('/api/disclosure/reports/abc')).status).toBe(400);
      expect((await analyst.put('/api/disclosure/reports/1', { cases: 'x' })).status).toBe(400);
      expect((await anon('/api/public/disclosure/2025-3')).status).toBe(400);
      expect((await anon('/api/public/disclosure/data/2025-03.xml')).status).toBe(400);
      expect((await anon('/api/public/disclosure/2025-03?version=-1')).status).toBe(400);
    });

    it('only a finished month; only the centre staff', async () => {
      expect((await analyst.post('/api/disclosure/reports', { month: '2025-04' })).status).toBe(422);
      expect((await c.agent.post('/api/disclosure/reports', { month: '2025-03' })).status).toBe(403);
      expect((await c.handlerMd.get('/api/disclosure/reports')).status).toBe(403);
    });

    it('builds the month from the aggregates, with small counts suppressed', async () => {
      const r = expectStatus(await analyst.post('/api/disclosure/reports', { month: '2025-03' }), 201);
      draftId = r.id;
      expect(r).toMatchObject({ status: 'draft', version: 1, regionCode: '371700' });
      const t = r.report.tickets;
      expect(t.byType.total).toEqual({ value: 9, suppressed: false });
      // two consultations: under 5, shown as "<5"; the seven complaints, their only sibling, are hidden with them
      // (else 9 − 7 would give the two back: secondary suppression)
      expect(t.byType.rows.find((x: any) => x.key === 'consult').count).toEqual({ value: null, suppressed: true });
      expect(t.byType.rows.find((x: any) => x.key === 'complaint').count).toEqual({ value: null, suppressed: true });
      expect(t.byChannel.rows).toEqual([{ key: 'phone', label: '电话', count: { value: 9, suppressed: false } }]);
      expect(r.report.topMatters.rows.length).toBeGreaterThan(0);
      expect(r.problems).toEqual([]);
      // a month may have only one open draft
      expect((await analyst.post('/api/disclosure/reports', { month: '2025-03' })).status).toBe(409);
    });
  });

  describe('第二十一条 并发', () => {
    it('two drafts of one month at once: one is made, the other answers 409', async () => {
      const [a, b] = await Promise.all([
        analyst.post('/api/disclosure/reports', { month: '2024-11' }),
        c.supervisor.post('/api/disclosure/reports', { month: '2024-11' }),
      ]);
      expect([a.status, b.status].sort()).toEqual([201, 409]);
    });
  });

  describe('第二十一条 典型案例', () => {
    it('the summary is staff-written: phone-like, ID-like or ticket-like text is refused', async () => {
      const bad = await analyst.put(`/api/disclosure/reports/${draftId}`, {
        cases: [{ ticketNumber: numbers[0], title: '路灯维修', summary: `请联系 ${PHONE} 了解维修进度和结果` }],
      });
      expect(bad.status).toBe(422);
      const id = await analyst.put(`/api/disclosure/reports/${draftId}`, {
        cases: [{ ticketNumber: numbers[0], title: '路灯维修', summary: '身份证 37172119900101123X 的群众反映路灯' }],
      });
      expect(id.status).toBe(422);
      const other = await analyst.put(`/api/disclosure/reports/${draftId}`, {
        cases: [{ ticketNumber: 'HZ20990101-000001', title: '路灯维修', summary: '经协调三日内修复路灯，群众满意。' }],
      });
      expect(other.status).toBe(422);
      const ok = expectStatus(
        await analyst.put(`/api/disclosure/reports/${draftId}`, {
          foreword: '3 月份热线运行平稳。',
          cases: [
            { ticketNumber: numbers[0], title: '路灯维修', summary: '城管部门接单后三日内修复路灯，群众表示满意。' },
          ],
        }),
        200,
      );
      expect(ok.cases[0]).toMatchObject({ ticketNumber: numbers[0], title: '路灯维修' });
      expect(ok.report.cases[0]).toEqual({
        title: '路灯维修',
        category: expect.any(String),
        unit: expect.any(String),
        summary: '城管部门接单后三日内修复路灯，群众表示满意。',
      });
    });
  });

  describe('第二十一条 审核发布', () => {
    it('submit, then publish by a second person (supervisor or admin); the drafter and analysts cannot', async () => {
      expect((await analyst.post(`/api/disclosure/reports/${draftId}/publish`)).status).toBe(409); // not in review
      expectStatus(await analyst.post(`/api/disclosure/reports/${draftId}/submit`), 200);
      expect((await analyst.put(`/api/disclosure/reports/${draftId}`, { foreword: 'x' })).status).toBe(409);
      expect((await analyst.post(`/api/disclosure/reports/${draftId}/publish`)).status).toBe(403);
      // returned with a note, edited, submitted again
      expectStatus(await c.supervisor.post(`/api/disclosure/reports/${draftId}/return`, { note: '请补充说明' }), 200);
      expectStatus(
        await analyst.put(`/api/disclosure/reports/${draftId}`, { foreword: '3 月份热线运行平稳，详见下文。' }),
        200,
      );
      expectStatus(await analyst.post(`/api/disclosure/reports/${draftId}/submit`), 200);
      const p = expectStatus(await c.supervisor.post(`/api/disclosure/reports/${draftId}/publish`), 200);
      expect(p).toMatchObject({ status: 'published', publishedBy: expect.any(String) });
      expect(p.report.publishedAt).toBeTruthy();
      const actions = await env()
        .db.selectFrom('admin_audit')
        .select('action')
        .where('entity', '=', 'disclosure_report')
        .where('entity_id', '=', String(draftId))
        .orderBy('id')
        .execute();
      expect(actions.map((a) => a.action)).toEqual(['create', 'edit', 'submit', 'return', 'edit', 'submit', 'publish']);
    });

    it('the drafter may not publish their own report, even as a supervisor', async () => {
      const own = expectStatus(await c.supervisor.post('/api/disclosure/reports', { month: '2025-01' }), 201);
      expectStatus(await c.supervisor.post(`/api/disclosure/reports/${own.id}/submit`), 200);
      const res = await c.supervisor.post(`/api/disclosure/reports/${own.id}/publish`);
      expect(res.status).toBe(403);
      expect(res.body.error.details).toMatchObject({ rule: 'four_eyes' });
      expectStatus(await c.admin.post(`/api/disclosure/reports/${own.id}/publish`), 200);
    });
  });

  describe('第二十一条 发布后不可修改', () => {
    it('the database refuses UPDATE, DELETE and TRUNCATE of a published version', async () => {
      const db = env().db;
      await expect(
        sql`UPDATE disclosure_reports SET foreword = 'changed' WHERE id = ${draftId}`.execute(db),
      ).rejects.toThrow(/immutable/);
      await expect(sql`DELETE FROM disclosure_reports WHERE id = ${draftId}`.execute(db)).rejects.toThrow(/immutable/);
      await expect(sql`TRUNCATE disclosure_reports`.execute(db)).rejects.toThrow(/append-only/);
      expect((await del(c.supervisor, `/api/disclosure/reports/${draftId}`)).status).toBe(409);
      expect((await analyst.post(`/api/disclosure/reports/${draftId}/regenerate`)).status).toBe(409);
    });
  });

  describe('第二十一条 门户公开', () => {
    it('anonymous readers see the published month, with nothing personal in it', async () => {
      const list = expectStatus(await anon('/api/public/disclosure'), 200);
      expect(list.months.map((m: any) => m.month)).toEqual(['2025-03', '2025-02', '2025-01']);
      const res = expectStatus(await anon('/api/public/disclosure/2025-03'), 200);
      expect(res.report).toMatchObject({ month: '2025-03', version: 1, correction: null });
      const text = JSON.stringify(res);
      for (const secret of [PHONE, '张秀英', '李建国', '和平路与中华路', ...numbers])
        expect(text).not.toContain(secret);
      expect(validatePublicReport(res.report)).toEqual([]);
      expect((await anon('/api/public/disclosure/2024-12')).status).toBe(404);
    });

    it('open data: fixed columns in CSV and JSON, the same rows', async () => {
      const csv = await anon('/api/public/disclosure/data/2025-03.csv');
      expect(csv.status).toBe(200);
      expect(String(csv.headers['content-type'])).toContain('text/csv');
      const lines = String(csv.body)
        .replace(/^\uFEFF/, '')
        .trim()
        .split('\r\n');
      expect(lines[0]).toBe(OPEN_DATA_COLUMNS.join(','));
      expect(lines).toContain('2025-03,371700,菏泽市,1,tickets_by_type,consult,咨询,count,<5,true');
      const json = expectStatus(await anon('/api/public/disclosure/data/2025-03.json'), 200);
      expect(json.columns).toEqual([...OPEN_DATA_COLUMNS]);
      expect(json.rows).toHaveLength(lines.length - 1);
      for (const row of json.rows) expect(Object.keys(row)).toEqual([...OPEN_DATA_COLUMNS]);
      for (const secret of [PHONE, '张秀英', ...numbers]) expect(String(csv.body)).not.toContain(secret);
      expect((await anon('/api/public/disclosure/data/2024-12.csv')).status).toBe(404);
    });
  });

  describe('第二十一条 更正', () => {
    it('a correction is a new version with a mandatory note; the portal shows it and keeps the old one', async () => {
      expect((await analyst.post('/api/disclosure/reports', { month: '2025-03' })).status).toBe(422);
      const v2 = expectStatus(
        await analyst.post('/api/disclosure/reports', { month: '2025-03', correctionNote: '补充了典型案例说明' }),
        201,
      );
      expect(v2).toMatchObject({
        version: 2,
        correctionNote: '补充了典型案例说明',
        foreword: '3 月份热线运行平稳，详见下文。',
      });
      expect(v2.cases).toHaveLength(1);
      expectStatus(await analyst.post(`/api/disclosure/reports/${v2.id}/submit`), 200);
      expectStatus(await c.admin.post(`/api/disclosure/reports/${v2.id}/publish`), 200);
      const latest = expectStatus(await anon('/api/public/disclosure/2025-03'), 200);
      expect(latest.report).toMatchObject({ version: 2, correction: { note: '补充了典型案例说明' } });
      expect(latest.versions.map((v: any) => v.version)).toEqual([2, 1]);
      const old = expectStatus(await anon('/api/public/disclosure/2025-03?version=1'), 200);
      expect(old.report.version).toBe(1);
      const csv1 = await anon('/api/public/disclosure/data/2025-03.csv?version=1');
      expect(String(csv1.body)).toContain('2025-03,371700,菏泽市,1,');
      const list = expectStatus(await anon('/api/public/disclosure'), 200);
      expect(list.months[0]).toMatchObject({ month: '2025-03', version: 2, corrected: true });
    });
  });

  describe('第二十一条 县级中心只管本县', () => {
    it('a county centre drafts for its county only and does not see the city reports', async () => {
      const list = expectStatus(await supervisorCx.get('/api/disclosure/reports'), 200);
      expect(list.region.code).toBe('371721');
      expect(list.items).toEqual([]);
      expect((await supervisorCx.get(`/api/disclosure/reports/${draftId}`)).status).toBe(404);
      expect((await supervisorCx.get('/api/disclosure/reports?regionCode=371700')).status).toBe(404);
      expect(
        (await supervisorCx.post('/api/disclosure/reports', { month: '2025-03', regionCode: '371700' })).status,
      ).toBe(404);
      // the month's assessment frozen meanwhile (第二十四条): the units' figures come from the frozen result
      expectStatus(await c.supervisor.post('/api/assessment/results', { period: '2025-03' }), 201);
      const r = expectStatus(await supervisorCx.post('/api/disclosure/reports', { month: '2025-03' }), 201);
      expect(r.regionCode).toBe('371721');
      expect(r.report.units.source).toBe('assessment_result');
      // one 曹县 ticket: shown as "<5", the county's total with it
      expect(r.report.tickets.byType.total).toEqual({ value: null, suppressed: true });
      // a 牡丹区 ticket cannot be a 曹县 case
      const res = await supervisorCx.put(`/api/disclosure/reports/${r.id}`, {
        cases: [{ ticketNumber: numbers[0], title: '路灯维修', summary: '城管部门接单后三日内修复路灯。' }],
      });
      expect(res.status).toBe(422);
      // the city centre may see the county's report; an unpublished version can be deleted
      expect((await c.supervisor.get(`/api/disclosure/reports/${r.id}`)).status).toBe(200);
      expectStatus(await del(supervisorCx, `/api/disclosure/reports/${r.id}`), 200);
      expect((await supervisorCx.get(`/api/disclosure/reports/${r.id}`)).status).toBe(404);
    });
  });

  describe('第二十一条 演示数据', () => {
    it('the demo publishes last month once, drafted by the analyst and published by the supervisor', async () => {
      expect(demo).toEqual({ skipped: false, month: '2025-02' });
      const row = await env()
        .db.selectFrom('disclosure_reports as r')
        .innerJoin('users as c', 'c.id', 'r.created_by')
        .innerJoin('users as p', 'p.id', 'r.published_by')
        .select(['r.status', 'c.username as drafter', 'p.username as publisher'])
        .where('r.month', '=', '2025-02')
        .executeTakeFirstOrThrow();
      expect(row).toEqual({ status: 'published', drafter: 'analyst', publisher: 'supervisor' });
      const again = await seedDemoDisclosure(env().db, env().services.disclosure.reports, env().clock);
      expect(again).toEqual({ skipped: true });
    });
  });
});

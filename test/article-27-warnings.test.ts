import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import { ALL, grainsFor } from '../src/server/domain/analytics.js';
import { addDays, localDateOf, WorkingCalendar } from '../src/server/domain/calendar.js';
import { collectivePass, runEarlyWarnings, spikePass } from '../src/server/jobs/early-warnings.js';
import { rollupAnalytics } from '../src/server/jobs/analytics-rollup.js';
import { loadCalendarOverrides } from '../src/server/modules/config/config.repository.js';
import { ApiClient, expectStatus } from './helpers/api.js';
import { createTicket, loginAll, type Clients } from './helpers/factories.js';
import { describeEachDb, type TestEnv } from './helpers/test-env.js';

// 第二十七条 风险预警: the scheduler's spike and collective-request warnings, the sensitive-word warning at intake, the
// feed's steps with their audit, scope and input checks.
describeEachDb('第二十七条 风险预警：突增、集体诉求、敏感词与处置流程', (env) => {
  let e: TestEnv;
  let c: Clients;
  let analyst: ApiClient;
  let admin: ApiClient;
  let supervisorCx: ApiClient;
  let agentCx: ApiClient;
  let handlerMd: ApiClient;
  beforeAll(async () => {
    e = env();
    c = await loginAll(e);
    analyst = await ApiClient.login(e, 'analyst');
    admin = await ApiClient.login(e, 'admin');
    agentCx = await ApiClient.login(e, 'agent_cx');
    handlerMd = await ApiClient.login(e, 'handler_md');
    // a county centre's supervisor (曹县): sees only 曹县's warnings
    const sup = await e.db
      .selectFrom('users')
      .selectAll()
      .where('username', '=', 'supervisor')
      .executeTakeFirstOrThrow();
    await e.db
      .insertInto('users')
      .values({
        username: 'supervisor_cx_w',
        display_name: '曹县督办员',
        password_hash: sup.password_hash,
        unit_id: e.ids.units['centre-cx']!,
        roles: ['supervisor'],
        scope: 'region',
        created_at: e.clock.now(),
      })
      .execute();
    supervisorCx = await ApiClient.login(e, 'supervisor_cx_w');
  });

  const grain = grainsFor(2, 1).day!;
  /** A constructed series in the rollup's day × county × top-level category cube (what the job reads). */
  async function writeSeries(region: string, categoryId: number, days: Array<{ day: string; count: number }>) {
    await sql`DELETE FROM analytics_cube WHERE grain = ${grain} AND region_code = ${region} AND category_id = ${categoryId}`.execute(
      e.db,
    );
    for (const d of days)
      await sql`
        INSERT INTO analytics_cube (grain, channel, request_type, period, region_code, category_id, tickets)
        VALUES (${grain}, ${ALL}, ${ALL}, ${d.day}::date, ${region}, ${categoryId}, ${d.count})`.execute(e.db);
  }
  async function dayTypeOf() {
    const cal = new WorkingCalendar(await loadCalendarOverrides(e.db));
    return (d: string) => (cal.isWorkingDay(d) ? 'workday' : 'restday');
  }
  const warningsOf = (causeKey: string) =>
    e.db.selectFrom('warnings').selectAll().where('cause_key', '=', causeKey).orderBy('id').execute();
  /** The rollup has read every event so far (the spike pass waits for it), without counting anything new here. */
  const rollupCaughtUp = () => rollupAnalytics(e.db, e.clock.now(), { lagMs: 0, maxBatches: 1000 });

  it('a spike in a constructed series raises exactly one warning, graded, with its evidence; a rerun adds none', async () => {
    const cat = e.ids.categories['CX']!;
    const today = localDateOf(e.clock.now()); // Monday 2025-03-03
    const type = await dayTypeOf();
    const days = Array.from({ length: 45 }, (_, i) => {
      const day = addDays(today, -45 + i);
      return { day, count: type(day) === 'workday' ? 20 + (i % 3) - 1 : 6 + (i % 2) };
    });
    days[days.length - 1]!.count += 18; // yesterday, a Sunday: about 24 instead of 6
    await writeSeries('371721', cat, days);
    await rollupCaughtUp();
    const r = await runEarlyWarnings(e.db, e.clock);
    expect(r.spikeWarnings).toBeGreaterThanOrEqual(1);
    const [w, ...more] = await warningsOf(`spike:${cat}:371721`);
    expect(more).toHaveLength(0);
    expect(w).toMatchObject({ kind: 'spike', level: 'red', region_code: '371721', category_id: cat, status: 'new' });
    expect(w!.title).toContain('曹县');
    expect(w!.evidence).toMatchObject({ observed: days.at(-1)!.count, days: [{ day: addDays(today, -1) }] });
    const series = w!.evidence.series as Array<{ day: string; count: number; expected: number | null }>;
    expect(series.at(-1)).toMatchObject({ day: addDays(today, -1), count: days.at(-1)!.count });
    expect(series.at(-1)!.expected).toBeLessThan(9);
    // the same day again: the watermark, and past it the open cause and the occurrence's dedupe key
    await runEarlyWarnings(e.db, e.clock);
    await e.db.updateTable('warning_job_state').set({ last_day: null }).where('name', '=', 'spike').execute();
    expect((await spikePass(e.db, e.clock.now())).warnings).toBe(0);
    expect(await warningsOf(`spike:${cat}:371721`)).toHaveLength(1);
    const events = await e.db.selectFrom('warning_events').select('action').where('warning_id', '=', w!.id).execute();
    expect(events.map((x) => x.action)).toEqual(['raised']);
  });

  it('knows the calendar: the quiet 国庆 holidays and the busy make-up Saturday (调休) raise nothing', async () => {
    const cat = e.ids.categories['HB']!;
    e.clock.set('2025-10-13T09:00:00+08:00'); // Monday after 国庆; the job judges 6–12 October
    const type = await dayTypeOf();
    expect(type('2025-10-11')).toBe('workday'); // Saturday, a make-up working day
    expect(type('2025-10-08')).toBe('restday'); // Wednesday, a holiday
    const days = Array.from({ length: 60 }, (_, i) => {
      const day = addDays('2025-08-14', i);
      return { day, count: type(day) === 'workday' ? 20 + (i % 3) - 1 : 6 + (i % 2) };
    });
    await writeSeries('371722', cat, days);
    await rollupCaughtUp();
    await runEarlyWarnings(e.db, e.clock);
    expect(await warningsOf(`spike:${cat}:371722`)).toHaveLength(0);
    const state = await e.db.selectFrom('warning_job_state').selectAll().where('name', '=', 'spike').executeTakeFirst();
    expect(String(state!.last_day)).toBe('2025-10-12');
  });

  it('collective requests: N−1 distinct requesters raise nothing, N raise one warning with the tickets', async () => {
    const category = e.ids.categories['SC-SP']!;
    const ticket = (i: number) =>
      createTicket(e, c.agent, {
        categoryId: category,
        regionCode: '371702003',
        address: `南城街道${i}号`,
        title: '夜市烧烤摊食材变质',
        content: `南城街道夜市一家烧烤摊用变质肉串，吃了拉肚子（第${i}位）。`,
        requester: { name: `居民${i}`, phone: `1390000${String(i).padStart(4, '0')}` },
      });
    const ids: number[] = [];
    for (let i = 1; i <= 4; i++) ids.push((await ticket(i)).id);
    // the same requester again does not make a fifth
    ids.push(
      (
        await createTicket(e, c.agent, {
          categoryId: category,
          regionCode: '371702003',
          title: '夜市烧烤摊食材变质',
          content: '又去看了一次，还在卖。',
          requester: { name: '居民1', phone: '13900000001' },
        })
      ).id,
    );
    await collectivePass(e.db, e.clock.now());
    const cause = `collective:${category}:371702003`;
    expect(await warningsOf(cause)).toHaveLength(0);
    ids.push((await ticket(5)).id);
    await collectivePass(e.db, e.clock.now());
    await collectivePass(e.db, e.clock.now());
    const [w, ...more] = await warningsOf(cause);
    expect(more).toHaveLength(0);
    expect(w).toMatchObject({ kind: 'collective', level: 'yellow', region_code: '371702003', category_id: category });
    expect(w!.evidence).toMatchObject({ requesters: 5, tickets: 6, threshold: 5 });
    expect([...(w!.evidence.ticketIds as number[])].sort((a, b) => a - b)).toEqual(ids.sort((a, b) => a - b));
    // the personal data of the requesters is nowhere in the warning
    expect(JSON.stringify(w)).not.toMatch(/居民|1390000/);
    // a sixth requester folds into the open warning
    ids.push((await ticket(6)).id);
    await collectivePass(e.db, e.clock.now());
    const after = await warningsOf(cause);
    expect(after).toHaveLength(1);
    expect(after[0]!.evidence).toMatchObject({ requesters: 6, tickets: 7 });
    // tickets older than the window (24 h) no longer count
    e.clock.advanceHours(25);
    await e.db.updateTable('warnings').set({ status: 'closed' }).where('id', '=', w!.id).execute();
    await collectivePass(e.db, e.clock.now());
    expect(await warningsOf(cause)).toHaveLength(1);
  });

  let sensitiveId = 0;
  it('a sensitive-risk word at intake raises a warning with the word and the ticket number, no personal data', async () => {
    const t = await createTicket(e, c.agent, {
      categoryId: e.ids.categories['LD-QX'],
      title: '工地拖欠工资',
      content: '工地老板拖欠十几个人工资，大家商量明天去讨薪。',
      requester: { name: '马建国', phone: '13711112222' },
    });
    const [w] = await warningsOf(`sensitive:${t.id}`);
    expect(w).toMatchObject({ kind: 'sensitive', level: 'orange', region_code: '371702001', status: 'new' });
    expect(w!.title).toBe(`敏感风险词“讨薪”：工单 ${t.number}`);
    expect(w!.evidence).toMatchObject({ words: ['讨薪'], ticketNumber: t.number, ticketIds: [t.id] });
    expect(JSON.stringify(w)).not.toMatch(/马建国|13711112222/);
    sensitiveId = w!.id;
    // POST /api/tickets writes it in the ticket's one statement (issue 8), with the same `raised` event as raiseWarning
    const raisedEvent = (id: number) =>
      e.db
        .selectFrom('warning_events')
        .select(['action', 'from_status', 'to_status', 'note', 'actor_user_id', 'at', 'data'])
        .where('warning_id', '=', id)
        .execute();
    expect(await raisedEvent(w!.id)).toEqual([
      {
        action: 'raised',
        from_status: null,
        to_status: 'new',
        note: w!.title,
        actor_user_id: null,
        at: w!.raised_at,
        data: null,
      },
    ]);
    const row = await e.db.selectFrom('tickets').select('created_at').where('id', '=', t.id).executeTakeFirstOrThrow();
    expect(w).toMatchObject({ window_start: row.created_at, window_end: row.created_at, raised_at: row.created_at });
    expect(w!.evidence).toEqual({ words: ['讨薪'], ticketIds: [t.id], ticketNumber: t.number, contactId: null });
    // a ticket made from a contact (受理 → 派单) goes through the same hook, in the same transaction
    const k = expectStatus(
      await c.agent.post('/api/contacts', {
        channel: 'phone',
        externalId: `warn-${e.kind}`,
        requester: { name: '牛先生', phone: '13722223333' },
        content: '小区门口有人扬言要跳楼，情况紧急。',
      }),
      201,
    ) as { id: number };
    const d = expectStatus(
      await c.agent.post(`/api/contacts/${k.id}/disposition`, {
        disposition: 'dispatched',
        requestType: 'help',
        categoryId: e.ids.categories['GA-ZA'],
        urgency: 'urgent',
        regionCode: '371702001',
        title: '有人扬言轻生',
      }),
      200,
    ) as { ticketId: number };
    const [fromContact] = await warningsOf(`sensitive:${d.ticketId}`);
    expect(fromContact).toMatchObject({ level: 'red' });
    expect(fromContact!.evidence).toMatchObject({ words: ['跳楼', '轻生'], ticketIds: [d.ticketId], contactId: k.id });
    expect(await raisedEvent(fromContact!.id)).toMatchObject([
      { action: 'raised', to_status: 'new', note: fromContact!.title },
    ]);
    // an admin adds a word (audited); it takes effect at once on this process; a deactivated word no longer fires
    const word = expectStatus(
      await admin.post('/api/warning-rules/words', { word: '煤气罐', level: 'red', active: true }),
      201,
    ) as { id: number };
    const audit = await e.db
      .selectFrom('admin_audit')
      .select(['action', 'after'])
      .where('entity', '=', 'warning_word')
      .where('entity_id', '=', String(word.id))
      .execute();
    expect(audit).toMatchObject([{ action: 'create' }]);
    const gas = await createTicket(e, c.agent, { title: '楼道堆放煤气罐', content: '楼道里堆了好几个煤气罐。' });
    expect(await warningsOf(`sensitive:${gas.id}`)).toHaveLength(1);
    expectStatus(await admin.put(`/api/warning-rules/words/${word.id}`, { active: false }), 200);
    const gas2 = await createTicket(e, c.agent, { title: '楼道堆放煤气罐', content: '还是有煤气罐。' });
    expect(await warningsOf(`sensitive:${gas2.id}`)).toHaveLength(0);
    // the defaults (migration 0052): 集体 and 群体 alone match 集体经济 and 购房群体, not collective action; its phrases do
    const land = await createTicket(e, c.agent, {
      title: '村集体土地被占',
      content: '村集体经济组织的土地被个人占用。',
    });
    expect(await warningsOf(`sensitive:${land.id}`)).toHaveLength(0);
    const rights = await createTicket(e, c.agent, { title: '欠款未还', content: '业主们准备明天集体维权。' });
    expect((await warningsOf(`sensitive:${rights.id}`))[0]).toMatchObject({
      level: 'orange',
      evidence: { words: ['集体维权'] },
    });
    // only admins edit the list
    expect((await c.supervisor.post('/api/warning-rules/words', { word: '示威', level: 'red' })).status).toBe(403);
    expect((await c.supervisor.get('/api/warning-rules')).status).toBe(200);
  });

  it('lifecycle: acknowledge, assign, link to a matter and close, each with its event and audit row', async () => {
    const id = sensitiveId;
    const list = expectStatus(await c.supervisor.get('/api/warnings?kind=sensitive&status=new'), 200) as {
      items: Array<{ id: number; levelName: string }>;
    };
    expect(list.items.map((w) => w.id)).toContain(id);
    const ack = expectStatus(await c.supervisor.post(`/api/warnings/${id}/acknowledge`, {}), 200);
    expect(ack).toMatchObject({ status: 'acknowledged' });
    // a second acknowledgement is not allowed
    expect((await c.supervisor.post(`/api/warnings/${id}/acknowledge`, {})).status).toBe(409);
    const people = expectStatus(await c.supervisor.get('/api/warnings/assignees'), 200) as Array<{ id: number }>;
    const analystId = (await e.db
      .selectFrom('users')
      .select('id')
      .where('username', '=', 'analyst')
      .executeTakeFirst())!.id;
    expect(people.map((p) => p.id)).toContain(analystId);
    // a unit's handler is not someone to assign a warning to
    const handler = await e.db.selectFrom('users').select('id').where('username', '=', 'handler_md').executeTakeFirst();
    expect((await c.supervisor.post(`/api/warnings/${id}/assign`, { userId: handler!.id })).status).toBe(400);
    expectStatus(await c.supervisor.post(`/api/warnings/${id}/assign`, { userId: analystId, note: '请跟进' }), 200);
    const matter = expectStatus(
      await c.supervisor.post('/api/matters', {
        title: '欠薪问题专项治理',
        description: '多处工地拖欠农民工工资',
        regionCode: '371702001',
        leadUnitId: e.ids.units['gov-md'],
      }),
      201,
    ) as { id: number };
    expectStatus(await analyst.post(`/api/warnings/${id}/link`, { matterId: matter.id }), 200);
    expect((await analyst.post(`/api/warnings/${id}/close`, {})).status).toBe(400); // a note is required
    const closed = expectStatus(
      await analyst.post(`/api/warnings/${id}/close`, { note: '已约谈企业，工资已发放' }),
      200,
    );
    expect(closed).toMatchObject({ status: 'closed' });
    const detail = expectStatus(await c.supervisor.get(`/api/warnings/${id}`), 200) as Record<string, any>;
    expect(detail).toMatchObject({
      status: 'closed',
      statusLabel: '已关闭',
      matterId: matter.id,
      matterTitle: '欠薪问题专项治理',
      assigneeName: '周分析',
      closingNote: '已约谈企业，工资已发放',
      allowedActions: [],
    });
    expect(detail.events.map((x: { action: string }) => x.action)).toEqual([
      'raised',
      'acknowledge',
      'assign',
      'link',
      'close',
    ]);
    expect(detail.tickets).toHaveLength(1);
    expect(detail.evidence).toMatchObject({ words: ['讨薪'] });
    const audit = await e.db
      .selectFrom('admin_audit')
      .select('action')
      .where('entity', '=', 'warning')
      .where('entity_id', '=', String(id))
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['acknowledge', 'assign', 'link', 'close']);
    expect((await c.supervisor.post(`/api/warnings/${id}/assign`, { userId: analystId })).status).toBe(409);
    // the export of the feed: the screen's filter, recorded in the access log
    const file = await c.supervisor.request('GET', '/api/warnings/export?format=csv&kind=sensitive');
    expect(file.status).toBe(200);
    expect(String(file.body)).toContain('讨薪');
    const logged = await e.db
      .selectFrom('access_log')
      .select(['kind', 'row_count'])
      .where('kind', '=', 'export')
      .orderBy('id', 'desc')
      .executeTakeFirst();
    expect(logged).toBeTruthy();
  });

  it('scope: a county centre sees its county only; units see none; readers who are not supervisors may not act', async () => {
    const county = expectStatus(await supervisorCx.get('/api/warnings?limit=200'), 200) as {
      items: Array<{ id: number; regionCode: string }>;
    };
    expect(county.items.length).toBeGreaterThan(0);
    expect(county.items.every((w) => w.regionCode.startsWith('371721'))).toBe(true);
    const city = expectStatus(await c.supervisor.get('/api/warnings?limit=200'), 200) as {
      items: Array<{ id: number; regionCode: string }>;
    };
    expect(city.items.some((w) => w.regionCode.startsWith('371702'))).toBe(true);
    const mudan = city.items.find((w) => w.regionCode.startsWith('371702'))!;
    expect((await supervisorCx.get(`/api/warnings/${mudan.id}`)).status).toBe(404);
    expect((await supervisorCx.post(`/api/warnings/${mudan.id}/acknowledge`, {})).status).toBe(404);
    const caoxian = county.items[0]!;
    expectStatus(await supervisorCx.get(`/api/warnings/${caoxian.id}`), 200);
    // a county centre's agent reads the county's feed, but does not act on it
    expect((await agentCx.get('/api/warnings')).status).toBe(200);
    expect((await agentCx.post(`/api/warnings/${caoxian.id}/acknowledge`, {})).status).toBe(403);
    // a unit: none at all
    expect((await handlerMd.get('/api/warnings')).status).toBe(403);
    expect((await handlerMd.get(`/api/warnings/${mudan.id}`)).status).toBe(404);
    expect((await handlerMd.get('/api/warnings/export?format=csv')).status).toBe(403);
    // a city agent is not a reader
    expect((await c.agent.get('/api/warnings')).status).toBe(403);
    // the filters: by kind, level, region and date
    const spikes = expectStatus(await c.supervisor.get('/api/warnings?kind=spike&regionCode=371721'), 200) as {
      items: Array<{ kind: string }>;
    };
    expect(spikes.items.length).toBeGreaterThan(0);
    expect(spikes.items.every((w) => w.kind === 'spike')).toBe(true);
    const none = expectStatus(await c.supervisor.get('/api/warnings?from=2020-01-01&to=2020-01-31'), 200) as {
      items: unknown[];
    };
    expect(none.items).toHaveLength(0);
    // keyset pages
    const p1 = expectStatus(await c.supervisor.get('/api/warnings?limit=1'), 200) as {
      items: Array<{ id: number }>;
      next: number;
    };
    const p2 = expectStatus(await c.supervisor.get(`/api/warnings?limit=1&before=${p1.next}`), 200) as {
      items: Array<{ id: number }>;
    };
    expect(p2.items[0]!.id).toBeLessThan(p1.items[0]!.id);
  });

  it('bad input answers 400 with the field, never 500', async () => {
    const s = c.supervisor;
    for (const url of [
      '/api/warnings?kind=storm',
      '/api/warnings?level=purple',
      '/api/warnings?limit=0',
      '/api/warnings?before=1e400',
      '/api/warnings?from=2025-02-30',
      '/api/warnings?from=2025-03-10&to=2025-03-01',
      '/api/warnings?regionCode=abc',
      '/api/warnings/99999999999',
      '/api/warnings/abc',
      '/api/warnings/export?format=pdf',
    ])
      expect([url, (await s.get(url)).status]).toEqual([url, 400]);
    expect((await s.post('/api/warnings/1/close', { note: 'a\u0000b' })).status).toBe(400);
    expect((await s.post('/api/warnings/1/assign', { userId: 'x' })).status).toBe(400);
    expect((await s.post('/api/warnings/1/link', { matterId: -1 })).status).toBe(400);
    expect((await admin.post('/api/warning-rules/words', { word: '两 个', level: 'red' })).status).toBe(400);
    expect(
      (
        await admin.put('/api/warning-rules/settings', {
          collectiveRequesters: 1,
          collectiveHours: 24,
          spikeSeries: 10,
        })
      ).status,
    ).toBe(400);
    const ok = expectStatus(
      await admin.put('/api/warning-rules/settings', {
        collectiveRequesters: 6,
        collectiveHours: 12,
        spikeSeries: 100,
      }),
      200,
    );
    expect(ok).toMatchObject({ collectiveRequesters: 6, collectiveHours: 12, spikeSeries: 100 });
    expect(
      await e.db.selectFrom('admin_audit').select('action').where('entity', '=', 'warning_settings').execute(),
    ).toHaveLength(1);
  });
});

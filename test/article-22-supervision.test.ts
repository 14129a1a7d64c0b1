import { beforeAll, expect, it } from 'vitest';
import { sweepDeadlines } from '../src/server/jobs/deadline-sweeper.js';
import { runSupervisionTriggers } from '../src/server/jobs/supervision-triggers.js';
import { sweepKnowledgeNotices } from '../src/server/modules/knowledge/knowledge-notices.service.js';
import { ApiClient, expectStatus } from './helpers/api.js';
import { createTicket, dispatchedTicket, eventKinds, loginAll, type Clients } from './helpers/factories.js';
import { insertPublishedArticle } from './helpers/knowledge.js';
import { describeEachDb, type TestEnv } from './helpers/test-env.js';

// 第二十二条 热线督办: each trigger (一)…(六) on real events through the API and the scheduler's job, the case
// lifecycle with its history on the tickets, scope, idempotency (the job twice, two schedulers) and bad input.

describeEachDb('第二十二条 热线督办', (env) => {
  let c: Clients;
  let e: TestEnv;
  let supervisorCx: ApiClient;
  beforeAll(async () => {
    e = env();
    c = await loginAll(e);
    // a county centre's supervisor (曹县): sees only 曹县's cases
    const sup = await e.db
      .selectFrom('users')
      .selectAll()
      .where('username', '=', 'supervisor')
      .executeTakeFirstOrThrow();
    await e.db
      .insertInto('users')
      .values({
        username: 'supervisor_cx',
        display_name: '曹县督办员',
        password_hash: sup.password_hash,
        unit_id: e.ids.units['centre-cx']!,
        roles: ['supervisor'],
        scope: 'region',
        created_at: e.clock.now(),
      })
      .execute();
    supervisorCx = await ApiClient.login(e, 'supervisor_cx');
  });

  const run = () => runSupervisionTriggers(e.db, e.clock);
  const casesFor = async (ticketId: number) =>
    e.db
      .selectFrom('supervision_case_tickets as ct')
      .innerJoin('supervision_cases as c', 'c.id', 'ct.case_id')
      .selectAll('c')
      .where('ct.ticket_id', '=', ticketId)
      .orderBy('c.id')
      .execute();

  it('第二十二条(二) 超期: a warning is a 黄牌, a breach a 红牌 and a case; the job twice opens it once', async () => {
    e.clock.set('2025-03-03T09:00:00+08:00');
    const id = await dispatchedTicket(e, c, 'gov-md');
    await run();
    // the accept deadline warns before it is due, then breaches
    let swept = { warned: 0, breached: 0 };
    for (let h = 0; h < 24 * 6 && swept.breached === 0; h += 2) {
      e.clock.advanceHours(2);
      const s = await sweepDeadlines(e.db, e.clock);
      swept = { warned: swept.warned + s.warned, breached: swept.breached + s.breached };
    }
    expect(swept.warned).toBeGreaterThanOrEqual(1);
    expect(swept.breached).toBeGreaterThanOrEqual(1);
    const first = await run();
    expect(first.cards).toBeGreaterThanOrEqual(2);
    expect(first.cases).toBeGreaterThanOrEqual(1);
    const again = await run();
    expect(again).toMatchObject({ cards: 0, cases: 0, proposals: 0 });
    // once the events have settled the cursor passes them: a later pass reads nothing old again
    e.clock.advanceHours(1);
    await run();
    expect(await run()).toMatchObject({ events: 0, cards: 0, cases: 0, proposals: 0 });

    const board = expectStatus(await c.supervisor.get(`/api/supervision/tickets/${id}`), 200);
    expect(board.cards.map((k: any) => k.colour).sort()).toEqual(expect.arrayContaining(['red', 'yellow']));
    const cases = await casesFor(id);
    expect(cases).toHaveLength(1);
    expect(cases[0]).toMatchObject({
      trigger: 'overdue',
      status: 'open',
      method: 'written',
      unit_id: e.ids.units['gov-md'],
    });
    expect(cases[0]!.cause_key).toMatch(/^overdue:deadline:\d+$/);
    expect(cases[0]!.due_at).not.toBeNull();
    expect(await eventKinds(c.supervisor, id)).toContain('supervision_opened');
    // the unit sees the card and its case on the ticket, another unit does not see the ticket at all
    expect(expectStatus(await c.handlerMd.get(`/api/supervision/tickets/${id}`), 200).cases).toHaveLength(1);
    expect((await c.handlerCg.get(`/api/supervision/tickets/${id}`)).status).toBe(404);
    const units = expectStatus(await c.supervisor.get('/api/supervision/cards?days=30'), 200).units;
    expect(units.find((u: any) => u.unit_id === e.ids.units['gov-md'])).toMatchObject({ red: expect.any(Number) });
  });

  it('第二十二条 several schedulers at once open each case once', async () => {
    e.clock.set('2025-04-07T09:00:00+08:00');
    const ids = [await dispatchedTicket(e, c, 'gov-md'), await dispatchedTicket(e, c, 'cgj')];
    e.clock.advanceDays(9);
    await sweepDeadlines(e.db, e.clock);
    if (e.kind === 'postgres') {
      const h1 = await e.openSecondHandle();
      const h2 = await e.openSecondHandle();
      await Promise.all([
        runSupervisionTriggers(h1.db, e.clock),
        runSupervisionTriggers(h2.db, e.clock),
        runSupervisionTriggers(e.db, e.clock),
      ]);
    } else {
      await Promise.all([run(), run()]);
    }
    await run();
    for (const id of ids) {
      const cases = await casesFor(id);
      expect(cases.filter((x) => x.trigger === 'overdue').length).toBeGreaterThanOrEqual(1);
      const keys = cases.map((x) => x.cause_key);
      expect(new Set(keys).size).toBe(keys.length);
      const opened = (await eventKinds(c.supervisor, id)).filter((k) => k === 'supervision_opened');
      expect(opened).toHaveLength(cases.length);
    }
  });

  it('第二十二条(一) 拒不接收: a return found unfounded is proposed; repeated returns too; the supervisor confirms', async () => {
    e.clock.set('2025-05-05T09:00:00+08:00');
    const id = await dispatchedTicket(e, c, 'gov-md');
    for (let i = 0; i < 2; i++) {
      const app = expectStatus(
        await c.handlerMd.post(`/api/tickets/${id}/return-applications`, {
          reason: `不属本单位职责${i}`,
          materials: [{ name: '职责说明.pdf' }],
        }),
        201,
      );
      expectStatus(
        await c.dispatcher.post(`/api/applications/${app.id}/review`, { decision: 'reject', note: '属本单位职责' }),
        200,
      );
    }
    await run();
    const cases = await casesFor(id);
    expect(cases.map((x) => x.cause_key).sort()).toEqual(
      expect.arrayContaining([`refusal:repeated:${id}:${e.ids.units['gov-md']}`]),
    );
    expect(cases.filter((x) => x.cause_key.startsWith('refusal:rejected-return:'))).toHaveLength(2);
    expect(cases.every((x) => x.status === 'proposed' && x.due_at === null)).toBe(true);
    // a proposal is the centre's: the unit does not see it yet
    const p = cases[0]!;
    expect((await c.handlerMd.get(`/api/supervision/cases/${p.id}`)).status).toBe(404);
    const listed = expectStatus(await c.handlerMd.get('/api/supervision/cases?limit=200'), 200).items;
    expect(listed.some((x: any) => x.id === p.id)).toBe(false);
    const confirmed = expectStatus(
      await c.supervisor.post(`/api/supervision/cases/${p.id}/confirm`, { method: 'phone', answerDays: 2 }),
      200,
    );
    expect(confirmed).toMatchObject({ status: 'open', method: 'phone' });
    expect(new Date(confirmed.due_at).getTime()).toBeGreaterThan(e.clock.now().getTime());
    expect((await c.handlerMd.get(`/api/supervision/cases/${p.id}`)).status).toBe(200);
    // another proposal is dismissed with a reason; then nothing more can be done with it
    const d = cases[1]!;
    expect((await c.supervisor.post(`/api/supervision/cases/${d.id}/dismiss`, { note: '' })).status).toBe(400);
    expectStatus(await c.supervisor.post(`/api/supervision/cases/${d.id}/dismiss`, { note: '已另案督办' }), 200);
    expect((await c.supervisor.post(`/api/supervision/cases/${d.id}/confirm`, {})).status).toBe(409);
    expect(await eventKinds(c.supervisor, id)).toEqual(
      expect.arrayContaining(['supervision_proposed', 'supervision_confirmed', 'supervision_dismissed']),
    );
  });

  it('第二十二条(三) 多次反映: the same requester three times on an unresolved matter is proposed', async () => {
    e.clock.set('2025-06-02T09:00:00+08:00');
    const phone = '13700001111';
    const contact = async (text: string) =>
      expectStatus(
        await c.agent.post('/api/contacts', {
          channel: 'phone',
          externalId: `s22-${Date.now()}-${Math.random()}`,
          requester: { name: '王先生', phone },
          content: text,
        }),
        201,
      ).id as number;
    const first = await contact('小区门口下水道堵塞，污水漫到路面');
    const d = expectStatus(
      await c.agent.post(`/api/contacts/${first}/disposition`, {
        disposition: 'dispatched',
        requestType: 'complaint',
        categoryId: e.ids.categories['CX-SZ'],
        regionCode: '371702003',
        title: '下水道堵塞污水漫路',
      }),
      200,
    );
    expectStatus(
      await c.dispatcher.post(`/api/tickets/${d.ticketId}/dispatch`, { leadUnitId: e.ids.units['gov-md'] }),
      200,
    );
    for (const t of ['下水道还是堵着', '第三次反映下水道堵塞']) {
      const k = await contact(t);
      expectStatus(
        await c.agent.post(`/api/contacts/${k}/disposition`, { disposition: 'repeat', ticketId: d.ticketId }),
        200,
      );
      await run();
    }
    const cases = (await casesFor(d.ticketId)).filter((x) => x.trigger === 'repeated');
    expect(cases).toHaveLength(1);
    expect(cases[0]).toMatchObject({ status: 'proposed', unit_id: e.ids.units['gov-md'] });
    expect(cases[0]!.evidence).toMatchObject({ times: 3, threshold: 3 });
    expect(JSON.stringify(cases[0]!.evidence)).not.toContain(phone);
  });

  it('第二十二条(三) 多次反映: tickets of the same requester merged into one count as raising it again', async () => {
    e.clock.set('2025-06-09T09:00:00+08:00');
    const requester = { name: '赵女士', phone: '13700002222' };
    const main = await dispatchedTicket(e, c, 'gov-md', {
      regionCode: '371702005',
      requester,
      title: '牡丹街道噪音扰民',
    });
    for (const title of ['牡丹街道夜间施工噪音', '牡丹街道噪音仍未解决']) {
      const dup = await createTicket(e, c.agent, { regionCode: '371702005', requester, title });
      expectStatus(await c.dispatcher.post(`/api/tickets/${dup.id}/merge`, { intoTicketId: main }), 200);
    }
    await run();
    const cases = (await casesFor(main)).filter((x) => x.trigger === 'repeated');
    expect(cases).toHaveLength(1);
    expect(cases[0]!.cause_key).toMatch(new RegExp(`^repeated:requester:${main}:\\d+$`));
    expect(cases[0]!.evidence).toMatchObject({ times: 3 });
  });

  it('第二十二条(三) 集中反映: five requesters of one region and category within the window', async () => {
    e.clock.set('2025-06-16T09:00:00+08:00');
    const ids: number[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push(
        await dispatchedTicket(e, c, 'gov-md', {
          regionCode: '371702004',
          categoryId: e.ids.categories['CX-SZ'],
          title: `北城街道路灯不亮${i}`,
          requester: { name: `诉求人${i}`, phone: `1360000${String(1000 + i)}` },
        }),
      );
      if (i === 3) {
        await run();
        expect((await casesFor(ids[0]!)).filter((x) => x.trigger === 'repeated')).toHaveLength(0);
      }
    }
    await run();
    await run();
    const cases = (await casesFor(ids[0]!)).filter((x) => x.trigger === 'repeated');
    expect(cases).toHaveLength(1);
    expect(cases[0]!.cause_key).toMatch(/^repeated:collective:371702004:\d+:2025-06-1\d$/);
    const linked = await e.db
      .selectFrom('supervision_case_tickets')
      .select('ticket_id')
      .where('case_id', '=', cases[0]!.id)
      .execute();
    expect(linked.map((x) => x.ticket_id).sort((a, b) => a - b)).toEqual(ids);
  });

  it('第二十二条(四) 知识库更新不及时: an expired article past the grace period is proposed, once', async () => {
    e.clock.set('2025-07-01T09:00:00+08:00');
    const a = await insertPublishedArticle(e.db, e.clock, {
      ownerUnitId: e.ids.units['gov-md']!,
      title: '牡丹区老旧小区改造申报指南（2025）',
      expiresOn: '2025-07-01',
    });
    await sweepKnowledgeNotices(e.db, e.clock);
    const ours = async () =>
      (await e.db.selectFrom('supervision_cases').selectAll().where('trigger', '=', 'knowledge').execute()).filter(
        (x) => (x.evidence as any).articleId === a.id,
      );
    await run();
    expect(await ours()).toHaveLength(0); // told today: the grace (5 days) has not passed
    e.clock.advanceDays(6);
    expect((await run()).knowledge).toBeGreaterThanOrEqual(1);
    expect((await run()).knowledge).toBe(0);
    const k = await ours();
    expect(k).toHaveLength(1);
    expect(k[0]).toMatchObject({
      status: 'proposed',
      unit_id: e.ids.units['gov-md'],
      cause_key: expect.stringMatching(/^knowledge:notice:\d+$/),
    });
  });

  it('第二十二条(五) 负面影响: raised by hand with a reason; the unit answers; supervise again, escalate, close', async () => {
    e.clock.set('2025-08-04T09:00:00+08:00');
    const id = await dispatchedTicket(e, c, 'gov-md');
    const bad = await c.supervisor.post('/api/supervision/cases', {
      trigger: 'negative',
      ticketIds: [id],
      reason: '',
      method: 'onsite',
      answerDays: 2,
    });
    expect(bad.status).toBe(400);
    const opened = expectStatus(
      await c.supervisor.post('/api/supervision/cases', {
        trigger: 'negative',
        ticketIds: [id],
        reason: '该诉求经本地媒体报道，群众反响强烈',
        source: '菏泽电视台《问政》栏目',
        method: 'onsite',
        answerDays: 2,
      }),
      201,
    );
    expect(opened).toMatchObject({
      trigger: 'negative',
      status: 'open',
      method: 'onsite',
      level: 'county',
      unit_id: e.ids.units['gov-md'],
    });
    expect(opened.number).toMatch(/^DB\d{8}$/);
    // the unit sees it in its list with the deadline, and answers; another unit cannot see it
    const mine = expectStatus(await c.handlerMd.get('/api/supervision/cases?status=active'), 200).items;
    expect(mine.find((x: any) => x.id === opened.id)).toMatchObject({ due_at: expect.any(String) });
    expect((await c.handlerCg.get(`/api/supervision/cases/${opened.id}`)).status).toBe(404);
    expect(
      (await c.handlerCg.post(`/api/supervision/cases/${opened.id}/answer`, { answer: '已派人现场处理完毕' })).status,
    ).toBe(404);
    expect(
      (await c.supervisor.post(`/api/supervision/cases/${opened.id}/answer`, { answer: '已派人现场处理完毕' })).status,
    ).toBe(403);
    expect((await c.handlerMd.post(`/api/supervision/cases/${opened.id}/answer`, { answer: '好' })).status).toBe(400);
    expectStatus(
      await c.handlerMd.post(`/api/supervision/cases/${opened.id}/answer`, { answer: '已派人现场处理，路面已清理' }),
      200,
    );
    expect(
      (await c.managerMd.post(`/api/supervision/cases/${opened.id}/answer`, { answer: '再次反馈办理情况' })).status,
    ).toBe(409);
    expect(
      (await c.handlerMd.post(`/api/supervision/cases/${opened.id}/decide`, { decision: 'close', note: '同意' }))
        .status,
    ).toBe(403);
    const again = expectStatus(
      await c.supervisor.post(`/api/supervision/cases/${opened.id}/decide`, {
        decision: 'supervise_again',
        note: '群众反映仍未彻底解决',
        answerDays: 3,
      }),
      200,
    );
    expect(again).toMatchObject({ status: 'open', round: 2, answer: null });
    const up = expectStatus(
      await c.supervisor.post(`/api/supervision/cases/${opened.id}/decide`, {
        decision: 'escalate',
        note: '提请市级协调',
      }),
      200,
    );
    expect(up).toMatchObject({ status: 'escalated', level: 'city', round: 3 });
    expect(
      (await c.supervisor.post(`/api/supervision/cases/${opened.id}/decide`, { decision: 'escalate', note: '再提级' }))
        .status,
    ).toBe(409);
    expectStatus(
      await c.handlerMd.post(`/api/supervision/cases/${opened.id}/answer`, { answer: '市级协调后已彻底解决' }),
      200,
    );
    const closed = expectStatus(
      await c.supervisor.post(`/api/supervision/cases/${opened.id}/decide`, { decision: 'close', note: '办结' }),
      200,
    );
    expect(closed).toMatchObject({ status: 'closed', decision: 'close' });
    const v = expectStatus(await c.supervisor.get(`/api/supervision/cases/${opened.id}`), 200);
    expect(v.events.map((x: any) => x.kind)).toEqual([
      'opened',
      'answered',
      'supervised_again',
      'escalated',
      'answered',
      'closed',
    ]);
    expect(v.actions).toEqual([]);
    const kinds = await eventKinds(c.supervisor, id);
    expect(kinds.filter((k) => k.startsWith('supervision_'))).toEqual([
      'supervision_opened',
      'supervision_answered',
      'supervision_supervised_again',
      'supervision_escalated',
      'supervision_answered',
      'supervision_closed',
    ]);
  });

  it('第二十二条(六) 其他: raised by hand about a unit, with no ticket; the 督办通知单 PDF', async () => {
    e.clock.set('2025-08-11T09:00:00+08:00');
    const opened = expectStatus(
      await c.supervisor.post('/api/supervision/cases', {
        trigger: 'other',
        unitId: e.ids.units['cgj'],
        reason: '近期占道经营类诉求办理质量下降，请专题研究改进',
        method: 'coordination',
        answerDays: 5,
      }),
      201,
    );
    expect(opened).toMatchObject({ trigger: 'other', level: 'city', unit_id: e.ids.units['cgj'] });
    const pdf = await c.handlerCg.bytes(`/api/supervision/cases/${opened.id}/notice.pdf`);
    expect(pdf.status).toBe(200);
    expect(pdf.type).toContain('application/pdf');
    expect(pdf.data.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = pdf.data.toString('latin1');
    expect(text.match(/\/Type \/Page\b/g)?.length).toBeGreaterThanOrEqual(1);
    expect(text).toMatch(/\/FontFile[23]?\b/); // the CJK font is embedded (subset)
    expect(pdfTitle(pdf.data)).toBe(`督办通知单 ${opened.number}`);
    expect((await c.handlerMd.bytes(`/api/supervision/cases/${opened.id}/notice.pdf`)).status).toBe(404);
    expect((await c.agent.bytes(`/api/supervision/cases/${opened.id}/notice.pdf`)).status).toBe(403);
  });

  it('第二十二条 scope: a county centre sees only its county; a unit only its own; other roles none', async () => {
    e.clock.set('2025-09-01T09:00:00+08:00');
    const cx = await dispatchedTicket(e, c, 'gov-cx', { regionCode: '371721001' });
    const md = await dispatchedTicket(e, c, 'gov-md');
    const body = (ticketId: number) => ({
      trigger: 'other',
      ticketIds: [ticketId],
      reason: '诉求人多次来电催办',
      method: 'phone',
      answerDays: 1,
    });
    const a = expectStatus(await supervisorCx.post('/api/supervision/cases', body(cx)), 201);
    expect(a.level).toBe('county');
    expect((await supervisorCx.post('/api/supervision/cases', body(md))).status).toBe(404);
    const b = expectStatus(await c.supervisor.post('/api/supervision/cases', body(md)), 201);
    expect((await supervisorCx.get(`/api/supervision/cases/${b.id}`)).status).toBe(404);
    const cxList = expectStatus(await supervisorCx.get('/api/supervision/cases?limit=200'), 200).items;
    expect(cxList.every((x: any) => x.region_code.startsWith('371721'))).toBe(true);
    expect(cxList.some((x: any) => x.id === a.id)).toBe(true);
    expect(expectStatus(await c.supervisor.get(`/api/supervision/cases/${a.id}`), 200).case.id).toBe(a.id);
    expect((await c.handlerCx.get(`/api/supervision/cases/${b.id}`)).status).toBe(404);
    expect((await c.agent.get('/api/supervision/cases')).status).toBe(403);
    expect((await c.agentCx.get(`/api/supervision/cases/${a.id}`)).status).toBe(403);
    // an escalated case is the city's to decide
    expectStatus(
      await supervisorCx.post(`/api/supervision/cases/${a.id}/decide`, { decision: 'escalate', note: '提级' }),
      200,
    );
    expect(
      (await supervisorCx.post(`/api/supervision/cases/${a.id}/decide`, { decision: 'close', note: '办结' })).status,
    ).toBe(403);
    expectStatus(
      await c.supervisor.post(`/api/supervision/cases/${a.id}/decide`, { decision: 'close', note: '办结' }),
      200,
    );
  });

  it('第二十二条 the list is by deadline, keyset-paged, with filters', async () => {
    const all: any[] = [];
    let after: string | null = null;
    do {
      const q: string = `/api/supervision/cases?limit=2${after ? `&after=${encodeURIComponent(after)}` : ''}`;
      const page: { items: any[]; next: string | null } = expectStatus(await c.supervisor.get(q), 200);
      all.push(...page.items);
      after = page.next;
    } while (after);
    expect(new Set(all.map((x) => x.id)).size).toBe(all.length);
    const dues = all.map((x) => (x.due_at ? new Date(x.due_at).getTime() : Infinity));
    expect(dues).toEqual([...dues].sort((a, b) => a - b));
    const proposed = expectStatus(
      await c.supervisor.get('/api/supervision/cases?status=proposed&limit=200'),
      200,
    ).items;
    expect(proposed.every((x: any) => x.status === 'proposed')).toBe(true);
    const overdue = expectStatus(
      await c.supervisor.get('/api/supervision/cases?overdue=true&trigger=overdue'),
      200,
    ).items;
    expect(overdue.every((x: any) => x.trigger === 'overdue')).toBe(true);
  });

  it('第二十二条 rules are data: a change is a new version from a time on, validated and audited', async () => {
    e.clock.set('2025-10-01T09:00:00+08:00');
    const rules = expectStatus(await c.supervisor.get('/api/supervision/rules'), 200);
    expect(
      rules
        .filter((r: any) => r.inForce)
        .map((r: any) => r.code)
        .sort(),
    ).toEqual(['knowledge', 'negative', 'other', 'overdue', 'refusal', 'repeated']);
    expect((await c.agent.get('/api/supervision/rules')).status).toBe(403);
    const put = (body: unknown) => c.supervisor.put('/api/supervision/rules/repeated', body);
    const good = {
      sameRequesterCount: 4,
      distinctRequesters: 6,
      windowDays: 14,
      answerDays: 3,
      method: 'coordination',
    };
    expect((await put({ enabled: true, mode: 'proposal', thresholds: { ...good, windowDays: 0 } })).status).toBe(400);
    expect((await put({ enabled: true, mode: 'proposal', thresholds: { ...good, extra: 1 } })).status).toBe(400);
    expect((await put({ enabled: true, mode: 'sometimes', thresholds: good })).status).toBe(400);
    expect(
      (await put({ enabled: true, mode: 'proposal', thresholds: good, effectiveFrom: '2024-06-01T00:00:00+08:00' }))
        .status,
    ).toBe(409);
    expect(
      (await c.supervisor.put('/api/supervision/rules/nonsense', { enabled: true, mode: 'case', thresholds: {} }))
        .status,
    ).toBe(400);
    const v2 = expectStatus(
      await put({ enabled: true, mode: 'proposal', thresholds: good, note: '窗口放宽到两周' }),
      200,
    );
    expect(v2).toMatchObject({ code: 'repeated', version: 2 });
    const after = expectStatus(await c.supervisor.get('/api/supervision/rules'), 200).filter(
      (r: any) => r.code === 'repeated',
    );
    expect(after.map((r: any) => [r.version, r.inForce])).toEqual([
      [2, true],
      [1, false],
    ]);
    const audit = await e.db
      .selectFrom('admin_audit')
      .selectAll()
      .where('entity', '=', 'supervision_rule')
      .where('entity_id', '=', 'repeated')
      .execute();
    expect(audit).toHaveLength(1);
  });

  it('第二十二条 bad input is a 400, never a 500', async () => {
    const bad: Array<[string, string, unknown]> = [
      [
        'POST',
        '/api/supervision/cases',
        { trigger: 'overdue', reason: '手动超期', method: 'phone', answerDays: 1, unitId: 1 },
      ],
      [
        'POST',
        '/api/supervision/cases',
        { trigger: 'other', reason: 'a\u0000b', method: 'phone', answerDays: 1, unitId: 1 },
      ],
      [
        'POST',
        '/api/supervision/cases',
        { trigger: 'other', reason: '理由', method: 'phone', answerDays: 99, unitId: 1 },
      ],
      [
        'POST',
        '/api/supervision/cases',
        { trigger: 'other', reason: '理由', method: 'phone', answerDays: 1, ticketIds: [2 ** 40] },
      ],
      ['POST', '/api/supervision/cases', { trigger: 'other', reason: '理由', method: 'phone', answerDays: 1 }],
      [
        'POST',
        '/api/supervision/cases',
        { trigger: 'other', reason: '理由', method: 'phone', answerDays: 1, unitId: e.ids.units['centre'] },
      ],
      ['GET', '/api/supervision/cases?status=bogus', undefined],
      ['GET', '/api/supervision/cases?after=x', undefined],
      ['GET', '/api/supervision/cases/99999999999', undefined],
      ['POST', '/api/supervision/cases/1/decide', { decision: 'maybe', note: 'x' }],
      ['GET', '/api/supervision/cards?days=0', undefined],
    ];
    for (const [method, url, body] of bad) {
      const r = await c.supervisor.request(method as 'GET' | 'POST', url, body);
      expect([url, r.status]).toEqual([url, 400]);
    }
    expect((await c.supervisor.get('/api/supervision/cases/2147483647')).status).toBe(404);
  });
});

/** The document's Title from its info dictionary: an indirect literal string, UTF-16BE after a BOM (as pdfkit writes it). */
function pdfTitle(pdf: Buffer): string | null {
  const s = pdf.toString('latin1');
  const ref = /\/Title (\d+) 0 R/.exec(s);
  const start = ref ? s.indexOf(`\n${ref[1]} 0 obj`) : -1;
  if (start < 0) return null;
  const open = s.indexOf('(', start);
  const bytes: number[] = [];
  for (let i = open + 1, depth = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (ch === '\\') {
      const next = s[++i]!;
      const oct = /^[0-7]{1,3}/.exec(s.slice(i, i + 3));
      if (oct) {
        bytes.push(parseInt(oct[0], 8));
        i += oct[0].length - 1;
      } else bytes.push(({ n: 10, r: 13, t: 9, b: 8, f: 12 } as Record<string, number>)[next] ?? next.charCodeAt(0));
    } else if (ch === ')' && depth === 0) break;
    else {
      if (ch === '(') depth++;
      if (ch === ')') depth--;
      bytes.push(ch.charCodeAt(0));
    }
  }
  const b = Buffer.from(bytes);
  return b[0] === 0xfe && b[1] === 0xff
    ? Buffer.from(b.subarray(2)).swap16().toString('utf16le')
    : b.toString('latin1');
}

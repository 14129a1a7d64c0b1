import { beforeAll, expect, it } from 'vitest';
import { ApiClient, expectStatus } from './helpers/api.js';
import { createTicket, loginAll, tokenFor, type Clients } from './helpers/factories.js';
import { describeEachDb, type TestEnv } from './helpers/test-env.js';
import { sweepKnowledgeNotices } from '../src/server/modules/knowledge/knowledge-notices.service.js';
import { publishedArticleForUse } from '../src/server/modules/knowledge/knowledge-articles.repository.js';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');

describeEachDb('第十八条 知识库 authoring: units write, the centre reviews and publishes', (env) => {
  let e: TestEnv;
  let c: Clients;
  let knowledge: ApiClient;
  let seq = 0;

  beforeAll(async () => {
    e = env();
    c = await loginAll(e);
    knowledge = await ApiClient.login(e, 'knowledge');
  });

  const content = (over: Record<string, unknown> = {}) => ({
    title: `牡丹区城区供暖什么时候开始${++seq}`,
    aliases: ['暖气什么时候来', '供暖开始时间'],
    answer: '牡丹区城区集中供暖期为每年11月15日至次年3月15日，遇极端天气可提前或延长，以供热主管部门通知为准。',
    shortAnswer: '城区供暖期为每年11月15日至次年3月15日，以供热主管部门通知为准。',
    publicAnswer: '城区供暖期为每年11月15日至次年3月15日。',
    visibility: 'public',
    policyBasis: [{ document: '山东省供热条例', number: null, clause: '第二十二条' }],
    categoryIds: [e.ids.categories['CX-GN']],
    regionCodes: ['371702'],
    effectiveFrom: '2025-01-01',
    expiresOn: null,
    ...over,
  });

  async function draft(over: Record<string, unknown> = {}) {
    return expectStatus(await c.handlerMd.post('/api/knowledge/articles', content(over)), 201);
  }
  async function published(over: Record<string, unknown> = {}) {
    const a = await draft(over);
    let s = expectStatus(
      await c.handlerMd.post(`/api/knowledge/articles/${a.id}/submit`, { lockVersion: a.lockVersion }),
      200,
    );
    s = expectStatus(
      await c.managerMd.post(`/api/knowledge/articles/${a.id}/approve`, { lockVersion: s.lockVersion }),
      200,
    );
    s = expectStatus(
      await knowledge.post(`/api/knowledge/articles/${a.id}/publish`, { lockVersion: s.lockVersion }),
      200,
    );
    return s as { id: number; lockVersion: number; publishedVersionId: number };
  }
  const detail = async (who: ApiClient, id: number) =>
    expectStatus(await who.get(`/api/knowledge/articles/${id}`), 200);

  it('workflow: handler drafts → submits → manager approves → reviewer publishes; events and tokens written', async () => {
    const a = await draft();
    expect(a.workingState).toBe('draft');
    const s1 = expectStatus(
      await c.handlerMd.post(`/api/knowledge/articles/${a.id}/submit`, { lockVersion: a.lockVersion }),
      200,
    );
    expect(s1.workingState).toBe('unit_review');
    // publishing without review is refused with a clear message
    const early = await knowledge.post(`/api/knowledge/articles/${a.id}/publish`, { lockVersion: s1.lockVersion });
    expect(early.status).toBe(409);
    expect(early.body.error.message).toContain('未经审核不能发布');
    const s2 = expectStatus(
      await c.managerMd.post(`/api/knowledge/articles/${a.id}/approve`, { lockVersion: s1.lockVersion }),
      200,
    );
    expect(s2.workingState).toBe('centre_review');
    const q = expectStatus(await knowledge.get('/api/knowledge/review-queue'), 200);
    expect(q.items.map((x: { articleId: number }) => x.articleId)).toContain(a.id);
    const s3 = expectStatus(
      await knowledge.post(`/api/knowledge/articles/${a.id}/publish`, { lockVersion: s2.lockVersion }),
      200,
    );
    expect(s3).toMatchObject({ status: 'published', workingState: 'published', pendingVersionId: null });
    const row = await e.db
      .selectFrom('knowledge_articles')
      .selectAll()
      .where('id', '=', a.id)
      .executeTakeFirstOrThrow();
    expect(row.title_tokens).toContain('供暖');
    expect(row.short_answer).toContain('11月15日');
    expect(row.reviewed_at).not.toBeNull();
    const d = await detail(c.handlerMd, a.id);
    expect(d.events.map((x: { action: string }) => x.action).reverse()).toEqual([
      'created',
      'submitted',
      'approved',
      'published',
    ]);
    // the agent reads it (published), as answering online does
    expect((await c.agent.get(`/api/knowledge/articles/${a.id}`)).status).toBe(200);
    expect(await publishedArticleForUse(e.db, a.id, '2025-03-03')).toMatchObject({
      id: a.id,
      ownerUnitId: e.ids.units['gov-md'],
    });
    const notices = expectStatus(await c.handlerMd.get('/api/knowledge/notices'), 200);
    expect(
      notices.items.some((n: { kind: string; articleId: number }) => n.kind === 'published' && n.articleId === a.id),
    ).toBe(true);
  });

  it('a manager’s own submission goes to the centre; the centre edits any article straight into its review', async () => {
    const a = expectStatus(await c.managerMd.post('/api/knowledge/articles', { ...content(), submit: true }), 201);
    expect(a.workingState).toBe('centre_review');
    const p = await published();
    const edit = expectStatus(
      await knowledge.put(`/api/knowledge/articles/${p.id}`, {
        ...content({ title: '城区供暖开始时间（中心修订）' }),
        changeReason: '核对供热办通知',
        lockVersion: p.lockVersion,
      }),
      200,
    );
    expect(edit.workingState).toBe('centre_review');
    expectStatus(
      await knowledge.post(`/api/knowledge/articles/${p.id}/publish`, { lockVersion: edit.lockVersion }),
      200,
    );
  });

  it('permissions: another unit 404, a centre reader 403 on a write and 404 on a draft, an editor may not approve', async () => {
    const a = await draft();
    expect((await c.handlerCg.get(`/api/knowledge/articles/${a.id}`)).status).toBe(404);
    expect(
      (
        await c.handlerCg.put(`/api/knowledge/articles/${a.id}`, {
          ...content(),
          changeReason: 'x',
          lockVersion: a.lockVersion,
        })
      ).status,
    ).toBe(404);
    expect((await c.agent.get(`/api/knowledge/articles/${a.id}`)).status).toBe(404);
    const s = expectStatus(
      await c.handlerMd.post(`/api/knowledge/articles/${a.id}/submit`, { lockVersion: a.lockVersion }),
      200,
    );
    expect(
      (await c.handlerMd.post(`/api/knowledge/articles/${a.id}/approve`, { lockVersion: s.lockVersion })).status,
    ).toBe(403);
    const p = await published();
    expect(
      (await c.agent.post(`/api/knowledge/articles/${p.id}/withdraw`, { lockVersion: p.lockVersion, reason: 'x' }))
        .status,
    ).toBe(403);
    // lists: the unit sees its own (drafts included), another unit none of them, the agent only published ones
    const mine = expectStatus(await c.handlerMd.get('/api/knowledge/articles?limit=200'), 200);
    expect(mine.items.map((x: { id: number }) => x.id)).toContain(a.id);
    const theirs = expectStatus(await c.handlerCg.get('/api/knowledge/articles?limit=200'), 200);
    expect(theirs.items.every((x: { ownerUnitId: number }) => x.ownerUnitId === e.ids.units['cgj'])).toBe(true);
    const agentList = expectStatus(await c.agent.get('/api/knowledge/articles?limit=200'), 200);
    expect(agentList.items.every((x: { status: string }) => x.status === 'published')).toBe(true);
  });

  it('return with a reason (required), edit into a new version, versions and compare', async () => {
    const p = await published();
    const v2 = expectStatus(
      await c.handlerMd.put(`/api/knowledge/articles/${p.id}`, {
        ...content({ answer: '牡丹区城区集中供暖期为每年11月15日至次年3月31日。', title: '牡丹区供暖时间' }),
        changeReason: '延长供暖期',
        lockVersion: p.lockVersion,
        submit: true,
      }),
      200,
    );
    expect(v2.workingState).toBe('unit_review');
    const noReason = await c.managerMd.post(`/api/knowledge/articles/${p.id}/return`, {
      lockVersion: v2.lockVersion,
      reason: '',
    });
    expect(noReason.status).toBe(400);
    const ret = expectStatus(
      await c.managerMd.post(`/api/knowledge/articles/${p.id}/return`, {
        lockVersion: v2.lockVersion,
        reason: '请补充政策依据',
      }),
      200,
    );
    expect(ret.workingState).toBe('returned');
    // the published version stays offered meanwhile
    expect((await detail(c.agent, p.id)).published.answer).toContain('3月15日');
    const v3 = expectStatus(
      await c.handlerMd.put(`/api/knowledge/articles/${p.id}`, {
        ...content({ answer: '牡丹区城区集中供暖期为每年11月15日至次年3月31日。', title: '牡丹区供暖时间' }),
        changeReason: '补充依据',
        lockVersion: ret.lockVersion,
      }),
      200,
    );
    const d = await detail(c.handlerMd, p.id);
    expect(d.versions.map((v: { versionNo: number; state: string }) => [v.versionNo, v.state])).toEqual([
      [3, 'draft'],
      [2, 'returned'],
      [1, 'published'],
    ]);
    const cmp = expectStatus(
      await c.handlerMd.get(`/api/knowledge/articles/${p.id}/compare?from=${p.publishedVersionId}&to=${v3.versionId}`),
      200,
    );
    const answer = cmp.fields.find((f: { field: string }) => f.field === 'answer');
    expect(answer.changed).toBe(true);
    expect(
      answer.segments
        .filter((s: { op: string }) => s.op !== 'equal')
        .map((s: { text: string }) => s.text)
        .join(''),
    ).toMatch(/[13]/);
    expect(cmp.fields.find((f: { field: string }) => f.field === 'aliases').changed).toBe(false);
    // versions of another article cannot be compared here
    const other = await draft();
    expect(
      (
        await c.handlerMd.get(
          `/api/knowledge/articles/${p.id}/compare?from=${p.publishedVersionId}&to=${other.versionId}`,
        )
      ).status,
    ).toBe(422);
    // the agent reads the published version only
    expect((await c.agent.get(`/api/knowledge/versions/${v3.versionId}`)).status).toBe(404);
    expect((await c.agent.get(`/api/knowledge/versions/${p.publishedVersionId}`)).status).toBe(200);
  });

  it('concurrent edits: one wins, the other is told to refresh (409 conflict), never overwritten', async () => {
    const a = await draft();
    const edit = (title: string) =>
      c.handlerMd.put(`/api/knowledge/articles/${a.id}`, {
        ...content({ title }),
        changeReason: '并发修改',
        lockVersion: a.lockVersion,
      });
    const [x, y] = await Promise.all([edit('甲的修改'), edit('乙的修改')]);
    expect([x.status, y.status].sort()).toEqual([200, 409]);
    const lost = x.status === 409 ? x : y;
    expect(lost.body.error).toMatchObject({ code: 'conflict', message: '该知识已被他人修改，请刷新后再编辑' });
    const d = await detail(c.handlerMd, a.id);
    expect(d.versions).toHaveLength(2);
    // a step with an old lockVersion too
    expect(
      (await c.handlerMd.post(`/api/knowledge/articles/${a.id}/submit`, { lockVersion: a.lockVersion })).status,
    ).toBe(409);
  });

  it('bad input: missing fields, expiry before effective date, unknown category/region, limits — Chinese messages', async () => {
    const post = (body: Record<string, unknown>) => c.handlerMd.post('/api/knowledge/articles', body);
    const missing = await post({ title: '只有标题' });
    expect(missing.status).toBe(400);
    expect(JSON.stringify(missing.body)).toMatch(/答复内容|不能为空/);
    const dates = await post(content({ effectiveFrom: '2025-06-01', expiresOn: '2025-05-01' }));
    expect(dates.status).toBe(422);
    expect(dates.body.error.details.fields).toEqual(['expiresOn']);
    expect(dates.body.error.message).toContain('失效日期须晚于生效日期');
    const refs = await post(content({ categoryIds: [999999], regionCodes: ['371799'] }));
    expect(refs.status).toBe(422);
    expect(refs.body.error.details.fields).toEqual(['categoryIds', 'regionCodes']);
    expect((await post(content({ shortAnswer: '短'.repeat(301) }))).status).toBe(400);
    expect((await post(content({ answer: '长'.repeat(10_001) }))).status).toBe(400);
    expect((await post(content({ aliases: Array.from({ length: 21 }, (_, i) => `问法${i}`) }))).status).toBe(400);
    expect((await post(content({ aliases: ['长'.repeat(101)] }))).status).toBe(400);
    expect(
      (await post(content({ policyBasis: Array.from({ length: 11 }, () => ({ document: '文件' })) }))).status,
    ).toBe(400);
    expect((await post(content({ policyBasis: [{ number: '鲁政发〔2024〕1号' }] }))).status).toBe(400);
    // the reviewer must name the owner; the owner must be a unit, not the centre
    expect((await knowledge.post('/api/knowledge/articles', content())).status).toBe(422);
    expect(
      (await knowledge.post('/api/knowledge/articles', { ...content(), ownerUnitId: e.ids.units['centre'] })).status,
    ).toBe(422);
    // a change needs its reason
    const a = await draft();
    expect(
      (await c.handlerMd.put(`/api/knowledge/articles/${a.id}`, { ...content(), lockVersion: a.lockVersion })).status,
    ).toBe(400);
  });

  it('attachments: a PDF is stored and downloaded; oversized 413, mistyped 415; public only when public and in force', async () => {
    const a = await draft({ visibility: 'public' });
    const up = expectStatus(
      await c.handlerMd.post(`/api/knowledge/articles/${a.id}/attachments`, {
        name: '供热条例.pdf',
        dataBase64: PDF.toString('base64'),
      }),
      201,
    );
    expect(up).toMatchObject({ mime: 'application/pdf', attachedToDraft: true, lockVersion: a.lockVersion + 1 });
    const text = await c.handlerMd.post(`/api/knowledge/articles/${a.id}/attachments`, {
      name: 'x.pdf',
      dataBase64: Buffer.from('just some text, not a pdf').toString('base64'),
    });
    expect(text.status).toBe(415);
    expect(text.body.error.message).toContain('仅支持 PDF');
    const big = Buffer.alloc(10 * 1024 * 1024 + 10);
    PDF.copy(big);
    const over = await c.handlerMd.post(`/api/knowledge/articles/${a.id}/attachments`, {
      name: 'big.pdf',
      dataBase64: big.toString('base64'),
    });
    expect(over.status).toBe(413);
    expect(over.body.error.message).toContain('10 MB');
    expect(
      (
        await c.handlerCg.post(`/api/knowledge/articles/${a.id}/attachments`, {
          name: 'a.pdf',
          dataBase64: PDF.toString('base64'),
        })
      ).status,
    ).toBe(404);
    const got = await c.handlerMd.bytes(`/api/knowledge/attachments/${up.id}`);
    expect(got.status).toBe(200);
    expect(got.data.equals(PDF)).toBe(true);
    // not yet published: not public
    const pub = () => e.app.inject({ method: 'GET', url: `/api/public/knowledge/attachments/${up.id}` });
    expect((await pub()).statusCode).toBe(404);
    let s = expectStatus(
      await c.managerMd.post(`/api/knowledge/articles/${a.id}/submit`, {
        lockVersion: (await detail(c.handlerMd, a.id)).lockVersion,
      }),
      200,
    );
    s = expectStatus(
      await knowledge.post(`/api/knowledge/articles/${a.id}/publish`, { lockVersion: s.lockVersion }),
      200,
    );
    expect((await pub()).statusCode).toBe(200);
    // withdrawn: gone from the portal
    expectStatus(
      await knowledge.post(`/api/knowledge/articles/${a.id}/withdraw`, {
        lockVersion: s.lockVersion,
        reason: '政策已废止',
      }),
      200,
    );
    expect((await pub()).statusCode).toBe(404);
    // an internal article's file is never public
    const i = await published({ visibility: 'internal' });
    const f = expectStatus(
      await c.handlerMd.post(`/api/knowledge/articles/${i.id}/attachments`, {
        name: 'n.pdf',
        dataBase64: PDF.toString('base64'),
      }),
      201,
    );
    expect((await e.app.inject({ method: 'GET', url: `/api/public/knowledge/attachments/${f.id}` })).statusCode).toBe(
      404,
    );
  });

  it('withdrawal: the owner asks, the centre withdraws; nothing is deleted, editing stops', async () => {
    const p = await published();
    const req = expectStatus(
      await c.handlerMd.post(`/api/knowledge/articles/${p.id}/withdraw`, {
        lockVersion: p.lockVersion,
        reason: '政策已调整',
      }),
      200,
    );
    expect(req).toMatchObject({ withdrawRequested: true, status: 'published' });
    const q = expectStatus(await knowledge.get('/api/knowledge/review-queue'), 200);
    expect(q.items.find((x: { articleId: number }) => x.articleId === p.id)).toMatchObject({
      kind: 'withdraw',
      withdrawReason: '政策已调整',
    });
    const w = expectStatus(
      await knowledge.post(`/api/knowledge/articles/${p.id}/withdraw`, {
        lockVersion: req.lockVersion,
        reason: '同意下架',
      }),
      200,
    );
    expect(w.status).toBe('withdrawn');
    expect(
      (
        await c.handlerMd.put(`/api/knowledge/articles/${p.id}`, {
          ...content(),
          changeReason: 'x',
          lockVersion: w.lockVersion,
        })
      ).status,
    ).toBe(409);
    expect(
      await e.db.selectFrom('knowledge_versions').select('id').where('article_id', '=', p.id).execute(),
    ).toHaveLength(1);
    expect(await publishedArticleForUse(e.db, p.id, '2025-03-03')).toBeUndefined();
  });

  it('expiry and staleness: notices before and on the day, once each (job idempotent); confirm still valid', async () => {
    const soon = await published({ expiresOn: '2025-03-25' });
    const old = await published();
    // the review date moves into the past: stale after its cycle
    await e.db
      .updateTable('knowledge_articles')
      .set({ reviewed_at: new Date('2024-06-01T02:00:00Z'), review_cycle_days: 180 })
      .where('id', '=', old.id)
      .execute();
    const run = () => sweepKnowledgeNotices(e.db, e.clock);
    const first = await run();
    expect(first.expiring).toBeGreaterThanOrEqual(1);
    expect(first.stale).toBeGreaterThanOrEqual(1);
    expect(await run()).toEqual({ expiring: 0, expired: 0, stale: 0 });
    const kinds = async (id: number) =>
      (
        await e.db.selectFrom('knowledge_notices').select(['kind', 'cause_key']).where('article_id', '=', id).execute()
      ).map((n) => `${n.kind}:${n.cause_key}`);
    expect(await kinds(soon.id)).toContain('expiring:2025-03-25');
    expect(await kinds(old.id)).toContain('stale:2024-06-01');
    const stale = expectStatus(await c.handlerMd.get('/api/knowledge/articles?stale=true&limit=200'), 200);
    expect(stale.items.map((x: { id: number }) => x.id)).toContain(old.id);
    expect(stale.items.find((x: { id: number }) => x.id === old.id).freshness).toBe('stale');
    const expiring = expectStatus(
      await c.handlerMd.get('/api/knowledge/articles?expiringWithinDays=30&limit=200'),
      200,
    );
    expect(expiring.items.map((x: { id: number }) => x.id)).toContain(soon.id);
    // the editor may not confirm; the manager confirms: no new version, an event, no longer stale
    const lv = (await detail(c.handlerMd, old.id)).lockVersion;
    expect(
      (await c.handlerMd.post(`/api/knowledge/articles/${old.id}/confirm-valid`, { lockVersion: lv })).status,
    ).toBe(403);
    expectStatus(
      await c.managerMd.post(`/api/knowledge/articles/${old.id}/confirm-valid`, {
        lockVersion: lv,
        note: '政策未变化',
      }),
      200,
    );
    const d = await detail(c.managerMd, old.id);
    expect(d.freshness).toBe('current');
    expect(d.versions).toHaveLength(1);
    expect(d.events[0].action).toBe('confirmed');
    // the clock reaches the expiry day: expired notice, not offered, listed as expired
    const saved = e.clock.now();
    e.clock.set('2025-03-25T08:00:00+08:00');
    try {
      expect((await run()).expired).toBeGreaterThanOrEqual(1);
      expect(await kinds(soon.id)).toContain('expired:2025-03-25');
      expect(await publishedArticleForUse(e.db, soon.id, '2025-03-25')).toBeUndefined();
      const expired = expectStatus(await c.handlerMd.get('/api/knowledge/articles?expired=true&limit=200'), 200);
      expect(expired.items.find((x: { id: number }) => x.id === soon.id).freshness).toBe('expired');
      const fr = expectStatus(await knowledge.get('/api/knowledge/freshness'), 200);
      const md = fr.units.find((u: { unitId: number }) => u.unitId === e.ids.units['gov-md']);
      expect(md.published).toBeGreaterThan(md.current);
      expect(md.expired).toBeGreaterThanOrEqual(1);
    } finally {
      e.clock.set(saved.toISOString());
    }
    // notices are read by the unit
    const n = expectStatus(await c.handlerMd.get('/api/knowledge/notices?unread=true'), 200);
    expectStatus(await c.handlerMd.post(`/api/knowledge/notices/${n.items[0].id}/read`), 200);
    expect((await c.handlerCg.post(`/api/knowledge/notices/${n.items[0].id}/read`)).status).toBe(404);
  });

  it('settings: reviewer and admin; bounds checked', async () => {
    const s = expectStatus(await knowledge.get('/api/knowledge/settings'), 200);
    expect(s.expiryNoticeDays).toBe(30);
    expect((await c.handlerMd.get('/api/knowledge/settings')).status).toBe(403);
    expect((await knowledge.put('/api/knowledge/settings', { ...s, expiryNoticeDays: 0 })).status).toBe(400);
    const u = expectStatus(
      await c.admin.put('/api/knowledge/settings', {
        expiryNoticeDays: 45,
        defaultReviewCycleDays: 180,
        staleGraceDays: 30,
      }),
      200,
    );
    expect(u.expiryNoticeDays).toBe(45);
    expectStatus(
      await c.admin.put('/api/knowledge/settings', {
        expiryNoticeDays: 30,
        defaultReviewCycleDays: 180,
        staleGraceDays: 30,
      }),
      200,
    );
  });

  it('第十八条第二款 push API: idempotent on the unit’s own id, same review rules, a centre partner refused', async () => {
    const token = await tokenFor(e, c.admin, 'kb_rsj');
    const push = (id: string, body: unknown, t = token) =>
      e.app.inject({
        method: 'PUT',
        url: `/api/knowledge/push/articles/${id}`,
        payload: body as never,
        headers: { authorization: `Bearer ${t}` },
      });
    const body = content({
      title: '灵活就业人员如何缴纳养老保险',
      categoryIds: [e.ids.categories['LD-SB']],
      regionCodes: [],
      answer: '灵活就业人员可通过山东省电子税务局、“爱山东”APP或社保经办窗口办理登记和缴费，以经办机构最新规定为准。',
      shortAnswer: '可通过电子税务局、爱山东APP或社保窗口登记缴费，以经办机构最新规定为准。',
    });
    const r1 = await push('RSJ-001', body);
    expect(r1.statusCode).toBe(201);
    expect(r1.json()).toMatchObject({ outcome: 'created', workingState: 'centre_review', pendingVersionNo: 1 });
    const r2 = await push('RSJ-001', body);
    expect(r2.statusCode).toBe(200);
    expect(r2.json()).toMatchObject({ outcome: 'unchanged', pendingVersionNo: 1 });
    const id = r1.json().articleId as number;
    // nothing published without the centre
    expect(
      (await e.db.selectFrom('knowledge_articles').select('status').where('id', '=', id).executeTakeFirstOrThrow())
        .status,
    ).toBe('draft');
    let lv = (await detail(knowledge, id)).lockVersion;
    expectStatus(await knowledge.post(`/api/knowledge/articles/${id}/publish`, { lockVersion: lv }), 200);
    const r3 = await push('RSJ-001', {
      ...body,
      shortAnswer: '可通过电子税务局或爱山东APP登记缴费，以经办机构最新规定为准。',
    });
    expect(r3.json()).toMatchObject({
      outcome: 'updated',
      status: 'published',
      publishedVersionNo: 1,
      pendingVersionNo: 2,
      pendingState: 'centre_review',
    });
    const state = await e.app.inject({
      method: 'GET',
      url: '/api/knowledge/push/articles/RSJ-001',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(state.json()).toMatchObject({ pendingVersionNo: 2 });
    // returned by the centre: the system sees the reason
    lv = (await detail(knowledge, id)).lockVersion;
    expectStatus(
      await knowledge.post(`/api/knowledge/articles/${id}/return`, { lockVersion: lv, reason: '简短答复缺少窗口渠道' }),
      200,
    );
    const back = await e.app.inject({
      method: 'GET',
      url: '/api/knowledge/push/articles/RSJ-001',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(back.json().lastReturn).toEqual({ versionNo: 2, reason: '简短答复缺少窗口渠道' });
    // withdrawal request
    const w = await push('RSJ-001', { ...body, withdrawn: true });
    expect(w.json()).toMatchObject({ outcome: 'withdraw_requested', withdrawRequested: true, status: 'published' });
    // bad input: 422 with fields
    const bad = await push(
      'RSJ-002',
      content({ effectiveFrom: '2025-06-01', expiresOn: '2025-01-01', categoryIds: [999999] }),
    );
    expect(bad.statusCode).toBe(422);
    expect(bad.json().error.details.fields).toEqual(['expiresOn', 'categoryIds']);
    expect((await push('bad id!', body)).statusCode).toBe(400);
    // the centre's Open311 partner is not a unit's system; a person's session is not one either
    const centre = await tokenFor(e, c.admin, 'partner');
    const refused = await push('X-1', body, centre);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.message).toContain('对接系统不属于承办单位');
    expect((await c.handlerMd.put('/api/knowledge/push/articles/X-1', body)).status).toBe(403);
    // the unit's system cannot reach the staff routes
    expect(
      (
        await e.app.inject({
          method: 'GET',
          url: '/api/knowledge/articles',
          headers: { authorization: `Bearer ${token}` },
        })
      ).statusCode,
    ).toBe(403);
    // OpenAPI documents it
    const doc = e.app.swagger() as { paths: Record<string, Record<string, { description?: string }>> };
    expect(doc.paths['/api/knowledge/push/articles/{externalId}']!.put!.description).toContain('Idempotent');
  });

  it('propose from a ticket reply: the lead unit’s reply only, never the requester’s words or data', async () => {
    const t = await createTicket(e, c.agent, {
      title: '咨询供暖开始时间',
      content: '我叫张秀英，电话13905301234，家住和平路，想问今年暖气什么时候来。',
    });
    expectStatus(await c.dispatcher.post(`/api/tickets/${t.id}/dispatch`, { leadUnitId: e.ids.units['gov-md'] }), 200);
    expect((await c.handlerMd.post(`/api/knowledge/proposals/from-ticket/${t.id}`, {})).status).toBe(409);
    expectStatus(await c.handlerMd.post(`/api/tickets/${t.id}/accept`, {}), 200);
    expectStatus(
      await c.handlerMd.post(`/api/tickets/${t.id}/contacts`, { method: 'phone', reached: true, note: '已联系' }),
      200,
    );
    expectStatus(
      await c.handlerMd.post(`/api/tickets/${t.id}/reply`, {
        result: '经核实，城区集中供暖于11月15日开始，可拨打供热企业服务电话咨询具体到户时间。',
        solved: true,
      }),
      200,
    );
    expect((await c.handlerCg.post(`/api/knowledge/proposals/from-ticket/${t.id}`, {})).status).toBe(404);
    expect((await c.agent.post(`/api/knowledge/proposals/from-ticket/${t.id}`, {})).status).toBe(403);
    const p = expectStatus(await c.handlerMd.post(`/api/knowledge/proposals/from-ticket/${t.id}`, {}), 201);
    expect(p.workingState).toBe('draft');
    const d = await detail(c.handlerMd, p.id);
    const text = JSON.stringify(d.pending);
    expect(d.pending.title).toBe('咨询供暖开始时间');
    expect(d.pending.answer).toContain('11月15日开始');
    expect(d.pending.source).toBe('ticket_reply');
    for (const w of ['张秀英', '13905301234', '和平路', '我叫']) expect(text).not.toContain(w);
    // as an update of an existing article of the unit
    const a = await published();
    const u = expectStatus(
      await c.handlerMd.post(`/api/knowledge/proposals/from-ticket/${t.id}`, { articleId: a.id }),
      201,
    );
    expect(u.id).toBe(a.id);
    const d2 = await detail(c.handlerMd, a.id);
    expect(d2.pending.answer).toContain('答复】');
    expect(d2.published.answer).not.toContain('答复】');
  });
});

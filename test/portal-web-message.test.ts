import { beforeEach, expect, it } from 'vitest';
import { describeEachDb } from './helpers/test-env.js';
import { ApiClient, expectStatus } from './helpers/api.js';
import { loginAll } from './helpers/factories.js';

// Issue 14, the citizen's side of the portal: an emergency typed into the web form is told at once whom to call and
// jumps the agents' inbox (第十三条(一)); the 留言编号 shown on sending is a key the citizen can follow the message by,
// before and after it becomes a ticket, and the agent finds the ticket by it (第九条); the track page says when the
// next step is due; the portal's categories are the staff's own.

/** A multipart/form-data body as a browser builds it. */
function form(fields: Record<string, string>) {
  const boundary = '----PortalBoundary5c1e';
  const parts = Object.entries(fields).map(
    ([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`,
  );
  return {
    payload: Buffer.from(`${parts.join('')}--${boundary}--\r\n`),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

interface Sent {
  reference: string;
  code: string | null;
  duplicate: boolean;
  emergency: { line: string; label: string } | null;
  message: string;
}

describeEachDb('第九条 第十三条 网上留言：紧急提示、留言编号查询与诉求类别', (env) => {
  let ip = '198.51.100.1';
  let n = 1;
  beforeEach(() => {
    ip = `198.51.100.${++n}`;
  });
  const later = (ms: number) => env().clock.set(new Date(env().clock.now().getTime() + ms));
  const send = async (fields: Record<string, string>) => {
    const t = await env().app.inject({ method: 'GET', url: '/api/public/form-token', remoteAddress: ip });
    later(8_000);
    return env().app.inject({
      method: 'POST',
      url: '/api/public/requests',
      remoteAddress: ip,
      ...form({ formToken: t.json().token, hz_trap: '', ...fields }),
    });
  };
  const sent = async (fields: Record<string, string>) => {
    const res = await send(fields);
    expect(res.statusCode).toBe(201);
    return res.json() as Sent;
  };
  const track = (number: string, code: string) =>
    env().app.inject({ method: 'GET', url: '/api/public/tracking', query: { number, code }, remoteAddress: ip });

  it('第十三条: an emergency typed on the portal is told to call 119 at once and comes first in the agent inbox', async () => {
    const e = env();
    const agent = await ApiClient.login(e, 'agent');
    const routine = await sent({ content: '小区门口的路灯坏了好几天了，晚上很黑，希望尽快修好。' });
    expect(routine.emergency).toBeNull();
    expect(routine.message).toContain('留言已提交');
    const fire = await sent({ content: '小区3号楼起火了有人被困，快来人！', phone: '13805301111' });
    expect(fire.emergency).toEqual({ line: '119', label: '火警' });
    expect(fire.message).toContain('请立即拨打 119');
    expect(fire.message).not.toContain('话务员将尽快受理');
    expect(fire.code).toMatch(/^[2-9A-Z]{8}$/);

    // the fire was sent last, yet it is ahead of every routine message; paging one by one keeps the same order
    const page = expectStatus<{ items: Array<{ id: number; emergencySuggestion: string | null }> }>(
      await agent.get('/api/contacts?limit=200'),
      200,
    );
    const ids = page.items.map((c) => c.id);
    const fireId = Number(fire.reference.slice(4));
    const routineId = Number(routine.reference.slice(4));
    expect(ids.indexOf(fireId)).toBeGreaterThanOrEqual(0);
    expect(ids.indexOf(fireId)).toBeLessThan(ids.indexOf(routineId));
    const firstRoutine = page.items.findIndex((c) => c.emergencySuggestion === null);
    expect(page.items.slice(firstRoutine).every((c) => c.emergencySuggestion === null)).toBe(true);
    const walked: number[] = [];
    let after: number | null = null;
    do {
      const p: { items: Array<{ id: number }>; next: number | null } = expectStatus(
        await agent.get(`/api/contacts?limit=1${after ? `&after=${after}` : ''}`),
        200,
      );
      walked.push(...p.items.map((c) => c.id));
      after = p.next;
    } while (after && walked.length < 250);
    expect(walked).toEqual(ids);

    // the track page says it again while the message waits
    const waiting = await track(fire.reference, fire.code!);
    expect(waiting.statusCode).toBe(200);
    expect(waiting.json()).toMatchObject({ kind: 'message', reference: fire.reference, emergencyLine: '119' });
  });

  it('第九条: the 留言编号 and its code follow the message before and after it becomes a ticket; the agent finds it', async () => {
    const e = env();
    const c = await loginAll(e);
    const msg = await sent({ content: '和平路与中华路口东侧井盖丢失，夜里很危险，请尽快处理。', phone: '13805302222' });
    const id = Number(msg.reference.slice(4));

    const before = await track(msg.reference.toLowerCase(), msg.code!.toLowerCase());
    expect(before.statusCode).toBe(200);
    expect(before.json()).toMatchObject({
      kind: 'message',
      reference: msg.reference,
      stage: { label: '已收到，等待话务员受理', handledAt: null },
      answer: null,
      emergencyLine: null,
    });
    // a wrong code, another channel's contact, a made-up number: the same refusal, nothing told
    expect((await track(msg.reference, 'ZZZZZZZZ')).statusCode).toBe(404);
    expect((await track(msg.reference, 'ZZZZZZZZ')).json().error.message).toBe('留言编号或查询码不正确');
    const phoneContact = expectStatus<{ id: number }>(
      await c.agent.post('/api/contacts', { channel: 'phone', content: '电话来电记录' }),
      201,
    );
    expect((await track(`WEB-${phoneContact.id}`, msg.code!)).statusCode).toBe(404);
    expect((await track('WEB-999999999', msg.code!)).statusCode).toBe(404);
    // evaluation needs a ticket
    const early = await e.app.inject({
      method: 'POST',
      url: '/api/public/tracking/evaluate',
      remoteAddress: ip,
      payload: { number: msg.reference, code: msg.code, satisfaction: 'satisfied' },
    });
    expect(early.statusCode).toBe(409);
    expect(early.json().error.message).toContain('尚未形成工单');

    const d = expectStatus<{ ticketId: number }>(
      await c.agent.post(`/api/contacts/${id}/disposition`, {
        disposition: 'dispatched',
        requestType: 'complaint',
        categoryId: e.ids.categories['CX-SZ'],
        regionCode: '371702001',
        title: '和平路井盖丢失',
      }),
      200,
    );
    const ticket = await e.db
      .selectFrom('tickets')
      .select('number')
      .where('id', '=', d.ticketId)
      .executeTakeFirstOrThrow();
    const after = await track(msg.reference, msg.code!);
    expect(after.statusCode).toBe(200);
    expect(after.json()).toMatchObject({ kind: 'ticket', reference: msg.reference, number: ticket.number });
    expect(JSON.stringify(after.json())).not.toContain('13805302222');

    // 工单查询: the number the citizen reads out finds the ticket; a number too large to be one is a clear 400
    const found = expectStatus<{ kind: string; items: Array<{ number: string }> }>(
      await c.agent.post('/api/tickets/search', { q: ` web-${id} `, limit: 10 }),
      200,
    );
    expect(found.kind).toBe('reference');
    expect(found.items.map((t) => t.number)).toEqual([ticket.number]);
    const none = expectStatus<{ items: unknown[] }>(
      await c.agent.post('/api/tickets/search', { q: 'WEB-999999999', limit: 10 }),
      200,
    );
    expect(none.items).toEqual([]);
    const huge = await c.agent.post('/api/tickets/search', { q: 'WEB-99999999999999999999', limit: 10 });
    expect(huge.status).toBe(400);
    expect((await track('WEB-99999999999999999999', 'ABCDEFGH')).statusCode).toBe(400);
  });

  it('the track page says when the next step the requester waits for is due (第十四至十七条)', async () => {
    const e = env();
    const c = await loginAll(e);
    // the code is only in the 201 answer
    const withCode = expectStatus<{ id: number; number: string; trackingCode: string }>(
      await c.agent.post('/api/tickets', {
        requestType: 'complaint',
        categoryId: e.ids.categories['CX-SZ'],
        urgency: 'normal',
        regionCode: '371702001',
        title: '和平路路灯不亮',
        content: '和平路路灯连续几天晚上不亮，请尽快维修。',
        requester: { name: '李娜', phone: '13905305555' },
      }),
      201,
    );
    expect(
      (
        await c.dispatcher.post(`/api/tickets/${withCode.id}/dispatch`, {
          leadUnitId: e.ids.units['gov-md'],
          assistUnitIds: [],
        })
      ).status,
    ).toBe(200);
    const res = await track(withCode.number, withCode.trackingCode);
    expect(res.statusCode).toBe(200);
    const open = await e.db
      .selectFrom('deadlines')
      .select(['kind', 'due_at'])
      .where('ticket_id', '=', withCode.id)
      .where('met_at', 'is', null)
      .where('cancelled_at', 'is', null)
      .where('kind', '=', 'accept')
      .executeTakeFirstOrThrow();
    expect(res.json().nextStep).toEqual({ label: '承办单位签收', dueAt: open.due_at.toISOString() });
  });

  it('the portal offers the staff categories (two levels, names only); a picked one reaches the agent with its path', async () => {
    const e = env();
    const res = await e.app.inject({ method: 'GET', url: '/api/public/categories' });
    expect(res.statusCode).toBe(200);
    const cats = res.json() as Array<{ id: number; name: string; parentId: number | null }>;
    const staff = await e.db
      .selectFrom('categories')
      .select(['id', 'name', 'parent_id'])
      .where('active', '=', true)
      .where('level', '<=', 2)
      .execute();
    expect(cats.length).toBe(staff.length);
    expect(Object.keys(cats[0]!).sort()).toEqual(['id', 'name', 'parentId']);
    const leaf = cats.find((x) => x.parentId !== null)!;
    const parent = cats.find((x) => x.id === leaf.parentId)!;
    const msg = await sent({ content: '小区楼道堆放杂物，存在消防隐患，希望处理。', categoryId: String(leaf.id) });
    const row = await e.db
      .selectFrom('contacts')
      .select('meta')
      .where('id', '=', Number(msg.reference.slice(4)))
      .executeTakeFirstOrThrow();
    expect(row.meta).toMatchObject({ category: `${parent.name}/${leaf.name}`, categoryId: leaf.id });
    for (const bad of ['99999999', 'abc', '1; drop table'])
      expect((await send({ content: '内容足够长的一条留言。', categoryId: bad })).statusCode).toBe(400);
  });

  it("第九条 the citizen picks the county or town (no map needed); it reaches the agent as the ticket form's region", async () => {
    const e = env();
    const res = await e.app.inject({ method: 'GET', url: '/api/public/regions' });
    expect(res.statusCode).toBe(200);
    const regions = res.json() as Array<{ code: string; name: string; parentCode: string | null }>;
    expect(regions.find((r) => r.code === '371702')).toEqual({ code: '371702', name: '牡丹区', parentCode: null });
    const town = regions.find((r) => r.code === '371702001')!;
    expect(town.parentCode).toBe('371702');
    // counties and towns only: no city, no grid
    expect(regions.some((r) => r.code === '371700' || r.code.length > 9)).toBe(false);
    const msg = await sent({ content: '东城街道和平路井盖缺失，夜间很危险。', regionCode: '371702001' });
    const row = await e.db
      .selectFrom('contacts')
      .select('meta')
      .where('id', '=', Number(msg.reference.slice(4)))
      .executeTakeFirstOrThrow();
    expect(row.meta).toMatchObject({ region: `牡丹区/${town.name}`, regionCode: '371702001' });
    for (const bad of ['999999', '371700', 'abc', '3717020010011'])
      expect((await send({ content: '内容足够长的一条留言。', regionCode: bad })).statusCode, bad).toBe(400);
  });
});

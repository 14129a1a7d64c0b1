import { beforeAll, expect, it } from 'vitest';
import { expectStatus } from './helpers/api.js';
import { createTicket, loginAll, type Clients } from './helpers/factories.js';
import { describeEachDb } from './helpers/test-env.js';

describeEachDb('bad input gets a clear structured error and changes nothing', (env) => {
  let c: Clients;
  beforeAll(async () => {
    c = await loginAll(env());
  });

  it('validation errors are 400 with field issues in Chinese', async () => {
    const res = await c.agent.post('/api/tickets', {
      requestType: 'complaint',
      categoryId: 1,
      regionCode: 'abc',
      title: '',
      content: '有内容',
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('bad_request');
    expect(res.body.error.message).toBe('请求参数不正确');
    const messages = res.body.error.details.issues.map((i: any) => i.message).join(' ');
    expect(messages).toContain('行政区划代码格式不正确');
    expect(messages).toContain('标题不能为空');
    expect(res.body.error.requestId).toBeTruthy();
  });

  it('references to missing rows are refused before anything is written', async () => {
    const before = await env().db.selectFrom('tickets').select('id').execute();
    const res = await c.agent.post('/api/tickets', {
      requestType: 'help',
      categoryId: 999999,
      regionCode: '371702',
      title: '求助',
      content: '内容',
    });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe('事项分类不存在');
    const region = await c.agent.post('/api/tickets', {
      requestType: 'help',
      categoryId: env().ids.categories['QT-QT'],
      regionCode: '999999',
      title: '求助',
      content: '内容',
    });
    expect(region.body.error.message).toBe('行政区划不存在');
    expect(await env().db.selectFrom('tickets').select('id').execute()).toHaveLength(before.length);
  });

  it('malformed JSON, unknown routes and missing tickets', async () => {
    const e = env();
    const cookie = (
      await e.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 'agent', password: 'Heze12345!' },
      })
    ).headers['set-cookie'];
    const bad = await e.app.inject({
      method: 'POST',
      url: '/api/tickets',
      headers: { cookie: String(cookie).split(';')[0], 'content-type': 'application/json' },
      payload: '{"requestType":',
    });
    expect(bad.statusCode).toBe(400);
    expect(JSON.parse(bad.body).error.code).toBe('bad_request');
    const none = await e.app.inject({ method: 'GET', url: '/api/nothing-here' });
    expect(none.statusCode).toBe(404);
    expect(JSON.parse(none.body).error.message).toBe('接口不存在');
    expect((await c.agent.get('/api/tickets/99999999')).status).toBe(404);
    expect((await c.agent.get('/api/tickets/abc')).status).toBe(400);
  });

  it('a bad pagination cursor is a 400, not a 500', async () => {
    const res = await c.handlerMd.get('/api/tickets?view=lead&after=not-a-cursor');
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe('分页游标无效');
    expect((await c.handlerMd.get('/api/tickets?status=open')).status).toBe(400);
  });

  it('keyset pagination walks a queue without gaps or repeats', async () => {
    const e = env();
    e.clock.set('2025-03-03T09:00:00+08:00');
    for (let i = 0; i < 7; i++) await createTicket(e, c.agent, { regionCode: '371726' });
    const seen: number[] = [];
    let after: string | null = null;
    do {
      const page: any = expectStatus(
        await c.agentCx.get(`/api/tickets?view=centre&limit=3${after ? `&after=${after}` : ''}`),
        200,
      );
      seen.push(...page.items.map((t: any) => t.id));
      after = page.next;
    } while (after);
    const all = expectStatus(await c.agent.get('/api/tickets?view=centre&status=pending_dispatch&limit=200'), 200);
    expect(new Set(seen).size).toBe(seen.length);
    const mine = all.items.filter((t: any) => t.regionCode === '371726').map((t: any) => t.id);
    expect(mine.length).toBeGreaterThanOrEqual(7);
    // agent_cx is the 曹县 centre: it must not have seen 鄄城县 tickets
    expect(seen.filter((id) => mine.includes(id))).toEqual([]);
    let walked: number[] = [];
    after = null;
    do {
      const page: any = expectStatus(
        await c.agent.get(`/api/tickets?view=centre&status=pending_dispatch&limit=2${after ? `&after=${after}` : ''}`),
        200,
      );
      walked = walked.concat(page.items.map((t: any) => t.id));
      after = page.next;
    } while (after);
    expect(walked).toEqual(all.items.map((t: any) => t.id));
    // the open-status cursor relies on this: every open ticket has the deadline of its step as due_at
    const undated = await env()
      .db.selectFrom('tickets')
      .select('id')
      .where('status', 'in', ['pending_dispatch', 'dispatched', 'in_progress', 'replied'])
      .where('due_at', 'is', null)
      .execute();
    expect(undated).toEqual([]);
  });
});

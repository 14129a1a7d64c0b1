import { beforeAll, expect, it } from 'vitest';
import { expectStatus } from './helpers/api.js';
import { dispatchedTicket, eventKinds, loginAll, type Clients } from './helpers/factories.js';
import { describeEachDb } from './helpers/test-env.js';

describeEachDb('单位内部分办：单位负责人指定承办人，「我的」队列', (env) => {
  let c: Clients;
  beforeAll(async () => {
    c = await loginAll(env());
  });

  it('the manager lists the unit handlers and names one; the handler finds it under 「我的」', async () => {
    const e = env();
    e.clock.set('2025-03-03T09:00:00+08:00');
    const id = await dispatchedTicket(e, c, 'gov-md');
    const { items } = expectStatus(await c.managerMd.get('/api/unit-handlers'), 200);
    const handler = items.find((u: any) => u.id === e.ids.users['handler_md']);
    expect(handler.name).toBe('陈承办');
    expect(items.every((u: any) => typeof u.name === 'string')).toBe(true);
    // another unit's person is refused
    const wrong = await c.managerMd.post(`/api/tickets/${id}/handler`, { handlerId: e.ids.users['handler_cg'] });
    expect(wrong.status).toBe(400);
    expectStatus(await c.managerMd.post(`/api/tickets/${id}/handler`, { handlerId: e.ids.users['handler_md'] }), 200);
    expect(await eventKinds(c.dispatcher, id)).toContain('handler_assigned');
    const mine = expectStatus(await c.handlerMd.get('/api/tickets?view=mine&status=dispatched,in_progress'), 200);
    expect(mine.items.map((t: any) => t.id)).toContain(id);
    // the manager was not named: not in the manager's 「我的」
    const theirs = expectStatus(await c.managerMd.get('/api/tickets?view=mine'), 200);
    expect(theirs.items.map((t: any) => t.id)).not.toContain(id);
    // naming the same person again is refused; a handler cannot name anyone
    expect(
      (await c.managerMd.post(`/api/tickets/${id}/handler`, { handlerId: e.ids.users['handler_md'] })).status,
    ).toBe(409);
    expect(
      (await c.handlerMd.post(`/api/tickets/${id}/handler`, { handlerId: e.ids.users['handler_md'] })).status,
    ).toBe(403);
  });

  it('第十六条 the extension limit in total, used and remaining, for the extension form', async () => {
    const e = env();
    e.clock.set('2025-03-03T09:00:00+08:00');
    const id = await dispatchedTicket(e, c, 'gov-md');
    expectStatus(await c.handlerMd.post(`/api/tickets/${id}/accept`, {}), 200);
    expect(expectStatus(await c.handlerMd.get(`/api/tickets/${id}/extension-limit`), 200)).toEqual({
      max: 10,
      used: 0,
      remaining: 10,
    });
    const app = expectStatus(
      await c.handlerMd.post(`/api/tickets/${id}/extension-applications`, {
        reason: '需协调施工',
        days: 4,
        progress: '已联系施工单位',
      }),
      201,
    );
    expectStatus(await c.dispatcher.post(`/api/applications/${app.id}/review`, { decision: 'approve' }), 200);
    expect(expectStatus(await c.handlerMd.get(`/api/tickets/${id}/extension-limit`), 200)).toEqual({
      max: 10,
      used: 4,
      remaining: 6,
    });
    expect((await c.handlerCg.get(`/api/tickets/${id}/extension-limit`)).status).toBe(404);
  });

  it('a ticket reassigned to another unit leaves the handler’s 「我的」', async () => {
    const e = env();
    e.clock.set('2025-03-03T09:00:00+08:00');
    const id = await dispatchedTicket(e, c, 'gov-md');
    expectStatus(await c.managerMd.post(`/api/tickets/${id}/handler`, { handlerId: e.ids.users['handler_md'] }), 200);
    expectStatus(
      await c.dispatcher.post(`/api/tickets/${id}/reassign`, { leadUnitId: e.ids.units['cgj'], reason: '属城管职责' }),
      200,
    );
    const mine = expectStatus(await c.handlerMd.get('/api/tickets?view=mine'), 200);
    expect(mine.items.map((t: any) => t.id)).not.toContain(id);
  });
});

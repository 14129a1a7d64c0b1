import { beforeAll, expect, it } from 'vitest';
import { expectStatus } from './helpers/api.js';
import { dispatchedTicket, eventKinds, loginAll, type Clients } from './helpers/factories.js';
import { describeEachDb } from './helpers/test-env.js';

describeEachDb('第十四条 首接负责制 退单', (env) => {
  let c: Clients;
  beforeAll(async () => {
    c = await loginAll(env());
  });

  it('a return needs materials', async () => {
    env().clock.set('2025-03-03T09:00:00+08:00');
    const id = await dispatchedTicket(env(), c, 'gov-md');
    const res = await c.handlerMd.post(`/api/tickets/${id}/return-applications`, { reason: '不属本单位职责' });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('材料');
  });

  it('no return after the return window (2 working days from dispatch)', async () => {
    const e = env();
    e.clock.set('2025-03-07T16:00:00+08:00'); // Friday
    const id = await dispatchedTicket(e, c, 'gov-md');
    const view = expectStatus(await c.handlerMd.get(`/api/tickets/${id}`), 200);
    // Friday + 2 working days → end of Tuesday 2025-03-11 (Beijing time)
    expect(new Date(view.returnUntil).toISOString()).toBe('2025-03-11T15:59:59.999Z');
    e.clock.set('2025-03-11T17:00:00+08:00');
    expectStatus(await c.handlerMd.post(`/api/tickets/${id}/accept`, {}), 200);
    e.clock.set('2025-03-12T08:30:00+08:00');
    const afterWindow = expectStatus(await c.handlerMd.get(`/api/tickets/${id}`), 200);
    expect(afterWindow.allowedActions).not.toContain('apply_return');
    expect(afterWindow.allowedActions).toContain('reply');
    const late = await c.handlerMd.post(`/api/tickets/${id}/return-applications`, {
      reason: '不属本单位职责',
      materials: [{ name: '三定方案.pdf' }],
    });
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('too_late');
    expect(await eventKinds(c.dispatcher, id)).not.toContain('return_applied');
  });

  it('an approved return without a new unit puts the ticket back in the dispatch queue', async () => {
    const e = env();
    e.clock.set('2025-03-03T09:00:00+08:00');
    const id = await dispatchedTicket(e, c, 'gov-md');
    const app = expectStatus(
      await c.handlerMd.post(`/api/tickets/${id}/return-applications`, {
        reason: '属供电企业职责',
        materials: [{ name: '说明.docx' }],
      }),
      201,
    );
    const t = expectStatus(await c.dispatcher.post(`/api/applications/${app.id}/review`, { decision: 'approve' }), 200);
    expect(t.status).toBe('pending_dispatch');
    expect(t.leadUnitId).toBeNull();
    const v = expectStatus(await c.dispatcher.get(`/api/tickets/${id}`), 200);
    expect(v.deadlines.filter((d: any) => d.state === 'ok' || d.state === 'warning')).toEqual([]);
    expect(v.assignments.every((a: any) => a.status === 'ended')).toBe(true);
    // the unit that returned it no longer sees it
    expect((await c.handlerMd.get(`/api/tickets/${id}`)).status).toBe(404);
    // and the dispatcher can dispatch it again
    expectStatus(await c.dispatcher.post(`/api/tickets/${id}/dispatch`, { leadUnitId: e.ids.units['power'] }), 200);
  });

  it('only the lead unit may apply, one pending application at a time, reviewed once', async () => {
    env().clock.set('2025-03-03T09:00:00+08:00');
    const id = await dispatchedTicket(env(), c, 'gov-md', {}, ['cgj']);
    const body = { reason: '不属本单位', materials: [{ name: 'a.pdf' }] };
    expect((await c.handlerCg.post(`/api/tickets/${id}/return-applications`, body)).status).toBe(403);
    const app = expectStatus(await c.handlerMd.post(`/api/tickets/${id}/return-applications`, body), 201);
    expect((await c.managerMd.post(`/api/tickets/${id}/return-applications`, body)).status).toBe(409);
    expect((await c.handlerMd.post(`/api/applications/${app.id}/review`, { decision: 'approve' })).status).toBe(403);
    expectStatus(
      await c.dispatcher.post(`/api/applications/${app.id}/review`, { decision: 'reject', note: '属本单位职责' }),
      200,
    );
    const again = await c.dispatcher.post(`/api/applications/${app.id}/review`, { decision: 'approve' });
    expect(again.status).toBe(409);
  });
});

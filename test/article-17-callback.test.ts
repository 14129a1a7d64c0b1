import { beforeAll, expect, it } from 'vitest';
import { expectStatus } from './helpers/api.js';
import { dispatchedTicket, loginAll, type Clients } from './helpers/factories.js';
import { describeEachDb } from './helpers/test-env.js';

describeEachDb('第十七条 回访与重办', (env) => {
  let c: Clients;
  beforeAll(async () => {
    c = await loginAll(env());
  });

  async function replied(
    unit = 'gov-md',
    client: () => typeof c.handlerMd = () => c.handlerMd,
    over: Record<string, unknown> = {},
  ) {
    env().clock.set('2025-03-03T09:00:00+08:00');
    const id = await dispatchedTicket(env(), c, unit, over);
    expectStatus(await client().post(`/api/tickets/${id}/accept`, {}), 200);
    expectStatus(
      await client().post(`/api/tickets/${id}/contacts`, { method: 'phone', reached: true, note: '已联系' }),
      200,
    );
    expectStatus(await client().post(`/api/tickets/${id}/reply`, { result: '已处理完毕', solved: true }), 200);
    return id;
  }

  it('only callback agents record callbacks, only on replied tickets', async () => {
    const id = await replied();
    expect(
      (
        await c.dispatcher.post(`/api/tickets/${id}/callback`, {
          satisfaction: 'satisfied',
          resolved: true,
          outcome: 'close',
        })
      ).status,
    ).toBe(403);
    env().clock.set('2025-03-03T09:00:00+08:00');
    const open = await dispatchedTicket(env(), c, 'gov-md');
    const res = await c.callback.post(`/api/tickets/${open}/callback`, {
      satisfaction: 'satisfied',
      resolved: true,
      outcome: 'close',
    });
    expect(res.status).toBe(409);
    expect(res.body.error.details.status).toBe('dispatched');
  });

  it('basically satisfied closes the ticket and records satisfaction', async () => {
    const id = await replied();
    const t = expectStatus(
      await c.callback.post(`/api/tickets/${id}/callback`, {
        satisfaction: 'basically_satisfied',
        resolved: true,
        outcome: 'close',
      }),
      200,
    );
    expect(t.status).toBe('closed');
    expect(t.satisfaction).toBe('basically_satisfied');
    const v = expectStatus(await c.dispatcher.get(`/api/tickets/${id}`), 200);
    expect(v.callbacks).toHaveLength(1);
    expect(v.callbacks[0].outcome).toBe('closed');
  });

  it('unsatisfied but unreasonable: closed, not reworked', async () => {
    const id = await replied();
    expect(
      (
        await c.callback.post(`/api/tickets/${id}/callback`, {
          satisfaction: 'unsatisfied',
          resolved: false,
          outcome: 'close',
        })
      ).status,
    ).toBe(400);
    const rework = await c.callback.post(`/api/tickets/${id}/callback`, {
      satisfaction: 'unsatisfied',
      resolved: false,
      reasonable: false,
      outcome: 'rework',
    });
    expect(rework.status).toBe(422);
    const t = expectStatus(
      await c.callback.post(`/api/tickets/${id}/callback`, {
        satisfaction: 'unsatisfied',
        resolved: false,
        reasonable: false,
        outcome: 'close',
        note: '诉求超出政策范围',
      }),
      200,
    );
    expect(t.status).toBe('closed');
    expect(t.satisfaction).toBe('unsatisfied');
  });

  it('a satisfied requester cannot be sent to rework', async () => {
    const id = await replied();
    const res = await c.callback.post(`/api/tickets/${id}/callback`, {
      satisfaction: 'satisfied',
      resolved: true,
      reasonable: true,
      outcome: 'rework',
    });
    expect(res.status).toBe(422);
  });

  it('unsatisfied and reasonable: rework with a new 3-working-day deadline for the same unit', async () => {
    const id = await replied();
    env().clock.set('2025-03-07T10:00:00+08:00'); // Friday
    const t = expectStatus(
      await c.callback.post(`/api/tickets/${id}/callback`, {
        satisfaction: 'unsatisfied',
        resolved: false,
        reasonable: true,
        outcome: 'rework',
      }),
      200,
    );
    expect(t.status).toBe('in_progress');
    expect(t.reworkCount).toBe(1);
    // Friday + 3 working days → end of Wednesday 03-12
    expect(new Date(t.dueAt).toISOString()).toBe('2025-03-12T15:59:59.999Z');
    const queue = expectStatus(await c.handlerMd.get('/api/tickets?view=lead&status=in_progress'), 200);
    expect(queue.items.map((x: any) => x.id)).toContain(id);
    // the unit replies again without a new first contact being required
    expectStatus(await c.handlerMd.post(`/api/tickets/${id}/reply`, { result: '已再次处理', solved: true }), 200);
  });
});

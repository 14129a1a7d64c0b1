import { beforeAll, expect, it } from 'vitest';
import { expectStatus } from './helpers/api.js';
import { dispatchedTicket, loginAll, type Clients } from './helpers/factories.js';
import { describeEachDb } from './helpers/test-env.js';

// 第十七条 回访未果 (issue 14): failed callback calls are recorded with the next try; the callback ends without an
// evaluation only when the requester refused, or was not reached three times on two days — and then no satisfaction
// is recorded, so the ticket counts in no 满意率.
describeEachDb('第十七条 回访未果：重试与未能回访办结', (env) => {
  let c: Clients;
  beforeAll(async () => {
    c = await loginAll(env());
  });
  async function replied() {
    env().clock.set('2025-03-03T09:00:00+08:00');
    const id = await dispatchedTicket(env(), c, 'gov-md');
    expectStatus(await c.handlerMd.post(`/api/tickets/${id}/accept`, {}), 200);
    expectStatus(
      await c.handlerMd.post(`/api/tickets/${id}/contacts`, { method: 'phone', reached: true, note: '已联系' }),
      200,
    );
    expectStatus(await c.handlerMd.post(`/api/tickets/${id}/reply`, { result: '已处理完毕', solved: true }), 200);
    return id;
  }
  const at = (s: string) => env().clock.set(`${s}:00+08:00`);
  const attempt = (id: number, outcome: string, note?: string) =>
    c.callback.post(`/api/tickets/${id}/callback/attempts`, { outcome, ...(note ? { note } : {}) });

  it('three tries on two days, each with its next try, then the ticket closes with no satisfaction', async () => {
    const e = env();
    const id = await replied();
    at('2025-03-04T10:00');
    expect(expectStatus(await attempt(id, 'unreached', '无人接听'), 201)).toMatchObject({
      unreached: 1,
      closableAs: null,
      nextTryAt: new Date('2025-03-04T12:00:00+08:00').toISOString(),
    });
    at('2025-03-04T12:10');
    expect(expectStatus(await attempt(id, 'unreached'), 201).nextTryAt).toBe(
      new Date('2025-03-05T09:00:00+08:00').toISOString(), // the third try must be on another day
    );
    const early = await c.callback.post(`/api/tickets/${id}/callback/close-unreached`, {});
    expect(early.status).toBe(422);
    expect(early.body.error.message).toContain('目前 2 次、1 天');
    at('2025-03-05T09:30');
    expect(expectStatus(await attempt(id, 'unreached', '关机'), 201)).toMatchObject({
      unreached: 3,
      closableAs: 'unreached',
      nextTryAt: null,
    });
    const plan = expectStatus<{ attempts: Array<{ outcome: string; agentName: string }>; closableAs: string }>(
      await c.callback.get(`/api/tickets/${id}/callback/attempts`),
      200,
    );
    expect(plan.attempts.map((a) => a.outcome)).toEqual(['unreached', 'unreached', 'unreached']);
    expect(plan.attempts[0]!.agentName).not.toBe('callback');
    // the lead unit reads it too (it is on its ticket); another unit does not
    expect((await c.handlerMd.get(`/api/tickets/${id}/callback/attempts`)).status).toBe(200);
    expect((await c.handlerCx.get(`/api/tickets/${id}/callback/attempts`)).status).toBe(404);

    const closed = expectStatus<{ status: string; satisfaction: string | null }>(
      await c.callback.post(`/api/tickets/${id}/callback/close-unreached`, { note: '多次联系未果' }),
      200,
    );
    expect(closed).toMatchObject({ status: 'closed', satisfaction: null });
    expect(await e.db.selectFrom('callbacks').select('id').where('ticket_id', '=', id).execute()).toEqual([]);
    const events = await e.db
      .selectFrom('ticket_events')
      .select(['kind', 'data'])
      .where('ticket_id', '=', id)
      .where('kind', 'in', ['callback_attempt', 'closed'])
      .orderBy('id')
      .execute();
    expect(events.map((x) => x.kind)).toEqual(['callback_attempt', 'callback_attempt', 'callback_attempt', 'closed']);
    expect(events.at(-1)!.data).toMatchObject({ callback: 'unreached', attempts: 3 });
    // closed: no more attempts
    expect((await attempt(id, 'unreached')).status).toBe(409);
  });

  it('a refusal ends the callback at once; only callback agents record, and odd input is a 400', async () => {
    const id = await replied();
    expect((await c.dispatcher.post(`/api/tickets/${id}/callback/attempts`, { outcome: 'refused' })).status).toBe(403);
    expect((await c.handlerMd.post(`/api/tickets/${id}/callback/close-unreached`, {})).status).toBe(403);
    for (const body of [{}, { outcome: 'busy' }, { outcome: 'refused', note: 'x'.repeat(501) }, { outcome: 1 }])
      expect((await c.callback.post(`/api/tickets/${id}/callback/attempts`, body)).status).toBe(400);
    expect((await c.callback.post('/api/tickets/99999999999/callback/attempts', { outcome: 'refused' })).status).toBe(
      400,
    );
    expect((await c.callback.post('/api/tickets/999999/callback/attempts', { outcome: 'refused' })).status).toBe(404);
    expect(expectStatus(await attempt(id, 'refused', '诉求人表示不需要回访'), 201).closableAs).toBe('refused');
    expect(
      expectStatus<{ status: string }>(await c.callback.post(`/api/tickets/${id}/callback/close-unreached`, {}), 200)
        .status,
    ).toBe('closed');
  });
});

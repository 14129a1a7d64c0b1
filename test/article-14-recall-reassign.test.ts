import { beforeAll, expect, it } from 'vitest';
import { expectStatus } from './helpers/api.js';
import { createTicket, dispatchedTicket, eventKinds, loginAll, type Clients } from './helpers/factories.js';
import { describeEachDb } from './helpers/test-env.js';

const open = (d: any) => d.state === 'ok' || d.state === 'warning';

describeEachDb('第十四条 撤回与改派（承办单位签收前）', (env) => {
  let c: Clients;
  beforeAll(async () => {
    c = await loginAll(env());
  });

  it('第十四条 a dispatch not yet accepted is recalled to 待派单: the unit loses it, its deadlines lapse', async () => {
    const e = env();
    e.clock.set('2025-03-03T09:00:00+08:00');
    const id = await dispatchedTicket(e, c, 'gov-md', {}, ['cgj']);
    e.clock.set('2025-03-03T10:00:00+08:00');
    const t = expectStatus(await c.dispatcher.post(`/api/tickets/${id}/recall`, { reason: '派错单位' }), 200);
    expect(t.status).toBe('pending_dispatch');
    expect(t.leadUnitId).toBeNull();
    const v = expectStatus(await c.dispatcher.get(`/api/tickets/${id}`), 200);
    expect(v.deadlines.filter(open)).toEqual([]);
    expect(v.assignments.every((a: any) => a.status === 'ended')).toBe(true);
    const ev = v.events.find((x: any) => x.kind === 'dispatch_recalled');
    expect(ev.reason).toBe('派错单位');
    expect([ev.fromStatus, ev.toStatus]).toEqual(['dispatched', 'pending_dispatch']);
    expect((await c.handlerMd.get(`/api/tickets/${id}`)).status).toBe(404);
    expect((await c.handlerCg.get(`/api/tickets/${id}`)).status).toBe(404);
    // and it can be dispatched again
    expectStatus(await c.dispatcher.post(`/api/tickets/${id}/dispatch`, { leadUnitId: e.ids.units['power'] }), 200);
  });

  it('第十四条 a dispatch not yet accepted is reassigned: new unit, new deadlines, the old unit loses it', async () => {
    const e = env();
    e.clock.set('2025-03-03T09:00:00+08:00');
    const id = await dispatchedTicket(e, c, 'gov-md');
    e.clock.set('2025-03-04T09:00:00+08:00');
    const t = expectStatus(
      await c.dispatcher.post(`/api/tickets/${id}/reassign`, { leadUnitId: e.ids.units['cgj'], reason: '属城管职责' }),
      200,
    );
    expect(t.status).toBe('dispatched');
    expect(t.leadUnitId).toBe(e.ids.units['cgj']);
    const v = expectStatus(await c.handlerCg.get(`/api/tickets/${id}`), 200);
    const live = v.deadlines.filter(open);
    expect(live.map((d: any) => d.kind).sort()).toEqual(['accept', 'reply']);
    expect(live.every((d: any) => d.unitId === e.ids.units['cgj'])).toBe(true);
    // the new deadlines start at the reassignment, not at the first dispatch
    expect(live.every((d: any) => new Date(d.startsAt).toISOString() === '2025-03-04T01:00:00.000Z')).toBe(true);
    expect((await c.handlerMd.get(`/api/tickets/${id}`)).status).toBe(404);
    expect(await eventKinds(c.dispatcher, id)).toContain('reassigned');
    // the new unit accepts as after any dispatch
    expectStatus(await c.handlerCg.post(`/api/tickets/${id}/accept`, {}), 200);
  });

  it('第十四条 once the unit accepted, recall and reassign are refused (409, Chinese) and change nothing', async () => {
    const e = env();
    e.clock.set('2025-03-03T09:00:00+08:00');
    const id = await dispatchedTicket(e, c, 'gov-md');
    expectStatus(await c.handlerMd.post(`/api/tickets/${id}/accept`, {}), 200);
    const before = expectStatus(await c.dispatcher.get(`/api/tickets/${id}`), 200);
    const recall = await c.dispatcher.post(`/api/tickets/${id}/recall`, { reason: '派错单位' });
    expect(recall.status).toBe(409);
    expect(recall.body.error.message).toContain('已签收');
    const reassign = await c.dispatcher.post(`/api/tickets/${id}/reassign`, {
      leadUnitId: e.ids.units['cgj'],
      reason: '属城管职责',
    });
    expect(reassign.status).toBe(409);
    expect(reassign.body.error.message).toContain('退单');
    const after = expectStatus(await c.dispatcher.get(`/api/tickets/${id}`), 200);
    expect(after.version).toBe(before.version);
    expect(after.status).toBe('in_progress');
    expect(await eventKinds(c.dispatcher, id)).not.toContain('dispatch_recalled');
  });

  it('第十四条 only dispatchers; a pending return application must be reviewed first; same unit refused', async () => {
    const e = env();
    e.clock.set('2025-03-03T09:00:00+08:00');
    const id = await dispatchedTicket(e, c, 'gov-md');
    expect((await c.handlerMd.post(`/api/tickets/${id}/recall`, { reason: '不想办' })).status).toBe(403);
    expect((await c.agent.post(`/api/tickets/${id}/recall`, { reason: 'x' })).status).toBe(403);
    expect((await c.dispatcher.post(`/api/tickets/${id}/recall`, { reason: '' })).status).toBe(400);
    const same = await c.dispatcher.post(`/api/tickets/${id}/reassign`, {
      leadUnitId: e.ids.units['gov-md'],
      reason: '重派',
    });
    expect(same.status).toBe(400);
    expectStatus(
      await c.handlerMd.post(`/api/tickets/${id}/return-applications`, {
        reason: '不属本单位职责',
        materials: [{ name: '说明.pdf' }],
      }),
      201,
    );
    const r = await c.dispatcher.post(`/api/tickets/${id}/recall`, { reason: '派错单位' });
    expect(r.status).toBe(409);
    expect(r.body.error.message).toContain('待审核的申请');
  });

  it('批量派单: each ticket by the catalogue in its own transaction; a failure does not stop the others', async () => {
    const e = env();
    e.clock.set('2025-03-03T09:00:00+08:00');
    const a = await createTicket(e, c.agent);
    const b = await createTicket(e, c.agent);
    const done = await dispatchedTicket(e, c, 'gov-md');
    const res = expectStatus(
      await c.dispatcher.post('/api/tickets/dispatch-batch', { ticketIds: [a.id, done, b.id] }),
      200,
    );
    expect(res.results.map((r: any) => [r.ticketId, r.ok])).toEqual([
      [a.id, true],
      [done, false],
      [b.id, true],
    ]);
    expect(res.results[1].message).toContain('待签收');
    // CX-SZ in 东城街道 → 东城街道办事处 by the catalogue
    expect(res.results[0].leadUnitId).toBe(e.ids.units['jd-dc']);
    const v = expectStatus(await c.dispatcher.get(`/api/tickets/${b.id}`), 200);
    expect(v.status).toBe('dispatched');
    expect((await c.handlerMd.post('/api/tickets/dispatch-batch', { ticketIds: [a.id] })).status).toBe(403);
    expect((await c.dispatcher.post('/api/tickets/dispatch-batch', { ticketIds: [] })).status).toBe(400);
    expect(
      (
        await c.dispatcher.post('/api/tickets/dispatch-batch', {
          ticketIds: Array.from({ length: 51 }, (_, i) => i + 1),
        })
      ).status,
    ).toBe(400);
  });
});

import { beforeAll, expect, it } from 'vitest';
import { expectStatus } from './helpers/api.js';
import { createTicket, dispatchedTicket, loginAll, type Clients } from './helpers/factories.js';
import { describeEachDb } from './helpers/test-env.js';

describeEachDb('concurrent changes and illegal actions', (env) => {
  let c: Clients;
  beforeAll(async () => {
    c = await loginAll(env());
  });

  it('an illegal action answers 409 with the current state and what is allowed', async () => {
    const t = await createTicket(env(), c.agent);
    const res = await c.callback.post(`/api/tickets/${t.id}/callback`, {
      satisfaction: 'satisfied',
      resolved: true,
      outcome: 'close',
    });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({
      code: 'illegal_transition',
      details: { status: 'pending_dispatch', allowedActions: ['dispatch', 'merge_into'] },
    });
    expect(res.body.error.message).toContain('待派单');
  });

  it('a stale version is refused with 409 and nothing changes', async () => {
    env().clock.set('2025-03-03T09:00:00+08:00');
    const id = await dispatchedTicket(env(), c, 'gov-md');
    const v = expectStatus(await c.handlerMd.get(`/api/tickets/${id}`), 200);
    expectStatus(await c.handlerMd.post(`/api/tickets/${id}/accept`, { expectedVersion: v.version }), 200);
    const stale = await c.handlerMd.post(`/api/tickets/${id}/progress-reports`, {
      content: '进展',
      expectedVersion: v.version,
    });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('version_conflict');
    expect(stale.body.error.details.currentVersion).toBe(v.version + 1);
    const after = expectStatus(await c.handlerMd.get(`/api/tickets/${id}`), 200);
    expect(after.events.map((x: any) => x.kind)).not.toContain('progress_reported');
  });

  it('two people accepting the same ticket at once: one wins, the other gets 409', async () => {
    env().clock.set('2025-03-03T09:00:00+08:00');
    const id = await dispatchedTicket(env(), c, 'gov-md');
    const results = await Promise.all([
      c.handlerMd.post(`/api/tickets/${id}/accept`, {}),
      c.managerMd.post(`/api/tickets/${id}/accept`, {}),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const v = expectStatus(await c.handlerMd.get(`/api/tickets/${id}`), 200);
    expect(v.events.filter((x: any) => x.kind === 'accepted')).toHaveLength(1);
    expect(v.deadlines.filter((d: any) => d.kind === 'first_contact')).toHaveLength(1);
  });

  it('ticket numbers stay unique under concurrent creation', async () => {
    const made = await Promise.all(Array.from({ length: 12 }, () => createTicket(env(), c.agent)));
    expect(new Set(made.map((t) => t.number)).size).toBe(12);
  });

  it('a failed step leaves no half-written rows', async () => {
    env().clock.set('2025-03-03T09:00:00+08:00');
    const t = await createTicket(env(), c.agent);
    const before = await env().db.selectFrom('ticket_assignments').select('id').where('ticket_id', '=', t.id).execute();
    // an assisting unit that does not exist fails after the lead assignment was written — all rolled back
    const res = await c.dispatcher.post(`/api/tickets/${t.id}/dispatch`, {
      leadUnitId: env().ids.units['gov-md'],
      assistUnitIds: [999999],
    });
    expect(res.status).toBe(400);
    const after = await env().db.selectFrom('ticket_assignments').select('id').where('ticket_id', '=', t.id).execute();
    expect(after).toEqual(before);
    const v = expectStatus(await c.dispatcher.get(`/api/tickets/${t.id}`), 200);
    expect(v.status).toBe('pending_dispatch');
    expect(v.deadlines).toEqual([]);
  });
});

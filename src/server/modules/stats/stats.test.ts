import { beforeAll, expect, it } from 'vitest';
import { sweepDeadlines } from '../../jobs/deadline-sweeper.js';
import { expectStatus } from '../../../../test/helpers/api.js';
import { createTicket, loginAll, type Clients } from '../../../../test/helpers/factories.js';
import { describeEachDb } from '../../../../test/helpers/test-env.js';

// The overview counts today's intake, open tickets and deadlines at risk in the actor's regions only, and the
// queue deadline states follow the same rules as the ticket view.
describeEachDb('stats: overview and queue deadline states', (env) => {
  let c: Clients;
  beforeAll(async () => {
    c = await loginAll(env());
  });

  it('counts today, open work and deadlines at risk for centre roles, scoped by region', async () => {
    const e = env();
    e.clock.set('2025-03-04T09:00:00+08:00');
    const old = await createTicket(e, c.agent); // yesterday's intake: not in today's figures
    expectStatus(await c.dispatcher.post(`/api/tickets/${old.id}/dispatch`, {}), 200);
    e.clock.set('2025-03-05T09:00:00+08:00');
    await createTicket(e, c.agent, { channel: 'wechat' });
    await createTicket(e, c.agent, { channel: 'phone', categoryId: e.ids.categories['HB-ZS'] });
    await createTicket(e, c.agentCx, { regionCode: '371721001' }); // 曹县: the county centre's own intake
    e.clock.set('2025-03-05T15:00:00+08:00');
    await sweepDeadlines(e.db, e.clock);

    const o = expectStatus(await c.supervisor.get('/api/stats/overview'), 200);
    expect(o.date).toBe('2025-03-05');
    expect(o.todayTotal).toBe(3);
    expect(o.byChannel).toEqual(
      expect.arrayContaining([
        { channel: 'phone', label: '电话', count: 2 },
        { channel: 'wechat', label: '微信', count: 1 },
      ]),
    );
    expect(o.byCategory).toEqual(
      expect.arrayContaining([
        { name: '城乡建设', count: 2 },
        { name: '环境保护', count: 1 },
      ]),
    );
    const byStatus = Object.fromEntries(
      o.openByStatus.map((s: { status: string; count: number }) => [s.status, s.count]),
    );
    expect(byStatus.pending_dispatch).toBeGreaterThanOrEqual(3);
    expect(byStatus.dispatched).toBeGreaterThanOrEqual(1);
    // The county centre sees only its county.
    const cx = expectStatus(await c.agentCx.get('/api/stats/overview'), 200);
    expect(cx.todayTotal).toBe(1);
    // Dispatched yesterday with one working day to accept: due tonight, so in its warning period now …
    const risk = (x: typeof o) => x.atRisk.find((r: { ticketId: number }) => r.ticketId === old.id);
    expect(o.deadlines.warning).toBeGreaterThanOrEqual(1);
    expect(risk(o)).toMatchObject({ state: 'warning', stateLabel: '临期预警', kindLabel: '签收时限' });
    // … and overdue tomorrow, when today's intake starts again from zero.
    e.clock.set('2025-03-06T10:00:00+08:00');
    const next = expectStatus(await c.supervisor.get('/api/stats/overview'), 200);
    expect(next.todayTotal).toBe(0);
    expect(next.deadlines.breached).toBeGreaterThanOrEqual(1);
    expect(risk(next)).toMatchObject({ state: 'breached', stateLabel: '已超期' });

    // Units have no overview.
    expect((await c.handlerMd.get('/api/stats/overview')).status).toBe(403);
  });

  it('gives each queued ticket its most urgent deadline state, only for tickets the actor may see', async () => {
    const e = env();
    e.clock.set('2025-03-10T09:00:00+08:00');
    const t = await createTicket(e, c.agent);
    expectStatus(await c.dispatcher.post(`/api/tickets/${t.id}/dispatch`, {}), 200); // → 东城街道 (jd-dc)
    const ok = expectStatus(await c.handlerDc.get(`/api/stats/queue-deadlines?ticketIds=${t.id}`), 200);
    expect(ok.items).toEqual([
      expect.objectContaining({ ticketId: t.id, kind: 'accept', state: 'ok', stateLabel: '正常' }),
    ]);
    e.clock.set('2025-03-11T10:00:00+08:00');
    const warn = expectStatus(await c.handlerDc.get(`/api/stats/queue-deadlines?ticketIds=${t.id}`), 200);
    expect(warn.items[0]).toMatchObject({ state: 'warning', stateLabel: '临期预警' });
    // Another unit learns nothing about the ticket.
    expect(expectStatus(await c.handlerCx.get(`/api/stats/queue-deadlines?ticketIds=${t.id}`), 200).items).toEqual([]);
    expect((await c.handlerDc.get('/api/stats/queue-deadlines?ticketIds=abc')).status).toBe(400);
  });
});

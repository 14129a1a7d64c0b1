import { beforeAll, expect, it } from 'vitest';
import { sweepDeadlines } from '../src/server/jobs/deadline-sweeper.js';
import { expectStatus } from './helpers/api.js';
import { createTicket, loginAll, type Clients } from './helpers/factories.js';
import { describeEachDb } from './helpers/test-env.js';

// One ticket through every step of DESIGN §4: a refused return, an accepted return with redispatch, an
// assisting unit, an extension, a reply, an unsatisfied callback with rework, a breach found by the
// scheduler, a second reply and a satisfied close — each checked in the event history.
describeEachDb('第八条 ticket lifecycle end to end', (env) => {
  let c: Clients;
  beforeAll(async () => {
    c = await loginAll(env());
  });

  it('walks one ticket from intake to a satisfied close', async () => {
    const e = env();
    e.clock.set('2025-03-03T09:00:00+08:00'); // Monday
    const created = await createTicket(e, c.agent);
    expect(created.number).toMatch(/^HZ20250303-\d{6}$/);
    expect(created.status).toBe('pending_dispatch');
    const id = created.id;

    // 第十二条: the dispatcher sees the catalogue's proposal and the rule behind it, then dispatches by it.
    const pending = expectStatus(await c.dispatcher.get(`/api/tickets/${id}`), 200);
    expect(pending.dispatchSuggestion.leadUnitId).toBe(e.ids.units['jd-dc']);
    expect(pending.dispatchSuggestion.explanation).toContain('属地管理');
    e.clock.set('2025-03-03T09:10:00+08:00');
    const dispatched = expectStatus(await c.dispatcher.post(`/api/tickets/${id}/dispatch`, {}), 200);
    expect(dispatched.status).toBe('dispatched');
    expect(dispatched.leadUnitId).toBe(e.ids.units['jd-dc']);

    // The street office accepts, then asks to return it; the centre refuses the first application.
    e.clock.set('2025-03-03T10:00:00+08:00');
    expectStatus(await c.handlerDc.post(`/api/tickets/${id}/accept`, {}), 200);
    const app1 = expectStatus(
      await c.handlerDc.post(`/api/tickets/${id}/return-applications`, {
        reason: '路灯属城区主干道照明，不属街道职责',
        materials: [{ name: '职责清单.pdf' }],
      }),
      201,
    );
    expectStatus(
      await c.dispatcher.post(`/api/applications/${app1.id}/review`, {
        decision: 'reject',
        note: '材料不足以证明非本单位职责',
      }),
      200,
    );

    // A second application with better materials is approved and the ticket goes to the district government.
    e.clock.set('2025-03-03T14:00:00+08:00');
    const app2 = expectStatus(
      await c.handlerDc.post(`/api/tickets/${id}/return-applications`, {
        reason: '该路段照明设施由区政府统一管护',
        materials: [{ name: '区政府照明设施管护文件.pdf' }],
      }),
      201,
    );
    const redispatched = expectStatus(
      await c.dispatcher.post(`/api/applications/${app2.id}/review`, {
        decision: 'approve',
        newLeadUnitId: e.ids.units['gov-md'],
        assistUnitIds: [e.ids.units['cgj']],
      }),
      200,
    );
    expect(redispatched.status).toBe('dispatched');
    expect(redispatched.leadUnitId).toBe(e.ids.units['gov-md']);
    // 第十四条: the street office no longer sees it.
    expect((await c.handlerDc.get(`/api/tickets/${id}`)).status).toBe(404);

    e.clock.set('2025-03-03T15:00:00+08:00');
    expectStatus(await c.handlerMd.post(`/api/tickets/${id}/accept`, {}), 200);
    e.clock.set('2025-03-04T09:30:00+08:00');
    expectStatus(
      await c.handlerMd.post(`/api/tickets/${id}/contacts`, {
        method: 'phone',
        reached: true,
        note: '已电话联系诉求人，约定现场查看',
      }),
      200,
    );

    // 第十六条: the assisting unit (city management) reports its part to the lead unit.
    e.clock.set('2025-03-05T11:00:00+08:00');
    expectStatus(
      await c.handlerCg.post(`/api/tickets/${id}/assist-results`, {
        result: '已安排路灯所排查线路，需更换电缆约200米',
      }),
      200,
    );

    // 第十六条: cannot finish in time → extension with reason and progress, approved by the centre.
    const before = expectStatus(await c.handlerMd.get(`/api/tickets/${id}`), 200);
    const replyDueBefore = before.deadlines.find((d: any) => d.kind === 'reply' && d.state !== 'cancelled').dueAt;
    const ext = expectStatus(
      await c.handlerMd.post(`/api/tickets/${id}/extension-applications`, {
        days: 3,
        reason: '电缆需采购',
        progress: '已完成排查，等待材料到货',
        materials: [],
      }),
      201,
    );
    expectStatus(await c.dispatcher.post(`/api/applications/${ext.id}/review`, { decision: 'approve' }), 200);
    const afterExt = expectStatus(await c.handlerMd.get(`/api/tickets/${id}`), 200);
    const newReply = afterExt.deadlines.find((d: any) => d.kind === 'reply' && d.state !== 'cancelled');
    expect(new Date(newReply.dueAt).getTime()).toBeGreaterThan(new Date(replyDueBefore).getTime());
    expect(afterExt.extensionDays).toBe(3);
    expectStatus(
      await c.handlerMd.post(`/api/tickets/${id}/progress-reports`, { content: '电缆已到货，计划周五施工' }),
      200,
    );

    e.clock.set('2025-03-12T16:00:00+08:00');
    const replied = expectStatus(
      await c.handlerMd.post(`/api/tickets/${id}/reply`, { result: '已更换电缆，路灯恢复照明', solved: true }),
      200,
    );
    expect(replied.status).toBe('replied');

    // 第十七条: the requester is not satisfied and the request is reasonable → rework with a new deadline.
    e.clock.set('2025-03-13T10:00:00+08:00');
    const rework = expectStatus(
      await c.callback.post(`/api/tickets/${id}/callback`, {
        satisfaction: 'unsatisfied',
        resolved: false,
        reasonable: true,
        outcome: 'rework',
        note: '诉求人反映仍有两盏灯不亮',
      }),
      200,
    );
    expect(rework.status).toBe('in_progress');
    expect(rework.reworkCount).toBe(1);

    // The rework deadline passes; the scheduler finds the breach.
    e.clock.set('2025-03-20T09:00:00+08:00');
    const swept = await sweepDeadlines(e.db, e.clock);
    expect(swept.breached).toBeGreaterThanOrEqual(1);
    const breachedView = expectStatus(await c.handlerMd.get(`/api/tickets/${id}`), 200);
    const reworkDeadline = breachedView.deadlines.find((d: any) => d.kind === 'rework');
    expect(reworkDeadline.state).toBe('breached');

    expectStatus(
      await c.handlerMd.post(`/api/tickets/${id}/reply`, { result: '剩余两盏路灯已更换灯具，全部恢复', solved: true }),
      200,
    );
    e.clock.set('2025-03-21T10:00:00+08:00');
    const closed = expectStatus(
      await c.callback.post(`/api/tickets/${id}/callback`, {
        satisfaction: 'satisfied',
        resolved: true,
        outcome: 'close',
      }),
      200,
    );
    expect(closed.status).toBe('closed');
    expect(closed.satisfaction).toBe('satisfied');

    const final = expectStatus(await c.dispatcher.get(`/api/tickets/${id}`), 200);
    const kinds = final.events.map((ev: any) => ev.kind).filter((k: string) => k !== 'deadline_warned');
    expect(kinds).toEqual([
      'created',
      'dispatched',
      'accepted',
      'return_applied',
      'return_rejected',
      'return_applied',
      'return_approved',
      'accepted',
      'requester_contacted',
      'assist_submitted',
      'extension_applied',
      'extension_approved',
      'progress_reported',
      'replied',
      'rework',
      'deadline_breached',
      'replied',
      'closed',
    ]);
    expect(final.events.find((ev: any) => ev.kind === 'deadline_breached').data.deadlineKind).toBe('rework');
    const rw = final.deadlines.find((d: any) => d.kind === 'rework');
    expect(rw.state).toBe('met_late');
    expect(final.deadlines.find((d: any) => d.kind === 'callback' && d.state === 'met')).toBeTruthy();
    // Nothing is closed with open deadlines left behind.
    expect(final.deadlines.filter((d: any) => ['ok', 'warning', 'breached'].includes(d.state))).toEqual([]);
  });
});

import { beforeAll, expect, it } from 'vitest';
import { expectStatus } from './helpers/api.js';
import { dispatchedTicket, eventKinds, loginAll, type Clients } from './helpers/factories.js';
import { describeEachDb } from './helpers/test-env.js';

describeEachDb('第十六条 协办、延期与职责争议会商', (env) => {
  let c: Clients;
  beforeAll(async () => {
    c = await loginAll(env());
  });

  it('assisting units get their own deadline and submit their result to the lead unit', async () => {
    const e = env();
    e.clock.set('2025-03-03T09:00:00+08:00');
    const id = await dispatchedTicket(e, c, 'gov-md', {}, ['cgj', 'zjj']);
    let v = expectStatus(await c.handlerCg.get(`/api/tickets/${id}`), 200); // an assisting unit may see the ticket
    const assistDeadlines = v.deadlines.filter((d: any) => d.kind === 'assist');
    expect(assistDeadlines.map((d: any) => d.unitId).sort()).toEqual([e.ids.units['cgj'], e.ids.units['zjj']].sort());
    // Monday + 3 working days → end of Thursday
    expect(new Date(assistDeadlines[0].dueAt).toISOString()).toBe('2025-03-06T15:59:59.999Z');
    const queue = expectStatus(await c.handlerCg.get('/api/tickets?view=assist'), 200);
    expect(queue.items.map((t: any) => t.id)).toContain(id);

    expectStatus(await c.handlerCg.post(`/api/tickets/${id}/assist-results`, { result: '已清理占道杂物' }), 200);
    const twice = await c.handlerCg.post(`/api/tickets/${id}/assist-results`, { result: '再次提交' });
    expect(twice.status).toBe(403);
    // The assisting unit may not act as the lead.
    expect((await c.handlerCg.post(`/api/tickets/${id}/accept`, {})).status).toBe(403);
    v = expectStatus(await c.handlerMd.get(`/api/tickets/${id}`), 200);
    const cg = v.assignments.find((a: any) => a.unitId === e.ids.units['cgj']);
    expect(cg.status).toBe('submitted');
    expect(cg.result).toBe('已清理占道杂物');
    expect(v.deadlines.find((d: any) => d.kind === 'assist' && d.unitId === e.ids.units['cgj']).state).toBe('met');
    expect(v.deadlines.find((d: any) => d.kind === 'assist' && d.unitId === e.ids.units['zjj']).state).toBe('ok');
  });

  it('an extension needs a reason and progress, is capped at 10 working days in total, and moves the reply deadline', async () => {
    const e = env();
    e.clock.set('2025-03-03T09:00:00+08:00');
    const id = await dispatchedTicket(e, c, 'gov-md');
    expectStatus(await c.handlerMd.post(`/api/tickets/${id}/accept`, {}), 200);
    const noProgress = await c.handlerMd.post(`/api/tickets/${id}/extension-applications`, {
      days: 5,
      reason: '需协调',
    });
    expect(noProgress.status).toBe(400);
    const a1 = expectStatus(
      await c.handlerMd.post(`/api/tickets/${id}/extension-applications`, {
        days: 8,
        reason: '需多部门协调',
        progress: '已召开现场协调会',
      }),
      201,
    );
    expectStatus(await c.dispatcher.post(`/api/applications/${a1.id}/review`, { decision: 'approve' }), 200);
    const v = expectStatus(await c.handlerMd.get(`/api/tickets/${id}`), 200);
    const replies = v.deadlines.filter((d: any) => d.kind === 'reply');
    expect(replies.map((d: any) => d.state)).toEqual(['cancelled', 'ok']);
    // original: Monday 03-03 + 5 working days = Monday 03-10; +8 working days = Thursday 03-20
    expect(new Date(replies[0].dueAt).toISOString()).toBe('2025-03-10T15:59:59.999Z');
    expect(new Date(replies[1].dueAt).toISOString()).toBe('2025-03-20T15:59:59.999Z');
    expect(v.dueAt).toBe(replies[1].dueAt);
    const over = await c.handlerMd.post(`/api/tickets/${id}/extension-applications`, {
      days: 3,
      reason: '再延期',
      progress: '施工中',
    });
    expect(over.status).toBe(422);
    expect(over.body.error.message).toContain('10');
    const a2 = expectStatus(
      await c.handlerMd.post(`/api/tickets/${id}/extension-applications`, {
        days: 2,
        reason: '再延期',
        progress: '施工中',
      }),
      201,
    );
    expectStatus(
      await c.dispatcher.post(`/api/applications/${a2.id}/review`, { decision: 'reject', note: '请按期办结' }),
      200,
    );
    expect(await eventKinds(c.handlerMd, id)).toEqual([
      'created',
      'dispatched',
      'accepted',
      'extension_applied',
      'extension_approved',
      'extension_applied',
      'extension_rejected',
    ]);
  });

  it('a progress report is recorded for the centre', async () => {
    env().clock.set('2025-03-03T09:00:00+08:00');
    const id = await dispatchedTicket(env(), c, 'gov-md');
    expect((await c.handlerMd.post(`/api/tickets/${id}/progress-reports`, { content: '已派人现场查看' })).status).toBe(
      409,
    ); // not accepted yet
    expectStatus(await c.handlerMd.post(`/api/tickets/${id}/accept`, {}), 200);
    expectStatus(await c.handlerMd.post(`/api/tickets/${id}/progress-reports`, { content: '已派人现场查看' }), 200);
    const v = expectStatus(await c.dispatcher.get(`/api/tickets/${id}`), 200);
    expect(v.events.at(-1).data.content).toBe('已派人现场查看');
  });

  it('a duty dispute is decided by a consultation record that sends the ticket to the decided unit', async () => {
    const e = env();
    e.clock.set('2025-03-03T09:00:00+08:00');
    const id = await dispatchedTicket(e, c, 'zjj');
    const app = expectStatus(
      await c.handlerZj.post(`/api/tickets/${id}/dispute-applications`, {
        reason: '占道经营属城管职责',
        proposedUnitIds: [e.ids.units['cgj']],
      }),
      201,
    );
    // the centre's review queue shows the application with the units the applicant proposed
    const queue = expectStatus(await c.dispatcher.get('/api/applications?kind=dispute'), 200);
    expect(queue.items.find((x: any) => x.id === app.id)).toMatchObject({
      kind: 'dispute',
      ticketId: id,
      unitId: e.ids.units['zjj'],
      unitName: '菏泽市住房和城乡建设局',
      reason: '占道经营属城管职责',
      proposedUnitIds: [e.ids.units['cgj']],
    });
    expect((await c.dispatcher.post(`/api/applications/${app.id}/review`, { decision: 'approve' })).status).toBe(400);
    const tooFew = await c.dispatcher.post(`/api/applications/${app.id}/consultation`, {
      participantUnitIds: [e.ids.units['zjj']],
      record: 'x',
      decidedUnitId: e.ids.units['cgj'],
    });
    expect(tooFew.status).toBe(400);
    const t = expectStatus(
      await c.dispatcher.post(`/api/applications/${app.id}/consultation`, {
        participantUnitIds: [e.ids.units['zjj'], e.ids.units['cgj'], e.ids.units['gov-md']],
        record: '经会商，占道经营由市城市管理局主办，牡丹区人民政府协办',
        decidedUnitId: e.ids.units['cgj'],
        assistUnitIds: [e.ids.units['gov-md']],
      }),
      200,
    );
    expect(t.status).toBe('dispatched');
    expect(t.leadUnitId).toBe(e.ids.units['cgj']);
    expect((await c.handlerZj.get(`/api/tickets/${id}`)).status).toBe(404);
    const v = expectStatus(await c.handlerCg.get(`/api/tickets/${id}`), 200);
    expect(v.consultations[0].record).toContain('会商');
    expect(v.events.map((x: any) => x.kind)).toEqual(['created', 'dispatched', 'dispute_applied', 'consultation_held']);
    expectStatus(await c.handlerCg.post(`/api/tickets/${id}/accept`, {}), 200);
  });
});

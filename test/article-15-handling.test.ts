import { beforeAll, expect, it } from 'vitest';
import { expectStatus } from './helpers/api.js';
import { dispatchedTicket, eventKinds, loginAll, type Clients } from './helpers/factories.js';
import { describeEachDb } from './helpers/test-env.js';

describeEachDb('第十五条 承办单位办理', (env) => {
  let c: Clients;
  beforeAll(async () => {
    c = await loginAll(env());
  });

  async function accepted() {
    env().clock.set('2025-03-03T09:00:00+08:00');
    const id = await dispatchedTicket(env(), c, 'gov-md');
    expectStatus(await c.handlerMd.post(`/api/tickets/${id}/accept`, {}), 200);
    return id;
  }

  it('(一) the requester must be contacted before a reply; the contact deadline is settled by a reached contact', async () => {
    const id = await accepted();
    const early = await c.handlerMd.post(`/api/tickets/${id}/reply`, { result: '已处理', solved: true });
    expect(early.status).toBe(422);
    expect(early.body.error.message).toContain('联系诉求人');
    expectStatus(
      await c.handlerMd.post(`/api/tickets/${id}/contacts`, { method: 'phone', reached: false, note: '无人接听' }),
      200,
    );
    let v = expectStatus(await c.handlerMd.get(`/api/tickets/${id}`), 200);
    expect(v.deadlines.find((d: any) => d.kind === 'first_contact').state).toBe('ok');
    expectStatus(
      await c.handlerMd.post(`/api/tickets/${id}/contacts`, { method: 'phone', reached: true, note: '已联系' }),
      200,
    );
    v = expectStatus(await c.handlerMd.get(`/api/tickets/${id}`), 200);
    expect(v.deadlines.find((d: any) => d.kind === 'first_contact').state).toBe('met');
    expect(v.firstContactAt).not.toBeNull();
  });

  it('(三) an unsolved matter needs an explanation to the requester', async () => {
    const id = await accepted();
    expectStatus(
      await c.handlerMd.post(`/api/tickets/${id}/contacts`, { method: 'visit', reached: true, note: '现场查看' }),
      200,
    );
    const res = await c.handlerMd.post(`/api/tickets/${id}/reply`, { result: '暂无法解决', solved: false });
    expect(res.status).toBe(400);
    const ok = expectStatus(
      await c.handlerMd.post(`/api/tickets/${id}/reply`, {
        result: '暂无法解决',
        solved: false,
        explanation: '该路段改造已列入明年计划，届时一并解决',
      }),
      200,
    );
    expect(ok.status).toBe('replied');
    expect(ok.reply.explanation).toContain('明年');
  });

  it('(四) the reply settles the reply deadline and starts the callback deadline at the centre', async () => {
    const id = await accepted();
    expectStatus(
      await c.handlerMd.post(`/api/tickets/${id}/contacts`, { method: 'phone', reached: true, note: '已联系' }),
      200,
    );
    expectStatus(await c.handlerMd.post(`/api/tickets/${id}/reply`, { result: '已修复', solved: true }), 200);
    const v = expectStatus(await c.dispatcher.get(`/api/tickets/${id}`), 200);
    expect(v.deadlines.find((d: any) => d.kind === 'reply').state).toBe('met');
    const cb = v.deadlines.find((d: any) => d.kind === 'callback');
    expect(cb.state).toBe('ok');
    // Monday 09:00 + 2 working days → end of Wednesday
    expect(new Date(cb.dueAt).toISOString()).toBe('2025-03-05T15:59:59.999Z');
  });

  it('(五) termination when the requester refuses information, after review', async () => {
    const id = await accepted();
    const noMaterials = await c.handlerMd.post(`/api/tickets/${id}/termination-applications`, {
      case: 'refused_information',
      reason: '诉求人拒绝提供具体地址',
    });
    expect(noMaterials.status).toBe(400);
    const app = expectStatus(
      await c.handlerMd.post(`/api/tickets/${id}/termination-applications`, {
        case: 'refused_information',
        reason: '诉求人拒绝提供具体地址',
        materials: [{ name: '通话录音说明.txt' }],
      }),
      201,
    );
    const t = expectStatus(
      await c.dispatcher.post(`/api/applications/${app.id}/review`, { decision: 'approve', note: '材料属实' }),
      200,
    );
    expect(t.status).toBe('terminated');
    const v = expectStatus(await c.dispatcher.get(`/api/tickets/${id}`), 200);
    expect(v.deadlines.filter((d: any) => ['ok', 'warning', 'breached'].includes(d.state))).toEqual([]);
    expect(v.applications[0].terminationCase).toBe('refused_information');
    expect(await eventKinds(c.dispatcher, id)).toEqual([
      'created',
      'dispatched',
      'accepted',
      'termination_applied',
      'termination_approved',
    ]);
    const after = await c.handlerMd.post(`/api/tickets/${id}/progress-reports`, { content: 'x' });
    expect(after.status).toBe(404); // the unit's assignment ended with the termination
  });

  it('(六) termination of an unreasonable request can be rejected, and handling goes on', async () => {
    const id = await accepted();
    const app = expectStatus(
      await c.handlerMd.post(`/api/tickets/${id}/termination-applications`, {
        case: 'unreasonable_request',
        reason: '诉求不符合政策规定，已解释仍不满意',
        materials: [{ name: '政策依据.pdf' }],
      }),
      201,
    );
    const t = expectStatus(
      await c.dispatcher.post(`/api/applications/${app.id}/review`, { decision: 'reject', note: '请继续做好解释工作' }),
      200,
    );
    expect(t.status).toBe('in_progress');
    expect(await eventKinds(c.handlerMd, id)).toContain('termination_rejected');
  });

  it('termination is only possible while in progress', async () => {
    env().clock.set('2025-03-03T09:00:00+08:00');
    const id = await dispatchedTicket(env(), c, 'gov-md');
    const res = await c.handlerMd.post(`/api/tickets/${id}/termination-applications`, {
      case: 'refused_information',
      reason: 'x',
      materials: [{ name: 'a' }],
    });
    expect(res.status).toBe(409);
    expect(res.body.error.details.status).toBe('dispatched');
  });
});

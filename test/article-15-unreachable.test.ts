import { beforeAll, expect, it } from 'vitest';
import { expectStatus } from './helpers/api.js';
import { dispatchedTicket, loginAll, type Clients } from './helpers/factories.js';
import { describeEachDb } from './helpers/test-env.js';

// 第十五条(一)(四): a unit that tried and failed to reach the requester, or whose requester is anonymous (第十条),
// still replies — with the failed attempts documented and explained, and the explanation shown at callback.
describeEachDb('第十五条 无法联系诉求人时的答复', (env) => {
  let c: Clients;
  beforeAll(async () => {
    c = await loginAll(env());
  });

  const MONDAY = '2025-03-03T09:00:00+08:00';
  async function accepted(over: Record<string, unknown> = {}) {
    env().clock.set(MONDAY);
    const id = await dispatchedTicket(env(), c, 'gov-md', over);
    expectStatus(await c.handlerMd.post(`/api/tickets/${id}/accept`, {}), 200);
    return id;
  }
  async function failedAttempt(id: number, at: string, method = 'phone', note = '电话无人接听') {
    env().clock.set(at);
    expectStatus(await c.handlerMd.post(`/api/tickets/${id}/contacts`, { method, reached: false, note }), 200);
  }
  const reply = (id: number, over: Record<string, unknown> = {}) =>
    c.handlerMd.post(`/api/tickets/${id}/reply`, { result: '路灯线路已更换，恢复照明', solved: true, ...over });

  it('a reply with no contact attempt at all is still refused', async () => {
    const id = await accepted();
    const res = await reply(id, { unreachableNote: '联系不上' });
    expect(res.status).toBe(422);
    expect(res.body.error.message).toContain('答复前须先联系诉求人');
    expect(res.body.error.message).toContain('目前没有联系记录');
    expect(res.body.error.details).toMatchObject({
      failedAttempts: 0,
      distinctDays: 0,
      missingAttempts: 3,
      missingDays: 2,
      policy: { minAttempts: 3, minDistinctDays: 2 },
    });
  });

  it('3 failed attempts on the same day are refused with a message saying what is missing', async () => {
    const id = await accepted();
    await failedAttempt(id, '2025-03-03T09:30:00+08:00');
    await failedAttempt(id, '2025-03-03T11:00:00+08:00');
    await failedAttempt(id, '2025-03-03T16:00:00+08:00', 'sms', '已发短信，未回复');
    const res = await reply(id, { unreachableNote: '三次未联系上' });
    expect(res.status).toBe(422);
    expect(res.body.error.message).toBe(
      '答复前须先联系诉求人（第十五条第一项）；确实无法联系的，须在不少于 2 个不同日期共尝试联系不少于 3 次：目前已尝试 3 次，均在同一天，还须在另一个日期再尝试联系',
    );
    const v = expectStatus(await c.handlerMd.get(`/api/tickets/${id}`), 200);
    expect(v.replyContact).toMatchObject({
      reached: false,
      anonymous: false,
      failedAttempts: 3,
      distinctDays: 1,
      unreachableAllowed: false,
    });
    expect(v.replyContact.blockedReason).toContain('还须在另一个日期再尝试联系');
  });

  it('3 failed attempts on 2 different days let the reply through with the explanation, shown in the ticket and the callback queue', async () => {
    const id = await accepted();
    await failedAttempt(id, '2025-03-03T09:30:00+08:00');
    await failedAttempt(id, '2025-03-03T15:00:00+08:00', 'sms', '已发短信，未回复');
    await failedAttempt(id, '2025-03-04T10:00:00+08:00');
    const v = expectStatus(await c.handlerMd.get(`/api/tickets/${id}`), 200);
    expect(v.replyContact).toMatchObject({
      reached: false,
      failedAttempts: 3,
      distinctDays: 2,
      unreachableAllowed: true,
      blockedReason: null,
    });
    expect(v.replyContact.summary).toBe('诉求人无法联系：3 次尝试（电话 2 次、短信 1 次），3月3日至3月4日共 2 天');

    const noNote = await reply(id);
    expect(noNote.status).toBe(400);
    expect(noNote.body.error.details.field).toBe('unreachableNote');
    const note = '3月3日、4日三次致电均无人接听，已发短信告知办理情况，未获回复';
    const t = expectStatus(await reply(id, { unreachableNote: note }), 200);
    expect(t.status).toBe('replied');
    expect(t.reply.unreachableNote).toBe(note);
    expect(t.reply.unreachable).toMatchObject({
      basis: 'unreachable',
      attempts: 3,
      distinctDays: 2,
      summary: v.replyContact.summary,
    });
    expect(t.firstContactAt).toBeNull();

    // the ticket view's history carries it with the reply
    const after = expectStatus(await c.callback.get(`/api/tickets/${id}`), 200);
    const replied = after.events.find((e: any) => e.kind === 'replied');
    expect(replied.data.unreachable).toMatchObject({ basis: 'unreachable', note, summary: v.replyContact.summary });
    expect(after.reply.unreachableNote).toBe(note);
    // the callback agent's queue says so at a glance
    const queue = expectStatus(await c.callback.get('/api/tickets?view=centre&status=replied&limit=200'), 200);
    const item = queue.items.find((i: any) => i.id === id);
    expect(item.unreachable).toEqual({ basis: 'unreachable', summary: v.replyContact.summary, note });
  });

  it('an anonymous requester can be replied to at once, with an explanation', async () => {
    const id = await accepted({ requester: null });
    const v = expectStatus(await c.handlerMd.get(`/api/tickets/${id}`), 200);
    expect(v.replyContact).toMatchObject({
      anonymous: true,
      unreachableAllowed: true,
      summary: '诉求人匿名或未留联系方式，无法联系',
    });
    const noNote = await reply(id);
    expect(noNote.status).toBe(400);
    const t = expectStatus(
      await reply(id, { unreachableNote: '诉求人匿名反映，未留联系方式，办理结果已在平台公开答复' }),
      200,
    );
    expect(t.reply.unreachable).toMatchObject({
      basis: 'anonymous',
      attempts: 0,
      summary: '诉求人匿名或未留联系方式，无法联系',
    });
    const queue = expectStatus(await c.callback.get('/api/tickets?view=centre&status=replied&limit=200'), 200);
    expect(queue.items.find((i: any) => i.id === id).unreachable.basis).toBe('anonymous');
  });

  it('第三十三条 a unit handling a report about itself, which may not know the reporter, replies with an explanation', async () => {
    env().clock.set(MONDAY);
    const k = expectStatus(
      await c.agent.post('/api/contacts', {
        channel: 'phone',
        externalId: 'unreachable-report-1',
        requester: { name: '欧阳先生', phone: '15800000015' },
        content: '举报窗口工作人员索要好处费',
      }),
      201,
    );
    const t = expectStatus(
      await c.agent.post(`/api/contacts/${k.id}/disposition`, {
        disposition: 'dispatched',
        requestType: 'report',
        categoryId: env().ids.categories['QT-QT'],
        urgency: 'normal',
        regionCode: '371702',
        title: '举报窗口工作人员索要好处费',
        reportedUnitId: env().ids.units['gov-md'],
        unitText: '反映区政府某窗口工作人员办事时索要好处费',
      }),
      200,
    ) as { ticketId: number };
    expectStatus(
      await c.dispatcher.post(`/api/tickets/${t.ticketId}/dispatch`, { leadUnitId: env().ids.units['gov-md'] }),
      200,
    );
    expectStatus(await c.handlerMd.post(`/api/tickets/${t.ticketId}/accept`, {}), 200);
    const v = expectStatus(await c.handlerMd.get(`/api/tickets/${t.ticketId}`), 200);
    expect(v.replyContact).toMatchObject({ anonymous: true, unreachableAllowed: true });
    expect(v.replyContact.summary).toContain('第三十三条');
    const r = expectStatus(
      await reply(t.ticketId, { unreachableNote: '举报人身份保密，本单位无法联系；核查结果已报热线工作机构' }),
      200,
    );
    expect(r.reply.unreachable).toMatchObject({ basis: 'withheld' });
  });

  it('a reached requester needs no explanation, and a stray note is not stored', async () => {
    const id = await accepted();
    expectStatus(
      await c.handlerMd.post(`/api/tickets/${id}/contacts`, { method: 'phone', reached: true, note: '已联系' }),
      200,
    );
    const v = expectStatus(await c.handlerMd.get(`/api/tickets/${id}`), 200);
    expect(v.replyContact).toBeNull();
    const t = expectStatus(await reply(id, { unreachableNote: '多余' }), 200);
    expect(t.reply.unreachable).toBeNull();
    expect(t.reply.unreachableNote).toBeNull();
    const queue = expectStatus(await c.callback.get('/api/tickets?view=centre&status=replied&limit=200'), 200);
    expect(queue.items.find((i: any) => i.id === id).unreachable).toBeNull();
  });

  it('the admin sets the policy (audited); everyone reads it; others may not change it', async () => {
    expect(expectStatus(await c.handlerMd.get('/api/unreachable-reply-policy'), 200)).toEqual({
      minAttempts: 3,
      minDistinctDays: 2,
    });
    expect(
      (await c.handlerMd.put('/api/unreachable-reply-policy', { minAttempts: 1, minDistinctDays: 1 })).status,
    ).toBe(403);
    expect(
      (await c.dispatcher.put('/api/unreachable-reply-policy', { minAttempts: 1, minDistinctDays: 1 })).status,
    ).toBe(403);
    const bad = await c.admin.put('/api/unreachable-reply-policy', { minAttempts: 2, minDistinctDays: 3 });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('不同日期数不能多于尝试次数');
    expect((await c.admin.put('/api/unreachable-reply-policy', { minAttempts: 0, minDistinctDays: 1 })).status).toBe(
      400,
    );

    expect(
      expectStatus(await c.admin.put('/api/unreachable-reply-policy', { minAttempts: 2, minDistinctDays: 1 }), 200),
    ).toEqual({ minAttempts: 2, minDistinctDays: 1 });
    const audit = await env()
      .db.selectFrom('admin_audit')
      .selectAll()
      .where('entity', '=', 'reply_contact_policy')
      .execute();
    expect(audit).toHaveLength(1);
    // two attempts on one day now suffice
    const id = await accepted();
    await failedAttempt(id, '2025-03-03T09:30:00+08:00');
    expect((await reply(id, { unreachableNote: '两次未接' })).status).toBe(422);
    await failedAttempt(id, '2025-03-03T10:30:00+08:00');
    expectStatus(await reply(id, { unreachableNote: '两次未接' }), 200);
    expectStatus(await c.admin.put('/api/unreachable-reply-policy', { minAttempts: 3, minDistinctDays: 2 }), 200);
  });
});

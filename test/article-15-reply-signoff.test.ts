import { beforeAll, expect, it } from 'vitest';
import { expectStatus } from './helpers/api.js';
import { approvedReturn, dispatchedTicket, eventKinds, loginAll, type Clients } from './helpers/factories.js';
import { describeEachDb } from './helpers/test-env.js';

describeEachDb('第十五条 答复经单位负责人审核', (env) => {
  let c: Clients;
  beforeAll(async () => {
    c = await loginAll(env());
    // 牡丹区人民政府 requires its manager's sign-off; the setting is the admin's (and audited)
    const e = env();
    const set = expectStatus(
      await c.admin.put(`/api/units/${e.ids.units['gov-md']}/reply-signoff`, { replySignoff: true }),
      200,
    );
    expect(set.replySignoff).toBe(true);
  });

  /** a 牡丹区 ticket accepted and the requester reached: ready for a reply */
  async function readyToReply() {
    const e = env();
    e.clock.set('2025-03-03T09:00:00+08:00');
    const id = await dispatchedTicket(e, c, 'gov-md');
    expectStatus(await c.handlerMd.post(`/api/tickets/${id}/accept`, {}), 200);
    expectStatus(
      await c.handlerMd.post(`/api/tickets/${id}/contacts`, { method: 'phone', reached: true, note: '已联系' }),
      200,
    );
    return id;
  }

  it('第十五条 the setting is listed for the admin and only the admin may change it', async () => {
    const e = env();
    const s = expectStatus(await c.admin.get('/api/unit-workflow-settings'), 200);
    expect(s.replySignoffUnitIds).toContain(e.ids.units['gov-md']);
    expect(
      (await c.managerMd.put(`/api/units/${e.ids.units['gov-md']}/reply-signoff`, { replySignoff: false })).status,
    ).toBe(403);
    const audit = await e.db
      .selectFrom('admin_audit')
      .select(['action', 'after'])
      .where('entity', '=', 'unit')
      .where('entity_id', '=', String(e.ids.units['gov-md']))
      .where('action', '=', 'reply_signoff')
      .execute();
    expect(audit.length).toBeGreaterThanOrEqual(1);
  });

  it('第十五条 a handler cannot reply directly; the submission keeps the ticket 办理中 and deadlines running', async () => {
    const id = await readyToReply();
    const direct = await c.handlerMd.post(`/api/tickets/${id}/reply`, { result: '已修复', solved: true });
    expect(direct.status).toBe(409);
    expect(direct.body.error.message).toContain('审核');
    const t = expectStatus(
      await c.handlerMd.post(`/api/tickets/${id}/reply-signoffs`, { result: '已更换灯具，恢复照明', solved: true }),
      201,
    );
    expect(t.status).toBe('in_progress');
    const v = expectStatus(await c.handlerMd.get(`/api/tickets/${id}`), 200);
    expect(v.deadlines.find((d: any) => d.kind === 'reply').state).toBe('ok');
    expect(v.reply).toBeNull();
    // a second submission, or a direct reply by the manager, waits for the decision
    expect((await c.handlerMd.post(`/api/tickets/${id}/reply-signoffs`, { result: '再交', solved: true })).status).toBe(
      409,
    );
    expect((await c.managerMd.post(`/api/tickets/${id}/reply`, { result: '直接答复', solved: true })).status).toBe(409);
    const mine = expectStatus(await c.handlerMd.get(`/api/tickets/${id}/reply-signoffs`), 200);
    expect(mine.required).toBe(true);
    expect(mine.items[0].status).toBe('pending');
  });

  it('第十五条 the manager sees it in 待审核 and approves: the reply leaves the unit exactly as a direct reply', async () => {
    const id = await readyToReply();
    expectStatus(
      await c.handlerMd.post(`/api/tickets/${id}/reply-signoffs`, { result: '已更换灯具，恢复照明', solved: true }),
      201,
    );
    const q = expectStatus(await c.managerMd.get('/api/reply-signoffs'), 200);
    const item = q.items.find((x: any) => x.ticketId === id);
    expect(item.result).toBe('已更换灯具，恢复照明');
    // a handler is not the manager; another unit does not see it
    expect((await c.handlerMd.post(`/api/reply-signoffs/${item.id}/approve`, {})).status).toBe(403);
    expect((await c.handlerCg.post(`/api/reply-signoffs/${item.id}/approve`, {})).status).toBe(403);
    const t = expectStatus(await c.managerMd.post(`/api/reply-signoffs/${item.id}/approve`, { note: '同意' }), 200);
    expect(t.status).toBe('replied');
    expect(t.reply.result).toBe('已更换灯具，恢复照明');
    const kinds = await eventKinds(c.dispatcher, id);
    expect(kinds.slice(-3)).toEqual(['reply_submitted', 'reply_signed_off', 'replied']);
    const v = expectStatus(await c.dispatcher.get(`/api/tickets/${id}`), 200);
    expect(v.deadlines.find((d: any) => d.kind === 'callback').state).toBe('ok');
    expect((await c.managerMd.post(`/api/reply-signoffs/${item.id}/approve`, {})).status).toBe(409);
    const after = expectStatus(await c.managerMd.get('/api/reply-signoffs'), 200);
    expect(after.items.some((x: any) => x.id === item.id)).toBe(false);
  });

  it('第十五条 the manager returns it with a reason: the handler revises and submits again', async () => {
    const id = await readyToReply();
    expectStatus(await c.handlerMd.post(`/api/tickets/${id}/reply-signoffs`, { result: '已处理', solved: true }), 201);
    const { items } = expectStatus(await c.handlerMd.get(`/api/tickets/${id}/reply-signoffs`), 200);
    expect((await c.managerMd.post(`/api/reply-signoffs/${items[0].id}/return`, { reason: '' })).status).toBe(400);
    const t = expectStatus(
      await c.managerMd.post(`/api/reply-signoffs/${items[0].id}/return`, { reason: '答复过于简单，请写明维修时间' }),
      200,
    );
    expect(t.status).toBe('in_progress');
    const v = expectStatus(await c.handlerMd.get(`/api/tickets/${id}`), 200);
    const ev = v.events.find((x: any) => x.kind === 'reply_returned');
    expect(ev.reason).toBe('答复过于简单，请写明维修时间');
    const again = expectStatus(await c.handlerMd.get(`/api/tickets/${id}/reply-signoffs`), 200);
    expect(again.items[0].status).toBe('returned');
    expect(again.items[0].reviewNote).toBe('答复过于简单，请写明维修时间');
    expectStatus(
      await c.handlerMd.post(`/api/tickets/${id}/reply-signoffs`, { result: '3月4日已更换灯具', solved: true }),
      201,
    );
  });

  it('第十五条 a submission still waiting when the ticket leaves the unit (approved return) does not leave with it', async () => {
    const e = env();
    const id = await readyToReply();
    expectStatus(await c.handlerMd.post(`/api/tickets/${id}/reply-signoffs`, { result: '已处理', solved: true }), 201);
    await approvedReturn(e, c, c.handlerMd, id, 'cgj', { reason: '属城管职责', material: '说明.pdf' });
    const q = expectStatus(await c.managerMd.get('/api/reply-signoffs'), 200);
    expect(q.items.some((x: any) => x.ticketId === id)).toBe(false);
    const s = expectStatus(await c.dispatcher.get(`/api/tickets/${id}/reply-signoffs`), 200);
    expect(s.items[0].status).toBe('returned');
  });

  it('第十五条 the reply rules hold at submission: an unsolved reply needs an explanation', async () => {
    const id = await readyToReply();
    const r = await c.handlerMd.post(`/api/tickets/${id}/reply-signoffs`, { result: '无法解决', solved: false });
    expect(r.status).toBe(400);
  });

  it('第十五条 a unit without the setting replies directly and cannot submit', async () => {
    const e = env();
    e.clock.set('2025-03-03T09:00:00+08:00');
    const id = await dispatchedTicket(e, c, 'cgj');
    expectStatus(await c.handlerCg.post(`/api/tickets/${id}/accept`, {}), 200);
    expectStatus(
      await c.handlerCg.post(`/api/tickets/${id}/contacts`, { method: 'phone', reached: true, note: '已联系' }),
      200,
    );
    expect(
      (await c.handlerCg.post(`/api/tickets/${id}/reply-signoffs`, { result: '已处理', solved: true })).status,
    ).toBe(409);
    expectStatus(await c.handlerCg.post(`/api/tickets/${id}/reply`, { result: '已处理', solved: true }), 200);
  });
});

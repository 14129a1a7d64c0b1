import { beforeAll, expect, it } from 'vitest';
import { expectStatus } from './helpers/api.js';
import { loginAll, type Clients } from './helpers/factories.js';
import { describeEachDb } from './helpers/test-env.js';

describeEachDb('第十二、十三条 受理分类处置', (env) => {
  let c: Clients;
  beforeAll(async () => {
    c = await loginAll(env());
  });

  let seq = 0;
  async function contact(content: string, phone = '13800000001') {
    seq += 1;
    return expectStatus(
      await c.agent.post('/api/contacts', {
        channel: 'phone',
        externalId: `call-${Date.now()}-${seq}`,
        requester: { name: '李女士', phone },
        content,
      }),
      201,
    ) as { id: number; emergency: any };
  }
  const dispose = (id: number, body: Record<string, unknown>) => c.agent.post(`/api/contacts/${id}/disposition`, body);

  it('第十二条 answered online with the standard phrase', async () => {
    const k = await contact('咨询灵活就业人员社保怎么缴纳');
    const r = expectStatus(
      await dispose(k.id, { disposition: 'answered', answer: '可通过“爱山东”APP或社保经办窗口缴纳' }),
      200,
    );
    expect(r.replyText).toContain('答复如下');
    expect(r.ticketId).toBeNull();
    const again = await dispose(k.id, { disposition: 'answered', answer: 'x' });
    expect(again.status).toBe(409); // one disposition per contact
  });

  it('第十三条(一) transferred to 119, with the system suggesting it for a text that reads like a fire', async () => {
    const k = await contact('我家楼下饭店着火了，浓烟很大');
    expect(k.emergency).toMatchObject({ line: '119' });
    const pop = expectStatus(await c.agent.get(`/api/contacts/${k.id}/screen-pop`), 200);
    expect(pop.emergencySuggestion.line).toBe('119');
    const r = expectStatus(await dispose(k.id, { disposition: 'transferred', hotline: '119' }), 200);
    expect(r.replyText).toContain('119');
    const row = await env().db.selectFrom('contacts').selectAll().where('id', '=', k.id).executeTakeFirstOrThrow();
    expect(row.disposition_data).toMatchObject({ hotline: '119', suggestedBySystem: '119', followedSuggestion: true });
    expect((await dispose((await contact('x')).id, { disposition: 'transferred' })).status).toBe(400); // which line is required
  });

  it('第十三条(二) redirected to a legal channel', async () => {
    const k = await contact('我和公司的劳动合同纠纷已经申请仲裁了，想让热线督促');
    const r = expectStatus(
      await dispose(k.id, { disposition: 'redirected', channel: 'arbitration', alreadyInChannel: true }),
      200,
    );
    expect(r.replyText).toContain('仲裁');
    expect(r.replyText).toContain('已进入');
    expect((await dispose((await contact('y')).id, { disposition: 'redirected', channel: 'court' })).status).toBe(400);
  });

  it('第十三条(三) a repeat without new facts is linked and told the progress', async () => {
    const e = env();
    const first = await contact('和平路路灯不亮', '13800000077');
    const d = expectStatus(
      await dispose(first.id, {
        disposition: 'dispatched',
        requestType: 'complaint',
        categoryId: e.ids.categories['CX-SZ'],
        regionCode: '371702001',
        title: '和平路路灯不亮',
      }),
      200,
    );
    const again = await contact('和平路路灯还是不亮', '13800000077');
    const dups = expectStatus(await c.agent.get(`/api/contacts/${again.id}/duplicates`), 200);
    expect(dups[0]).toMatchObject({ id: d.ticketId });
    expect(dups[0].reasons).toContain('同一诉求人的未办结工单');
    const r = expectStatus(await dispose(again.id, { disposition: 'repeat', ticketId: d.ticketId }), 200);
    expect(r.replyText).toContain(d.ticketNumber);
    expect(r.replyText).toContain('待派单');
    const v = expectStatus(await c.dispatcher.get(`/api/tickets/${d.ticketId}`), 200);
    expect(v.events.map((x: any) => x.kind)).toContain('repeat_contact');
  });

  it('第十三条(四) secrets and personal information are explained', async () => {
    const k = await contact('我想查一下邻居的户籍信息和电话');
    const r = expectStatus(
      await dispose(k.id, {
        disposition: 'explained',
        secretKind: 'personal_information',
        explanation: '他人户籍信息属于个人信息，依法不能提供。',
      }),
      200,
    );
    expect(r.replyText).toContain('个人信息');
    expect(
      (await dispose((await contact('z')).id, { disposition: 'explained', secretKind: 'personal_information' })).status,
    ).toBe(400);
  });

  it('第十三条(五) unlawful requests are admonished with the consequences', async () => {
    const k = await contact('帮我查查怎么不交罚款就把车开走');
    const r = expectStatus(
      await dispose(k.id, { disposition: 'admonished', violation: '《中华人民共和国道路交通安全法》' }),
      200,
    );
    expect(r.replyText).toContain('法律责任');
  });

  it('第十三条(六) not accepted, with the reason', async () => {
    const k = await contact('要求热线帮我追讨私人借款');
    expect((await dispose(k.id, { disposition: 'not_accepted' })).status).toBe(400);
    const r = expectStatus(
      await dispose(k.id, { disposition: 'not_accepted', reason: '民间借贷纠纷应通过诉讼解决' }),
      200,
    );
    expect(r.replyText).toContain('民间借贷');
  });

  it('第十二条 dispatched as a ticket with category, urgency, region and summary; the requester gets a tracking code', async () => {
    const e = env();
    const k = await contact('东城街道丹阳社区门口下水道堵塞，污水漫到路面');
    const bad = await dispose(k.id, {
      disposition: 'dispatched',
      requestType: 'complaint',
      categoryId: e.ids.categories['CX-SZ'],
      title: '下水道堵塞',
    });
    expect(bad.status).toBe(400); // region required
    const r = expectStatus(
      await dispose(k.id, {
        disposition: 'dispatched',
        requestType: 'complaint',
        categoryId: e.ids.categories['CX-SZ'],
        urgency: 'normal',
        regionCode: '371702001002',
        address: '丹阳社区南门',
        title: '丹阳社区门口下水道堵塞',
      }),
      200,
    );
    expect(r.ticketNumber).toMatch(/^HZ\d{8}-\d{6}$/);
    expect(r.trackingCode).toMatch(/^[2-9A-Z]{8}$/);
    expect(r.replyText).toContain(r.ticketNumber);
    const v = expectStatus(await c.dispatcher.get(`/api/tickets/${r.ticketId}`), 200);
    expect(v.content).toContain('污水');
    expect(v.requester.phone).toBe('138****0001');
    const sms = await e.db.selectFrom('outbound_messages').selectAll().where('ticket_id', '=', r.ticketId).execute();
    expect(sms.some((m) => m.body.includes(r.trackingCode))).toBe(true);
    expect(sms[0]!.to_enc).not.toContain('13800000001');
  });

  it('redelivery of the same message id records one contact', async () => {
    const body = { channel: 'sms', externalId: 'sms-42', requester: { phone: '13800000002' }, content: '路灯不亮' };
    const a = await c.agent.post('/api/contacts', body);
    const b = await c.agent.post('/api/contacts', body);
    expect([a.status, b.status]).toEqual([201, 200]);
    expect(b.body).toMatchObject({ id: a.body.id, duplicate: true });
  });

  it('the inbox lists undisposed contacts of the agent’s own centre, oldest first', async () => {
    const mine = await contact('咨询住房公积金贷款额度');
    const cx = expectStatus(
      await c.agentCx.post('/api/contacts', {
        channel: 'phone',
        externalId: `cx-${Date.now()}`,
        content: '曹县来电：咨询低保申请',
      }),
      201,
    );
    const inbox = expectStatus(await c.agent.get('/api/contacts?limit=200'), 200);
    const ids = inbox.items.map((x: any) => x.id);
    expect(ids).toContain(mine.id);
    expect(ids).not.toContain(cx.id);
    const times = inbox.items.map((x: any) => new Date(x.receivedAt).getTime());
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expectStatus(await dispose(mine.id, { disposition: 'answered', answer: '按缴存余额和还款能力核定' }), 200);
    const after = expectStatus(await c.agent.get('/api/contacts?limit=200'), 200);
    expect(after.items.map((x: any) => x.id)).not.toContain(mine.id);
    expect((await c.handlerMd.get('/api/contacts')).status).toBe(403);
  });
});

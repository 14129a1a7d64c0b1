import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import { ApiClient, expectStatus } from './helpers/api.js';
import { tokenFor } from './helpers/factories.js';
import { describeEachDb, type TestEnv } from './helpers/test-env.js';

// A real 1×1 PNG, and a text file that only claims to be a picture.
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
const TEXT_AS_JPG = Buffer.from('这不是图片，只是一个改了扩展名的文本文件。').toString('base64');

async function counts(e: TestEnv) {
  return (
    await sql<{
      contacts: number;
      requesters: number;
      attachments: number;
    }>`SELECT (SELECT count(*)::int FROM contacts) AS contacts,
    (SELECT count(*)::int FROM requesters) AS requesters, (SELECT count(*)::int FROM attachments) AS attachments`.execute(
      e.db,
    )
  ).rows[0]!;
}

describeEachDb('第二条 多渠道受理 — 微博私信', (env) => {
  let gw: string;
  let admin: ApiClient;
  const post = (payload: unknown, token = gw) =>
    env().app.inject({
      method: 'POST',
      url: '/api/channels/weibo/messages',
      headers: { authorization: `Bearer ${token}` },
      payload: payload as object,
    });
  const msg = (messageId: string, over: Record<string, unknown> = {}) => ({
    messageId,
    senderUid: '5678901234',
    senderName: '牡丹区小王',
    text: '@菏泽12345 中华路和八一路路口红绿灯坏了',
    createdAt: '2025-03-03T10:00:00+08:00',
    ...over,
  });
  beforeAll(async () => {
    admin = await ApiClient.login(env(), 'admin');
    gw = await tokenFor(env(), admin, 'gateway');
  });

  it('a private message with a picture is one contact and one sniffed attachment; redelivery adds nothing', async () => {
    const e = env();
    const before = await counts(e);
    const body = msg('wb-1', {
      images: [{ name: 'light.jpg', data: PNG }, { url: 'https://wx1.sinaimg.cn/large/abc.jpg' }],
    });
    const first = await post(body);
    expect(first.statusCode).toBe(201);
    expect((await post(body)).json()).toMatchObject({ contactId: first.json().contactId, duplicate: true });
    const after = await counts(e);
    expect(after.contacts - before.contacts).toBe(1);
    expect(after.attachments - before.attachments).toBe(1);
    const row = await e.db
      .selectFrom('contacts')
      .innerJoin('requesters', 'requesters.id', 'contacts.requester_id')
      .select(['channel', 'meta', 'weibo_hash', 'name_enc'])
      .where('contacts.id', '=', first.json().contactId)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      channel: 'weibo',
      weibo_hash: e.cipher.keyedHash('weibo', '5678901234'),
      name_enc: null,
    });
    expect(row.meta).toMatchObject({
      senderName: '牡丹区小王',
      imageLinks: [{ name: null, url: 'https://wx1.sinaimg.cn/large/abc.jpg' }],
    });
    const att = await e.db
      .selectFrom('attachments')
      .select(['kind', 'mime', 'original_name'])
      .where('contact_id', '=', first.json().contactId)
      .execute();
    expect(att).toEqual([{ kind: 'image', mime: 'image/png', original_name: 'light.jpg' }]);
  });

  it('a mistyped picture, bad base64, missing fields or a huge body are refused and leave no rows', async () => {
    const e = env();
    const before = await counts(e);
    const typed = await post(msg('wb-2', { images: [{ name: 'photo.jpg', data: TEXT_AS_JPG }] }));
    expect(typed.statusCode).toBe(400);
    expect(typed.json().error.message).toContain('不支持的附件类型');
    // the good picture before the bad one is not kept either
    expect(
      (await post(msg('wb-3', { images: [{ data: PNG }, { name: 'a.jpg', data: TEXT_AS_JPG }] }))).statusCode,
    ).toBe(400);
    expect((await post(msg('wb-4', { images: [{ data: '!!!not base64!!!' }] }))).json().error.message).toContain(
      'base64',
    );
    for (const bad of [
      msg('wb-5', { senderUid: 'abc' }),
      msg('wb-6', { text: '', images: [] }),
      { ...msg('wb-7'), messageId: undefined },
      msg('wb-8', { createdAt: 'yesterday' }),
    ]) {
      expect((await post(bad)).statusCode, JSON.stringify(bad)).toBe(400);
    }
    const huge = await post(msg('wb-9', { images: [{ data: 'A'.repeat(21 * 1024 * 1024) }] }));
    expect(huge.statusCode).toBe(413);
    expect(huge.json().error.message).toContain('过大');
    expect(await counts(e)).toEqual(before);
    // after all that the message still goes through when sent correctly: no half-written row blocks it
    expect((await post(msg('wb-2'))).statusCode).toBe(201);
  });

  it('only a gateway token may post', async () => {
    const e = env();
    const partner = await tokenFor(e, admin, 'partner');
    expect((await post(msg('wb-x'), partner)).statusCode).toBe(403);
    expect(
      (await e.app.inject({ method: 'POST', url: '/api/channels/weibo/messages', payload: msg('wb-x') })).statusCode,
    ).toBe(401);
  });

  it('第九、十三条: the centre answers a Weibo user by private message — the gateway fetches, sends and reports', async () => {
    const e = env();
    const agent = await ApiClient.login(e, 'agent');
    const outbox = (limit = 20, token = gw) =>
      e.app.inject({
        method: 'GET',
        url: `/api/channels/weibo/outbox?limit=${limit}`,
        headers: { authorization: `Bearer ${token}` },
      });
    const report = (id: number, body: object) =>
      e.app.inject({
        method: 'POST',
        url: `/api/channels/weibo/outbox/${id}/result`,
        headers: { authorization: `Bearer ${gw}` },
        payload: body,
      });

    const asked = (
      await post(msg('wb-reply-1', { senderUid: '5600000001', text: '请问不动产登记在哪里办理？' }))
    ).json().contactId;
    const d = expectStatus(
      await agent.post(`/api/contacts/${asked}/disposition`, {
        disposition: 'answered',
        answer: '请到市民服务中心二楼不动产登记窗口办理',
      }),
      200,
    );
    const row = await e.db.selectFrom('contacts').select('meta').where('id', '=', asked).executeTakeFirstOrThrow();
    expect(JSON.stringify(row.meta)).not.toContain('5600000001'); // the uid is kept encrypted only

    // only a gateway may fetch; what it gets carries the uid to send to and the phrase
    expect((await e.app.inject({ method: 'GET', url: '/api/channels/weibo/outbox' })).statusCode).toBe(401);
    expect((await agent.get('/api/channels/weibo/outbox')).status).toBe(403);
    const got = (await outbox()).json();
    expect(got.items).toEqual([
      expect.objectContaining({ toUid: '5600000001', text: d.replyText, purpose: 'disposition', attempt: 1 }),
    ]);
    expect((await outbox()).json().items).toEqual([]); // claimed: not handed out twice while the gateway sends it
    const id = got.items[0].id;
    expect((await report(id, { delivered: true, providerId: 'wbmsg-1' })).json()).toEqual({ id, status: 'sent' });
    expect((await report(id, { delivered: true })).statusCode).toBe(409); // a result once

    // a dispatched message gets the ticket number and tracking code; a failure is retried, a permanent one is not
    const matter = (await post(msg('wb-reply-2', { senderUid: '5600000002', text: '和平路井盖丢了' }))).json()
      .contactId;
    const t = expectStatus(
      await agent.post(`/api/contacts/${matter}/disposition`, {
        disposition: 'dispatched',
        requestType: 'complaint',
        categoryId: e.ids.categories['CX-SZ'],
        regionCode: '371702001',
        title: '和平路井盖丢失',
      }),
      200,
    );
    const receipt = (await outbox()).json().items[0];
    expect(receipt).toMatchObject({ toUid: '5600000002', purpose: 'receipt' });
    expect(receipt.text).toContain(`工单号${t.ticketNumber}，查询码${t.trackingCode}`);
    expect((await report(receipt.id, { delivered: false, error: '微博接口超时' })).json().status).toBe('pending');
    e.clock.advanceHours(1);
    const again = (await outbox()).json().items[0];
    expect(again).toMatchObject({ id: receipt.id, attempt: 2 });
    expect(
      (await report(receipt.id, { delivered: false, error: '用户已关闭私信', permanent: true })).json().status,
    ).toBe('failed');
    const failed = await e.db
      .selectFrom('outbound_messages')
      .select(['status', 'last_error'])
      .where('id', '=', receipt.id)
      .executeTakeFirstOrThrow();
    expect(failed).toEqual({ status: 'failed', last_error: '用户已关闭私信' });

    // the unit's reply reaches the user with the survey question; a bare "2" sent back is the evaluation, thanked
    const [dispatcher, handler] = [await ApiClient.login(e, 'dispatcher'), await ApiClient.login(e, 'handler_md')];
    expectStatus(
      await dispatcher.post(`/api/tickets/${t.ticketId}/dispatch`, { leadUnitId: e.ids.units['gov-md'] }),
      200,
    );
    expectStatus(await handler.post(`/api/tickets/${t.ticketId}/accept`, {}), 200);
    expectStatus(
      await handler.post(`/api/tickets/${t.ticketId}/contacts`, {
        method: 'other',
        reached: true,
        note: '微博私信联系',
      }),
      200,
    );
    expectStatus(await handler.post(`/api/tickets/${t.ticketId}/reply`, { result: '已补装井盖', solved: true }), 200);
    const notice = (await outbox()).json().items[0];
    expect(notice).toMatchObject({ toUid: '5600000002', purpose: 'reply_notice' });
    expect(notice.text).toContain('1满意，2基本满意，3不满意');
    const answer = await post(msg('wb-reply-3', { senderUid: '5600000002', text: '2' }));
    expect(answer.json().survey).toEqual({ ticketNumber: t.ticketNumber, satisfaction: 'basically_satisfied' });
    expect((await outbox()).json().items).toEqual([
      expect.objectContaining({ toUid: '5600000002', purpose: 'survey_ack' }),
    ]);
    expect(expectStatus(await dispatcher.get(`/api/tickets/${t.ticketId}`), 200).evaluation).toMatchObject({
      satisfaction: 'basically_satisfied',
      via: 'weibo',
    });
  });
});

describeEachDb('第二条 多渠道受理 — 对接系统接口', (env) => {
  let partner: string;
  let admin: ApiClient;
  const post = (payload: unknown, token = partner) =>
    env().app.inject({
      method: 'POST',
      url: '/api/channels/partner/contacts',
      headers: { authorization: `Bearer ${token}` },
      payload: payload as object,
    });
  const body = (externalId: string, over: Record<string, unknown> = {}) => ({
    externalId,
    content: '曹县某小区供暖不热，室温只有12度。',
    requester: { name: '孙立', phone: '13605301111' },
    address: '曹县青菏街道富民路88号3单元',
    ...over,
  });
  beforeAll(async () => {
    admin = await ApiClient.login(env(), 'admin');
    partner = await tokenFor(env(), admin, 'partner');
  });

  it('a partner’s contact is recorded once per externalId, with the address masked and encrypted', async () => {
    const e = env();
    const before = await counts(e);
    const first = await post(body('P-1001', { attachments: [{ name: 'room.png', data: PNG }] }));
    expect(first.statusCode).toBe(201);
    expect((await post(body('P-1001'))).json()).toMatchObject({ contactId: first.json().contactId, duplicate: true });
    const after = await counts(e);
    expect(after.contacts - before.contacts).toBe(1);
    expect(after.attachments - before.attachments).toBe(1);
    const row = await e.db
      .selectFrom('contacts')
      .selectAll()
      .where('id', '=', first.json().contactId)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      channel: 'api',
      external_id: `${e.ids.users.partner}:P-1001`,
      centre_unit_id: e.ids.units.centre,
    });
    expect(row.meta).toMatchObject({ partner: 'partner', partnerExternalId: 'P-1001', address: '曹县青菏街道****' });
    expect(JSON.stringify(row.meta)).not.toContain('富民路88号');
    expect(e.cipher.decrypt((row.meta as any).addressEnc)).toBe('曹县青菏街道富民路88号3单元');
  });

  it('bad input answers 400 and writes nothing; machine role is checked', async () => {
    const e = env();
    const before = await counts(e);
    for (const bad of [
      body('P-2', { content: '' }),
      body(''),
      body('P-3', { requester: { phone: 'abc' } }),
      body('P-4', { attachments: [{ name: 'x.jpg', data: TEXT_AS_JPG }] }),
      body('P-5', { attachments: [{}] }),
    ]) {
      const res = await post(bad);
      expect(res.statusCode, JSON.stringify(bad).slice(0, 80)).toBe(400);
    }
    const gw = await tokenFor(e, admin, 'gateway');
    expect((await post(body('P-6'), gw)).statusCode).toBe(403);
    const agent = await ApiClient.login(e, 'agent');
    expect((await agent.post('/api/channels/partner/contacts', body('P-7'))).status).toBe(403);
    expect(await counts(e)).toEqual(before);
  });

  it('a unit’s own system (a partner token of 人社局, for its knowledge push) cannot bring requests in, here or by Open311', async () => {
    const e = env();
    const before = await counts(e);
    const unitSystem = await tokenFor(e, admin, 'kb_rsj');
    const res = await post(body('P-8'), unitSystem);
    expect(res.statusCode).toBe(403);
    expect(res.json().error.message).toContain('承办单位');
    const open311 = await e.app.inject({
      method: 'POST',
      url: '/open311/v2/requests.json',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `api_key=${unitSystem}&service_code=CX-SZ&lat=35.24&long=115.47&description=${encodeURIComponent('路灯不亮')}`,
    });
    expect(open311.statusCode).toBe(403);
    expect(await counts(e)).toEqual(before);
  });
});

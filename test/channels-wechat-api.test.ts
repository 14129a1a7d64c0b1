import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { expectStatus } from './helpers/api.js';
import { loginAll, type Clients } from './helpers/factories.js';
import { describeEachDb, type TestEnv } from './helpers/test-env.js';
import { wechatSignature } from '../src/server/modules/channels/wechat.protocol.js';
import { WechatApiClient } from '../src/server/modules/channels/wechat-api.js';
import { WechatMediaFetcher } from '../src/server/jobs/wechat-media.js';
import { OutboxWorker } from '../src/server/jobs/outbox.js';
import { SURVEY_THANKS } from '../src/server/modules/public/sms-survey.service.js';

// 第九条 for WeChat: the push carries a MediaId; the scheduler downloads the bytes through the WeChat API
// (cgi-bin/stable_token, cgi-bin/media/get) and stores them as the contact's attachment; and what the centre
// tells a WeChat user goes back as a customer-service message (cgi-bin/message/custom/send). The API here is a local
// double that answers as api.weixin.qq.com does: bytes with the file's type, JSON {"video_url"} for video,
// JSON {"errcode","errmsg"} (labelled text/plain, as WeChat does) for errors.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);
const AMR = Buffer.concat([Buffer.from('#!AMR\n'), Buffer.alloc(64, 0x3c)]);
const MP4 = Buffer.concat([
  Buffer.from([0, 0, 0, 0x18]),
  Buffer.from('ftypmp42'),
  Buffer.from([0, 0, 0, 0]),
  Buffer.from('mp42isom'),
  Buffer.alloc(256),
]);
const APPID = 'wx8e1f2d3c4b5a6978';
const SECRET = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
const OPENID = 'oQ5Tu6Hk3xL8yXz9AbCdMediaTest';

class FakeWechat {
  server!: Server;
  base = '';
  tokens = 0;
  calls: string[] = [];
  /** the first media call answers "token expired" once */
  expireNext = false;
  flaky = new Map<string, number>();
  /** customer-service messages received, and openids whose 48-hour window has closed */
  sent: Array<{ to: string; type: string; text: string }> = [];
  closedWindow = new Set<string>();
  private current = 'T1';

  async start() {
    this.server = createServer((req, res) => this.handle(req, res));
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }
  stop() {
    return new Promise<void>((r) => this.server.close(() => r()));
  }
  private json(res: ServerResponse, body: object, type = 'text/plain') {
    res.writeHead(200, { 'content-type': type }).end(JSON.stringify(body));
  }
  private handle(req: IncomingMessage, res: ServerResponse) {
    let raw = '';
    req.on('data', (d) => {
      raw += d;
    });
    req.on('end', () => this.route(req, res, raw));
  }
  private route(req: IncomingMessage, res: ServerResponse, raw: string) {
    const url = new URL(req.url!, this.base);
    if (url.pathname === '/cgi-bin/stable_token' && req.method === 'POST') {
      const b = JSON.parse(raw) as { grant_type: string; appid: string; secret: string };
      if (b.grant_type !== 'client_credential' || b.appid !== APPID || b.secret !== SECRET)
        return this.json(res, { errcode: 40125, errmsg: 'invalid appsecret' }, 'application/json');
      this.tokens += 1;
      this.current = `T${this.tokens}`;
      return this.json(res, { access_token: this.current, expires_in: 7200 }, 'application/json');
    }
    if (url.pathname === '/cgi-bin/message/custom/send' && req.method === 'POST') {
      if (url.searchParams.get('access_token') !== this.current)
        return this.json(res, { errcode: 40001, errmsg: 'invalid credential' }, 'application/json');
      const b = JSON.parse(raw) as { touser: string; msgtype: string; text: { content: string } };
      if (this.closedWindow.has(b.touser))
        return this.json(
          res,
          { errcode: 45015, errmsg: 'response out of time limit or subscription is canceled' },
          'application/json',
        );
      this.sent.push({ to: b.touser, type: b.msgtype, text: b.text.content });
      return this.json(res, { errcode: 0, errmsg: 'ok', msgid: 1000 + this.sent.length }, 'application/json');
    }
    if (url.pathname === '/video/1.mp4') return res.writeHead(200, { 'content-type': 'video/mp4' }).end(MP4);
    if (url.pathname !== '/cgi-bin/media/get') return res.writeHead(404).end();
    const media = url.searchParams.get('media_id')!;
    this.calls.push(media);
    if (url.searchParams.get('access_token') !== this.current)
      return this.json(res, { errcode: 40001, errmsg: 'invalid credential' });
    if (this.expireNext) {
      this.expireNext = false;
      return this.json(res, { errcode: 42001, errmsg: 'access_token expired' });
    }
    const failures = this.flaky.get(media) ?? 0;
    if (failures > 0) {
      this.flaky.set(media, failures - 1);
      return res.writeHead(502).end('bad gateway');
    }
    switch (media) {
      case 'IMG_OK':
        return res
          .writeHead(200, { 'content-type': 'image/jpeg', 'content-disposition': 'attachment; filename="a.jpg"' })
          .end(PNG);
      case 'VOICE_OK':
        return res.writeHead(200, { 'content-type': 'audio/amr' }).end(AMR);
      case 'VIDEO_OK':
        return this.json(res, { video_url: `${this.base}/video/1.mp4` }, 'application/json');
      case 'NOT_MEDIA':
        return res.writeHead(200, { 'content-type': 'image/jpeg' }).end('<html>not a picture</html>');
      default:
        return this.json(res, { errcode: 40007, errmsg: 'invalid media_id' });
    }
  }
}

describeEachDb('第九条 微信图片、语音、视频的获取', (env) => {
  const wx = new FakeWechat();
  let c: Clients;
  let n = 0;
  let lastReply = '';
  beforeAll(async () => {
    await wx.start();
    c = await loginAll(env());
  });
  afterAll(() => wx.stop());

  const fetcher = (e: TestEnv, base = wx.base) =>
    new WechatMediaFetcher(
      e.db,
      e.clock,
      e.services.storage,
      new WechatApiClient(
        { base, appId: APPID, appSecret: SECRET, maxBytes: 100 * 1024 * 1024, timeoutMs: 5_000 },
        e.clock,
      ),
      { info: () => undefined, warn: () => undefined },
      { baseBackoffMs: 60_000, maxAttempts: 3 },
    );

  async function push(e: TestEnv, type: 'image' | 'voice' | 'video' | 'text', mediaId: string, openId = OPENID) {
    const msgId = String(7400000000000000000n + BigInt(++n));
    const extra =
      type === 'text'
        ? `<Content><![CDATA[${mediaId}]]></Content>`
        : type === 'image'
          ? `<PicUrl><![CDATA[http://mmbiz.qpic.cn/x]]></PicUrl><MediaId><![CDATA[${mediaId}]]></MediaId>`
          : type === 'voice'
            ? `<MediaId><![CDATA[${mediaId}]]></MediaId><Format><![CDATA[amr]]></Format>`
            : `<MediaId><![CDATA[${mediaId}]]></MediaId><ThumbMediaId><![CDATA[THUMB]]></ThumbMediaId>`;
    const body = `<xml><ToUserName><![CDATA[gh_3f1e2d4c5b6a]]></ToUserName><FromUserName><![CDATA[${openId}]]></FromUserName><CreateTime>${Math.floor(e.clock.now().getTime() / 1000)}</CreateTime><MsgType><![CDATA[${type}]]></MsgType>${extra}<MsgId>${msgId}</MsgId></xml>`;
    const ts = '1740965401';
    const nonce = '1598476320';
    const q = new URLSearchParams({
      signature: wechatSignature(e.services.channels.settings.wechat.token!, ts, nonce),
      timestamp: ts,
      nonce,
      openid: openId,
    });
    const res = await e.app.inject({
      method: 'POST',
      url: `/wechat?${q.toString()}`,
      headers: { 'content-type': 'text/xml' },
      payload: body,
    });
    expect(res.statusCode).toBe(200);
    lastReply = res.body;
    return (await e.db.selectFrom('contacts').select('id').where('external_id', '=', msgId).executeTakeFirstOrThrow())
      .id;
  }
  const metaOf = async (e: TestEnv, id: number) =>
    (await e.db.selectFrom('contacts').select('meta').where('id', '=', id).executeTakeFirstOrThrow()).meta;

  it('downloads a picture, a voice message and a video once each, with one token, and shows them to the agent', async () => {
    const e = env();
    e.clock.set('2025-06-03T10:00:00+08:00');
    const [img, voice, video] = [
      await push(e, 'image', 'IMG_OK'),
      await push(e, 'voice', 'VOICE_OK'),
      await push(e, 'video', 'VIDEO_OK'),
    ];
    expect((await metaOf(e, img)).media).toBe('not_fetched');
    const tokensBefore = wx.tokens;
    const pass = await fetcher(e).runOnce();
    expect(pass).toMatchObject({ fetched: 3, retried: 0, unavailable: 0 });
    expect(wx.tokens - tokensBefore).toBe(1); // the token is reused for the whole pass
    for (const [id, kind, mime] of [
      [img, 'image', 'image/png'],
      [voice, 'audio', 'audio/amr'],
      [video, 'video', 'video/mp4'],
    ] as const) {
      const meta = await metaOf(e, id);
      expect(meta.media).toBe('fetched');
      const att = await e.db
        .selectFrom('attachments')
        .select(['id', 'kind', 'mime', 'original_name'])
        .where('contact_id', '=', id)
        .executeTakeFirstOrThrow();
      expect([att.kind, att.mime]).toEqual([kind, mime]); // sniffed from the bytes, not from WeChat's label
      expect(meta.attachmentId).toBe(att.id);
    }
    const pop = expectStatus(await c.agent.get(`/api/contacts/${img}/screen-pop`), 200);
    expect(pop.contact.attachments).toHaveLength(1);
    const bytes = await c.agent.bytes(`/api/attachments/${pop.contact.attachments[0].id}`);
    expect(bytes.data.equals(PNG)).toBe(true);
    // a second pass has nothing to do
    const calls = wx.calls.length;
    expect(await fetcher(e).runOnce()).toEqual({ fetched: 0, retried: 0, unavailable: 0 });
    expect(wx.calls.length).toBe(calls);
  });

  it('an expired token is renewed once; a failing API is retried with backoff; expired or unreadable media are given up, with the reason', async () => {
    const e = env();
    e.clock.set('2025-06-04T10:00:00+08:00');
    const renewed = await push(e, 'image', 'IMG_OK');
    wx.expireNext = true;
    const f = fetcher(e);
    expect((await f.runOnce()).fetched).toBe(1);
    expect((await metaOf(e, renewed)).media).toBe('fetched');

    wx.flaky.set('VOICE_OK', 1);
    const flaky = await push(e, 'voice', 'VOICE_OK');
    expect(await f.runOnce()).toMatchObject({ retried: 1 });
    expect(await metaOf(e, flaky)).toMatchObject({
      media: 'not_fetched',
      mediaError: '微信接口 HTTP 502',
      mediaAttempts: 1,
    });
    expect(await f.runOnce()).toMatchObject({ retried: 0, fetched: 0 }); // not before the backoff has passed
    e.clock.advanceHours(2 / 60);
    expect(await f.runOnce()).toMatchObject({ fetched: 1 });

    const gone = await push(e, 'image', 'GONE');
    const junk = await push(e, 'image', 'NOT_MEDIA');
    expect(await f.runOnce()).toMatchObject({ unavailable: 2 });
    expect((await metaOf(e, gone)).mediaError).toContain('已失效');
    expect((await metaOf(e, junk)).mediaError).toContain('不支持的附件类型');

    // WeChat keeps temporary media for 3 days: an older message is not even asked for
    const old = await push(e, 'image', 'IMG_OK');
    e.clock.advanceHours(73);
    const before = wx.calls.length;
    expect(await f.runOnce()).toMatchObject({ unavailable: 1 });
    expect(wx.calls.length).toBe(before);
    expect((await metaOf(e, old)).mediaError).toContain('3 天');

    // an unreachable API is a transient failure like any other
    const offline = await push(e, 'image', 'IMG_OK');
    expect(await fetcher(e, 'http://127.0.0.1:9').runOnce()).toMatchObject({ retried: 1 });
    expect((await metaOf(e, offline)).mediaError).toBe('无法连接微信接口');
    // the agent's screen says what happened
    const pop = expectStatus(await c.agent.get(`/api/contacts/${gone}/screen-pop`), 200);
    expect(pop.contact.meta).toMatchObject({ media: 'unavailable' });
  });

  it('a picture fetched after the message was dispatched goes with the ticket to the unit', async () => {
    const e = env();
    e.clock.set('2025-06-05T10:00:00+08:00');
    const id = await push(e, 'image', 'IMG_OK');
    const d = expectStatus(
      await c.agent.post(`/api/contacts/${id}/disposition`, {
        disposition: 'dispatched',
        requestType: 'complaint',
        categoryId: e.ids.categories['CX-SZ'],
        regionCode: '371702001',
        title: '井盖缺失（微信图片）',
      }),
      200,
    );
    expectStatus(
      await c.dispatcher.post(`/api/tickets/${d.ticketId}/dispatch`, { leadUnitId: e.ids.units['gov-md'] }),
      200,
    );
    expect(expectStatus(await c.handlerMd.get(`/api/tickets/${d.ticketId}`), 200).attachments).toEqual([]);
    expect((await fetcher(e).runOnce()).fetched).toBe(1);
    const view = expectStatus(await c.handlerMd.get(`/api/tickets/${d.ticketId}`), 200);
    expect(view.attachments.map((a: any) => [a.kind, a.name])).toEqual([['image', '微信图片.png']]);
    expect((await c.handlerMd.get(`/api/attachments/${view.attachments[0].id}`)).status).toBe(200);
  });

  const wechatOutbox = (e: TestEnv) =>
    new OutboxWorker(
      e.db,
      e.clock,
      e.cipher,
      new WechatApiClient(
        { base: wx.base, appId: APPID, appSecret: SECRET, maxBytes: 1024 * 1024, timeoutMs: 5_000 },
        e.clock,
      ),
      { info: () => undefined, warn: () => undefined, error: () => undefined },
      { maxAttempts: 5, channel: 'wechat' },
    );

  it('a WeChat user is answered on WeChat: the disposition phrase, the ticket number and code, the reply notice with its survey', async () => {
    const e = env();
    e.clock.set('2025-06-06T10:00:00+08:00');
    const user = 'oQ5Tu6Hk3xL8yXz9AbCdReplyTest';
    // a question answered online: the standard phrase goes back as a customer-service message
    const q = await push(e, 'text', '请问居住证办理需要什么材料？', user);
    const answered = expectStatus(
      await c.agent.post(`/api/contacts/${q}/disposition`, {
        disposition: 'answered',
        answer: '携带身份证和租房合同到社区服务中心办理',
      }),
      200,
    );
    const queued = await e.db.selectFrom('outbound_messages').selectAll().where('contact_id', '=', q).execute();
    expect(queued.map((m) => [m.channel, m.purpose, m.body])).toEqual([['wechat', 'disposition', answered.replyText]]);
    expect(queued[0]!.to_enc).not.toContain(user);
    expect(e.cipher.decrypt(queued[0]!.to_enc)).toBe(user);
    // the SMS worker leaves WeChat messages alone; the WeChat worker delivers them
    const sms = new OutboxWorker(
      e.db,
      e.clock,
      e.cipher,
      { name: 'fake', send: async () => ({ providerId: 'x' }) },
      { info: () => undefined, warn: () => undefined, error: () => undefined },
      { maxAttempts: 3 },
    );
    expect((await sms.runOnce()).sent).toBe(0);
    const before = wx.sent.length;
    expect((await wechatOutbox(e).runOnce()).sent).toBeGreaterThanOrEqual(1);
    expect(wx.sent.slice(before)).toContainEqual({ to: user, type: 'text', text: answered.replyText });

    // a matter dispatched as a ticket: the number and tracking code reach the user on WeChat
    const k = await push(e, 'text', '和平路的井盖丢了，很危险', user);
    const d = expectStatus(
      await c.agent.post(`/api/contacts/${k}/disposition`, {
        disposition: 'dispatched',
        requestType: 'complaint',
        categoryId: e.ids.categories['CX-SZ'],
        regionCode: '371702001',
        title: '和平路井盖丢失',
      }),
      200,
    );
    await wechatOutbox(e).runOnce();
    expect(wx.sent.at(-1)).toMatchObject({
      to: user,
      text: expect.stringContaining(`工单号${d.ticketNumber}，查询码${d.trackingCode}`),
    });

    // the unit replies: the notice asks for 1/2/3 on WeChat, and the user's "1" is the evaluation, thanked at once
    expectStatus(
      await c.dispatcher.post(`/api/tickets/${d.ticketId}/dispatch`, { leadUnitId: e.ids.units['gov-md'] }),
      200,
    );
    expectStatus(await c.handlerMd.post(`/api/tickets/${d.ticketId}/accept`, {}), 200);
    expectStatus(
      await c.handlerMd.post(`/api/tickets/${d.ticketId}/contacts`, {
        method: 'other',
        reached: true,
        note: '微信联系',
      }),
      200,
    );
    expectStatus(
      await c.handlerMd.post(`/api/tickets/${d.ticketId}/reply`, { result: '已补装井盖', solved: true }),
      200,
    );
    await wechatOutbox(e).runOnce();
    expect(wx.sent.at(-1)).toMatchObject({ to: user, text: expect.stringContaining('已补装井盖') });
    expect(wx.sent.at(-1)!.text).toContain('1满意，2基本满意，3不满意');
    const a = await push(e, 'text', '1', user);
    expect(lastReply).toContain(SURVEY_THANKS);
    const v = expectStatus(await c.callback.get(`/api/tickets/${d.ticketId}`), 200);
    expect(v.evaluation).toMatchObject({ satisfaction: 'satisfied', via: 'wechat' });
    expect(
      (await e.db.selectFrom('contacts').select('status').where('id', '=', a).executeTakeFirstOrThrow()).status,
    ).toBe('disposed');
  });

  it('outside WeChat’s 48-hour window a message fails at once with the reason, and goes out when the user writes again', async () => {
    const e = env();
    e.clock.set('2025-06-07T10:00:00+08:00');
    const user = 'oQ5Tu6Hk3xL8yXz9AbCdLateUser';
    const q = await push(e, 'text', '咨询一下公积金提取', user);
    expectStatus(
      await c.agent.post(`/api/contacts/${q}/disposition`, {
        disposition: 'answered',
        answer: '可通过公积金中心网站办理',
      }),
      200,
    );
    wx.closedWindow.add(user);
    expect(await wechatOutbox(e).runOnce()).toMatchObject({ failed: 1, retried: 0 });
    const row = await e.db
      .selectFrom('outbound_messages')
      .select(['status', 'last_error', 'attempts'])
      .where('contact_id', '=', q)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'failed', attempts: 1 });
    expect(row.last_error).toContain('45015');

    // when the user writes again the window is open again, and the answer goes out — but not a message that
    // failed for another reason
    const other = await e.db
      .insertInto('outbound_messages')
      .values({
        channel: 'wechat',
        to_enc: e.cipher.encrypt(user),
        purpose: 'disposition',
        body: 'x',
        contact_id: q,
        created_at: e.clock.now(),
        status: 'failed',
        last_error: '用户已取消关注公众号（errcode 43004）',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    wx.closedWindow.delete(user);
    e.clock.advanceHours(72);
    await push(e, 'text', '还有一个问题想咨询', user);
    expect(
      (await e.db.selectFrom('outbound_messages').select('status').where('id', '=', other.id).executeTakeFirstOrThrow())
        .status,
    ).toBe('failed');
    expect(
      (
        await e.db
          .selectFrom('outbound_messages')
          .select('status')
          .where('contact_id', '=', q)
          .where('id', '!=', other.id)
          .executeTakeFirstOrThrow()
      ).status,
    ).toBe('pending');
    const before = wx.sent.length;
    expect(await wechatOutbox(e).runOnce()).toMatchObject({ sent: 1 });
    expect(wx.sent.slice(before)).toEqual([
      expect.objectContaining({ to: user, text: expect.stringContaining('公积金中心网站') }),
    ]);
    expect(
      (
        await e.db
          .selectFrom('outbound_messages')
          .select('status')
          .where('contact_id', '=', q)
          .where('id', '!=', other.id)
          .executeTakeFirstOrThrow()
      ).status,
    ).toBe('sent');
  });
});

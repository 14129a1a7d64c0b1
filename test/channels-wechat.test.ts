import { XMLParser } from 'fast-xml-parser';
import { sql } from 'kysely';
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEachDb, type TestEnv } from './helpers/test-env.js';
import { wechatSignature } from '../src/server/modules/channels/wechat.protocol.js';
import { WECHAT_RECEIPT } from '../src/server/modules/channels/wechat.service.js';

// Messages below are laid out exactly as the WeChat platform posts them (公众号开发文档「接收普通消息」):
// an <xml> root, CDATA text fields, CreateTime in seconds, a 64-bit MsgId, Content-Type text/xml, and the
// signature, timestamp, nonce and openid in the query string.
const ACCOUNT = 'gh_3f1e2d4c5b6a';
const OPENID = 'oQ5Tu6Hk3xL8yXz9AbCdEfGhIjKl';

const xml = (type: string, body: string, msgId = '2456789123456789012', from = OPENID) => `<xml>
  <ToUserName><![CDATA[${ACCOUNT}]]></ToUserName>
  <FromUserName><![CDATA[${from}]]></FromUserName>
  <CreateTime>1740965400</CreateTime>
  <MsgType><![CDATA[${type}]]></MsgType>
  ${body}
  <MsgId>${msgId}</MsgId>
</xml>`;

function signedQuery(e: TestEnv, over: Record<string, string> = {}) {
  const timestamp = '1740965401';
  const nonce = '1598476320';
  const q = {
    signature: wechatSignature(e.services.channels.settings.wechat.token!, timestamp, nonce),
    timestamp,
    nonce,
    openid: OPENID,
    ...over,
  };
  return new URLSearchParams(q).toString();
}
const parse = (s: string) => new XMLParser({ parseTagValue: false }).parse(s).xml;
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

describeEachDb('第二条 多渠道受理 — 微信公众号（消息推送协议）', (env) => {
  const push = (body: string, query = signedQuery(env()), contentType = 'text/xml') =>
    env().app.inject({
      method: 'POST',
      url: `/wechat?${query}`,
      headers: { 'content-type': contentType, 'user-agent': 'Mozilla/4.0' },
      payload: body,
    });

  it('answers the server verification with echostr when signed, and 401 when not', async () => {
    const e = env();
    const ok = await e.app.inject({
      method: 'GET',
      url: `/wechat?${signedQuery(e, { echostr: '8461731549318526465' })}`,
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toBe('8461731549318526465');
    const bad = await e.app.inject({
      method: 'GET',
      url: `/wechat?${signedQuery(e, { echostr: 'x', signature: 'a'.repeat(40) })}`,
    });
    expect(bad.statusCode).toBe(401);
    expect(bad.json().error.message).toBe('微信签名校验失败');
  });

  it('a text message becomes one contact of the openid, with a passive receipt reply; MsgId keeps all 64 bits', async () => {
    const e = env();
    const before = await counts(e);
    const msgId = '6054768590064713728'; // beyond 2^53: a JavaScript number would round it
    const res = await push(xml('text', '<Content><![CDATA[您好，和平路的窨井盖丢了，很危险。]]></Content>', msgId));
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('xml');
    const reply = parse(res.body);
    expect(reply).toMatchObject({
      ToUserName: OPENID,
      FromUserName: ACCOUNT,
      MsgType: 'text',
      Content: WECHAT_RECEIPT,
    });
    expect(reply.CreateTime).toMatch(/^\d{10}$/);
    expect(Buffer.byteLength(reply.Content)).toBeLessThanOrEqual(2048);
    const row = await e.db
      .selectFrom('contacts')
      .innerJoin('requesters', 'requesters.id', 'contacts.requester_id')
      .select(['contacts.id', 'channel', 'external_id', 'content', 'meta', 'received_at', 'wechat_hash'])
      .where('external_id', '=', msgId)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      channel: 'wechat',
      content: '您好，和平路的窨井盖丢了，很危险。',
      wechat_hash: e.cipher.keyedHash('wechat', OPENID),
    });
    expect(row.received_at.toISOString()).toBe(new Date(1740965400 * 1000).toISOString());
    expect(JSON.stringify(row.meta)).not.toContain(OPENID); // kept encrypted only
    expect(e.cipher.decrypt((row.meta as any).openIdEnc)).toBe(OPENID);
    expect((await counts(e)).contacts).toBe(before.contacts + 1);

    // WeChat redelivers when the answer took over 5 s: the same reply, no second row
    const again = await push(xml('text', '<Content><![CDATA[您好，和平路的窨井盖丢了，很危险。]]></Content>', msgId));
    expect(parse(again.body).Content).toBe(WECHAT_RECEIPT);
    expect((await counts(e)).contacts).toBe(before.contacts + 1);
    // the same openid later is the same requester
    await push(xml('text', '<Content><![CDATA[补充：在和平路东段]]></Content>', '6054768590064713729'));
    const same = await e.db
      .selectFrom('contacts')
      .select('requester_id')
      .where('external_id', 'in', [msgId, '6054768590064713729'])
      .execute();
    expect(new Set(same.map((s) => s.requester_id)).size).toBe(1);
  });

  it('image, voice and video keep WeChat’s media references (nothing is downloaded or faked)', async () => {
    const e = env();
    const before = await counts(e);
    await push(
      xml(
        'image',
        '<PicUrl><![CDATA[http://mmbiz.qpic.cn/mmbiz_jpg/abc/0]]></PicUrl>\n  <MediaId><![CDATA[media_id_img_1]]></MediaId>',
        '7000000000000000001',
      ),
    );
    await push(
      xml(
        'voice',
        '<MediaId><![CDATA[media_id_voice_1]]></MediaId>\n  <Format><![CDATA[amr]]></Format>\n  <Recognition><![CDATA[楼下饭店油烟太大了]]></Recognition>',
        '7000000000000000002',
      ),
    );
    await push(
      xml(
        'voice',
        '<MediaId><![CDATA[media_id_voice_2]]></MediaId>\n  <Format><![CDATA[speex]]></Format>',
        '7000000000000000003',
      ),
    );
    await push(
      xml(
        'video',
        '<MediaId><![CDATA[media_id_video_1]]></MediaId>\n  <ThumbMediaId><![CDATA[thumb_1]]></ThumbMediaId>',
        '7000000000000000004',
      ),
    );
    const rows = await e.db
      .selectFrom('contacts')
      .select(['external_id', 'content', 'meta'])
      .where('external_id', 'in', [
        '7000000000000000001',
        '7000000000000000002',
        '7000000000000000003',
        '7000000000000000004',
      ])
      .orderBy('external_id')
      .execute();
    expect(rows.map((r) => r.content)).toEqual(['[图片]', '楼下饭店油烟太大了', '[语音]', '[视频]']);
    expect(rows[0]!.meta).toMatchObject({
      msgType: 'image',
      mediaId: 'media_id_img_1',
      picUrl: 'http://mmbiz.qpic.cn/mmbiz_jpg/abc/0',
      media: 'not_fetched',
    });
    expect(rows[1]!.meta).toMatchObject({
      msgType: 'voice',
      mediaId: 'media_id_voice_1',
      format: 'amr',
      recognition: '楼下饭店油烟太大了',
    });
    expect(rows[3]!.meta).toMatchObject({ msgType: 'video', mediaId: 'media_id_video_1', thumbMediaId: 'thumb_1' });
    const after = await counts(e);
    expect(after.contacts).toBe(before.contacts + 4);
    expect(after.attachments).toBe(before.attachments);
  });

  it('第十三条: an emergency-sounding message is told to call the emergency line in the reply', async () => {
    const res = await push(xml('text', '<Content><![CDATA[我家楼下着火了！]]></Content>', '7000000000000000010'));
    expect(parse(res.body).Content).toContain('119');
  });

  it('events (subscribe) answer "success" and are not contacts', async () => {
    const e = env();
    const before = await counts(e);
    const subscribe = `<xml><ToUserName><![CDATA[${ACCOUNT}]]></ToUserName><FromUserName><![CDATA[${OPENID}]]></FromUserName><CreateTime>1740965400</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[subscribe]]></Event></xml>`;
    const res = await push(subscribe);
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('success');
    expect(await counts(e)).toEqual(before);
  });

  it('a wrong or missing signature is refused with 401 and nothing is stored', async () => {
    const e = env();
    const before = await counts(e);
    const body = xml('text', '<Content><![CDATA[伪造的消息]]></Content>', '7100000000000000001');
    for (const q of [
      signedQuery(e, { signature: wechatSignature('wrong-token', '1740965401', '1598476320') }),
      signedQuery(e, { nonce: 'changed' }),
      `timestamp=1&nonce=2&openid=${OPENID}`,
      '',
    ]) {
      const res = await push(body, q);
      expect(res.statusCode).toBe(401);
      expect(res.json().error.message).toBe('微信签名校验失败');
    }
    expect(await counts(e)).toEqual(before);
  });

  it('malformed or unexpected XML answers 400 in Chinese and writes nothing', async () => {
    const e = env();
    const before = await counts(e);
    const cases = [
      '<xml><ToUserName><![CDATA[gh]]></ToUserName><Content>未闭合</xml>',
      'this is not xml',
      '',
      '<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY x "boom">]><xml><ToUserName>&x;</ToUserName></xml>',
      xml('text', '', '7200000000000000001'), // text without Content
      xml('image', '<PicUrl><![CDATA[http://x]]></PicUrl>', '7200000000000000002'), // no MediaId
      xml('text', '<Content><![CDATA[x]]></Content>', 'abc'), // MsgId not a number
      xml('text', '<Content><![CDATA[a]]></Content><Content><![CDATA[b]]></Content>', '7200000000000000003'),
      `<xml><ToUserName><![CDATA[${ACCOUNT}]]></ToUserName><Encrypt><![CDATA[c2FmZSBtb2Rl]]></Encrypt></xml>`,
    ];
    for (const body of cases) {
      const res = await push(body);
      expect(res.statusCode, body).toBe(400);
      expect(res.json().error.message).toMatch(/微信消息格式不正确/);
    }
    expect((await push(JSON.stringify({ MsgType: 'text' }), signedQuery(e), 'application/json')).statusCode).toBe(400);
    const huge = await push(
      xml('text', `<Content><![CDATA[${'很长'.repeat(40_000)}]]></Content>`, '7200000000000000004'),
    );
    expect(huge.statusCode).toBe(413);
    expect(huge.json().error.message).toContain('微信消息过大');
    expect(await counts(e)).toEqual(before);
  });
});

// 安全模式: WeChat seals each message with the account's EncodingAESKey. The first case is Tencent's own sample
// request from its WXBizMsgCrypt SDK (token QDG6eK, AppID wx5823bf96d3bd56c7); the others are sealed here by
// `seal`, an implementation of the documented algorithm written only with node:crypto, independent of the
// library the server uses, so a shared mistake cannot hide.
const SAMPLE = {
  token: 'QDG6eK',
  appId: 'wx5823bf96d3bd56c7',
  aesKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C',
  msgSignature: '477715d11cdb4164915debcba66cb864d751f3e6',
  timestamp: '1409659813',
  nonce: '1372623149',
  body: '<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName><Encrypt><![CDATA[RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q==]]></Encrypt></xml>',
};

function aesKeyOf(encodingAesKey: string) {
  const key = Buffer.from(`${encodingAesKey}=`, 'base64');
  return { key, iv: key.subarray(0, 16) };
}
function seal(encodingAesKey: string, appId: string, message: string): string {
  const { key, iv } = aesKeyOf(encodingAesKey);
  const msg = Buffer.from(message);
  const len = Buffer.alloc(4);
  len.writeUInt32BE(msg.length);
  const plain = Buffer.concat([randomBytes(16), len, msg, Buffer.from(appId)]);
  const pad = 32 - (plain.length % 32);
  const c = createCipheriv('aes-256-cbc', key, iv).setAutoPadding(false);
  return Buffer.concat([c.update(Buffer.concat([plain, Buffer.alloc(pad, pad)])), c.final()]).toString('base64');
}
function unseal(encodingAesKey: string, sealed: string): { message: string; appId: string } {
  const { key, iv } = aesKeyOf(encodingAesKey);
  const d = createDecipheriv('aes-256-cbc', key, iv).setAutoPadding(false);
  const out = Buffer.concat([d.update(sealed, 'base64'), d.final()]);
  const plain = out.subarray(0, out.length - out[out.length - 1]!);
  const len = plain.readUInt32BE(16);
  return { message: plain.subarray(20, 20 + len).toString(), appId: plain.subarray(20 + len).toString() };
}
const sha1 = (...parts: string[]) => createHash('sha1').update(parts.sort().join('')).digest('hex');

describeEachDb('第二条 多渠道受理 — 微信公众号 安全模式（消息加解密）', (env) => {
  const KEYS = {
    token: 'heze12345safe',
    appId: 'wx8e1f2d3c4b5a6978',
    aesKey: 'Hz12345SafeModeKey0123456789abcdefghijklmno',
  };
  let saved: { token: string | null; appId: string | null; aesKey: string | null };
  const use = (k: { token: string; appId: string; aesKey: string } | { token: string; appId: null; aesKey: null }) =>
    Object.assign(env().services.channels.settings.wechat, k);
  beforeEach(() => {
    saved = { ...env().services.channels.settings.wechat };
    use(KEYS);
  });
  afterEach(() => {
    Object.assign(env().services.channels.settings.wechat, saved);
  });

  const sealedPush = (
    message: string,
    over: { appId?: string; msgSignature?: string; encrypted?: string; extra?: string } = {},
  ) => {
    const timestamp = '1740965401';
    const nonce = '720396154';
    const encrypted = over.encrypted ?? seal(KEYS.aesKey, over.appId ?? KEYS.appId, message);
    const q = new URLSearchParams({
      signature: sha1(KEYS.token, timestamp, nonce),
      timestamp,
      nonce,
      openid: OPENID,
      encrypt_type: 'aes',
      msg_signature: over.msgSignature ?? sha1(KEYS.token, timestamp, nonce, encrypted),
    });
    const body = `<xml><ToUserName><![CDATA[${ACCOUNT}]]></ToUserName>${over.extra ?? ''}<Encrypt><![CDATA[${encrypted}]]></Encrypt></xml>`;
    return env().app.inject({
      method: 'POST',
      url: `/wechat?${q.toString()}`,
      headers: { 'content-type': 'text/xml' },
      payload: body,
    });
  };

  it('opens Tencent’s own sample request and records its message', async () => {
    const e = env();
    use({ token: SAMPLE.token, appId: SAMPLE.appId, aesKey: SAMPLE.aesKey });
    const q = new URLSearchParams({
      signature: sha1(SAMPLE.token, SAMPLE.timestamp, SAMPLE.nonce),
      timestamp: SAMPLE.timestamp,
      nonce: SAMPLE.nonce,
      encrypt_type: 'aes',
      msg_signature: SAMPLE.msgSignature,
    });
    const res = await e.app.inject({
      method: 'POST',
      url: `/wechat?${q.toString()}`,
      headers: { 'content-type': 'text/xml' },
      payload: SAMPLE.body,
    });
    expect(res.statusCode).toBe(200);
    const row = await e.db
      .selectFrom('contacts')
      .select(['channel', 'content'])
      .where('external_id', '=', '4561255354251345929')
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ channel: 'wechat', content: 'hello' });
    // the reply is sealed for the same account and signed with the same token
    const env1 = parse(res.body);
    expect(env1.MsgSignature).toBe(sha1(SAMPLE.token, String(env1.TimeStamp), String(env1.Nonce), env1.Encrypt));
    expect(unseal(SAMPLE.aesKey, env1.Encrypt).appId).toBe(SAMPLE.appId);
  });

  it('a sealed message becomes one contact and gets a sealed, signed reply; a redelivery writes nothing', async () => {
    const e = env();
    const before = await counts(e);
    const msg = xml(
      'text',
      '<Content><![CDATA[东城街道和平路的路灯坏了一周了，晚上很黑]]></Content>',
      '7300000000000000001',
    );
    const res = await sealedPush(msg);
    expect(res.statusCode).toBe(200);
    const outer = parse(res.body);
    expect(Object.keys(outer).sort()).toEqual(['Encrypt', 'MsgSignature', 'Nonce', 'TimeStamp']);
    expect(String(outer.Nonce)).toBe('720396154');
    expect(String(outer.TimeStamp)).toMatch(/^\d{10}$/);
    expect(outer.MsgSignature).toBe(sha1(KEYS.token, String(outer.TimeStamp), String(outer.Nonce), outer.Encrypt));
    const inner = unseal(KEYS.aesKey, outer.Encrypt);
    expect(inner.appId).toBe(KEYS.appId);
    expect(parse(inner.message)).toMatchObject({
      ToUserName: OPENID,
      FromUserName: ACCOUNT,
      MsgType: 'text',
      Content: WECHAT_RECEIPT,
    });
    const row = await e.db
      .selectFrom('contacts')
      .select(['content', 'channel'])
      .where('external_id', '=', '7300000000000000001')
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ channel: 'wechat', content: '东城街道和平路的路灯坏了一周了，晚上很黑' });
    expect((await counts(e)).contacts).toBe(before.contacts + 1);
    const again = await sealedPush(msg);
    expect(again.statusCode).toBe(200);
    expect(parse(unseal(KEYS.aesKey, parse(again.body).Encrypt).message).Content).toBe(WECHAT_RECEIPT);
    expect((await counts(e)).contacts).toBe(before.contacts + 1);
  });

  it('兼容模式: the sealed copy is the message; plaintext beside it is not trusted', async () => {
    const e = env();
    const sealedText = xml('text', '<Content><![CDATA[加密的内容才是消息]]></Content>', '7300000000000000002');
    const res = await sealedPush(sealedText, {
      extra:
        '<FromUserName><![CDATA[oForged]]></FromUserName><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[明文被改过]]></Content><MsgId>7300000000000000009</MsgId>',
    });
    expect(res.statusCode).toBe(200);
    expect(
      await e.db
        .selectFrom('contacts')
        .select('content')
        .where('external_id', '=', '7300000000000000002')
        .executeTakeFirstOrThrow(),
    ).toEqual({ content: '加密的内容才是消息' });
    expect(
      await e.db
        .selectFrom('contacts')
        .select('id')
        .where('external_id', '=', '7300000000000000009')
        .executeTakeFirst(),
    ).toBeUndefined();
    // an event in safe mode answers a plain "success", as WeChat allows
    const ev = await sealedPush(
      `<xml><ToUserName><![CDATA[${ACCOUNT}]]></ToUserName><FromUserName><![CDATA[${OPENID}]]></FromUserName><CreateTime>1740965400</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[subscribe]]></Event></xml>`,
    );
    expect(ev.body).toBe('success');
  });

  it('a wrong msg_signature, another account’s message, a tampered or unreadable Encrypt, or no key: refused, nothing stored', async () => {
    const e = env();
    const before = await counts(e);
    const msg = xml('text', '<Content><![CDATA[不应被记录]]></Content>', '7300000000000000003');
    const badSig = await sealedPush(msg, { msgSignature: 'f'.repeat(40) });
    expect(badSig.statusCode).toBe(401);
    expect(badSig.json().error.message).toBe('微信消息签名（msg_signature）校验失败');
    const other = await sealedPush(msg, { appId: 'wx0000000000000000' });
    expect(other.statusCode).toBe(401);
    expect(other.json().error.message).toContain('AppID 不符');
    const good = seal(KEYS.aesKey, KEYS.appId, msg);
    const flipped = Buffer.from(good, 'base64');
    flipped[40] = flipped[40]! ^ 0xff; // signed by someone holding the token, but not sealed with our key
    const tampered = await sealedPush(msg, { encrypted: flipped.toString('base64') });
    expect([400, 401]).toContain(tampered.statusCode);
    const notBlocks = await sealedPush(msg, { encrypted: 'bm90IGEgYmxvY2s=' });
    expect(notBlocks.statusCode).toBe(400);
    expect(notBlocks.json().error.message).toContain('解密失败');
    use({ token: KEYS.token, appId: null, aesKey: null });
    const noKey = await sealedPush(msg);
    expect(noKey.statusCode).toBe(400);
    expect(noKey.json().error.message).toContain('WECHAT_ENCODING_AES_KEY');
    expect(await counts(e)).toEqual(before);
  });
});

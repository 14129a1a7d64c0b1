import { XMLParser } from 'fast-xml-parser';
import { sql } from 'kysely';
import { expect, it } from 'vitest';
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
  const q = { signature: wechatSignature(e.services.channels.settings.wechat.token!, timestamp, nonce), timestamp, nonce, openid: OPENID, ...over };
  return new URLSearchParams(q).toString();
}
const parse = (s: string) => new XMLParser({ parseTagValue: false }).parse(s).xml;
async function counts(e: TestEnv) {
  return (await sql<{ contacts: number; requesters: number; attachments: number }>`SELECT (SELECT count(*)::int FROM contacts) AS contacts,
    (SELECT count(*)::int FROM requesters) AS requesters, (SELECT count(*)::int FROM attachments) AS attachments`.execute(e.db)).rows[0]!;
}

describeEachDb('第二条 多渠道受理 — 微信公众号（消息推送协议）', (env) => {
  const push = (body: string, query = signedQuery(env()), contentType = 'text/xml') =>
    env().app.inject({ method: 'POST', url: `/wechat?${query}`, headers: { 'content-type': contentType, 'user-agent': 'Mozilla/4.0' }, payload: body });

  it('answers the server verification with echostr when signed, and 401 when not', async () => {
    const e = env();
    const ok = await e.app.inject({ method: 'GET', url: `/wechat?${signedQuery(e, { echostr: '8461731549318526465' })}` });
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toBe('8461731549318526465');
    const bad = await e.app.inject({ method: 'GET', url: `/wechat?${signedQuery(e, { echostr: 'x', signature: 'a'.repeat(40) })}` });
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
    expect(reply).toMatchObject({ ToUserName: OPENID, FromUserName: ACCOUNT, MsgType: 'text', Content: WECHAT_RECEIPT });
    expect(reply.CreateTime).toMatch(/^\d{10}$/);
    expect(Buffer.byteLength(reply.Content)).toBeLessThanOrEqual(2048);
    const row = await e.db.selectFrom('contacts').innerJoin('requesters', 'requesters.id', 'contacts.requester_id')
      .select(['contacts.id', 'channel', 'external_id', 'content', 'meta', 'received_at', 'wechat_hash']).where('external_id', '=', msgId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ channel: 'wechat', content: '您好，和平路的窨井盖丢了，很危险。', wechat_hash: e.cipher.keyedHash('wechat', OPENID) });
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
    const same = await e.db.selectFrom('contacts').select('requester_id').where('external_id', 'in', [msgId, '6054768590064713729']).execute();
    expect(new Set(same.map((s) => s.requester_id)).size).toBe(1);
  });

  it('image, voice and video keep WeChat’s media references (nothing is downloaded or faked)', async () => {
    const e = env();
    const before = await counts(e);
    await push(xml('image', '<PicUrl><![CDATA[http://mmbiz.qpic.cn/mmbiz_jpg/abc/0]]></PicUrl>\n  <MediaId><![CDATA[media_id_img_1]]></MediaId>', '7000000000000000001'));
    await push(xml('voice', '<MediaId><![CDATA[media_id_voice_1]]></MediaId>\n  <Format><![CDATA[amr]]></Format>\n  <Recognition><![CDATA[楼下饭店油烟太大了]]></Recognition>', '7000000000000000002'));
    await push(xml('voice', '<MediaId><![CDATA[media_id_voice_2]]></MediaId>\n  <Format><![CDATA[speex]]></Format>', '7000000000000000003'));
    await push(xml('video', '<MediaId><![CDATA[media_id_video_1]]></MediaId>\n  <ThumbMediaId><![CDATA[thumb_1]]></ThumbMediaId>', '7000000000000000004'));
    const rows = await e.db.selectFrom('contacts').select(['external_id', 'content', 'meta']).where('external_id', 'in', ['7000000000000000001', '7000000000000000002', '7000000000000000003', '7000000000000000004']).orderBy('external_id').execute();
    expect(rows.map((r) => r.content)).toEqual(['[图片]', '楼下饭店油烟太大了', '[语音]', '[视频]']);
    expect(rows[0]!.meta).toMatchObject({ msgType: 'image', mediaId: 'media_id_img_1', picUrl: 'http://mmbiz.qpic.cn/mmbiz_jpg/abc/0', media: 'not_fetched' });
    expect(rows[1]!.meta).toMatchObject({ msgType: 'voice', mediaId: 'media_id_voice_1', format: 'amr', recognition: '楼下饭店油烟太大了' });
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
    for (const q of [signedQuery(e, { signature: wechatSignature('wrong-token', '1740965401', '1598476320') }), signedQuery(e, { nonce: 'changed' }), `timestamp=1&nonce=2&openid=${OPENID}`, '']) {
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
      expect(res.json().error.message).toMatch(/微信消息格式不正确|不支持微信安全模式/);
    }
    expect((await push(JSON.stringify({ MsgType: 'text' }), signedQuery(e), 'application/json')).statusCode).toBe(400);
    const huge = await push(xml('text', `<Content><![CDATA[${'很长'.repeat(40_000)}]]></Content>`, '7200000000000000004'));
    expect(huge.statusCode).toBe(413);
    expect(huge.json().error.message).toContain('微信消息过大');
    expect(await counts(e)).toEqual(before);
  });
});

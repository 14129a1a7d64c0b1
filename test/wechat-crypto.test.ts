import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/server/config.js';
import { msgSignature, openSafeMode, sealReply } from '../src/server/modules/channels/wechat.crypto.js';

// Tencent's published WXBizMsgCrypt sample values (its Java SDK test): the same key, AppID and 16 random bytes
// must give exactly this ciphertext, byte for byte.
const JAVA_SAMPLE = {
  aesKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG',
  appId: 'wxb11529c136998cb6',
  token: 'pamtest',
  random: 'aaaabbbbccccdddd',
  message: '我是中文abcd123',
  sealed: 'jn1L23DB+6ELqJ+6bruv21Y6MD7KeIfP82D6gU39rmkgczbWwt5+3bnyg5K55bgVtVzd832WzZGMhkP72vVOfg==',
};

describe('第二条 微信公众号 消息加解密（WXBizMsgCrypt）', () => {
  const keys = { token: JAVA_SAMPLE.token, appId: JAVA_SAMPLE.appId, aesKey: JAVA_SAMPLE.aesKey };

  it('seals a reply exactly as Tencent’s SDK does, and signs it with sha1 of the sorted parts', () => {
    const out = sealReply(
      keys,
      JAVA_SAMPLE.message,
      new Date(1409304348_000),
      'xxxxxx',
      Buffer.from(JAVA_SAMPLE.random),
    );
    expect(out).toContain(`<Encrypt><![CDATA[${JAVA_SAMPLE.sealed}]]></Encrypt>`);
    expect(out).toContain('<TimeStamp>1409304348</TimeStamp>');
    expect(out).toContain(
      `<MsgSignature><![CDATA[${msgSignature('pamtest', '1409304348', 'xxxxxx', JAVA_SAMPLE.sealed)}]]></MsgSignature>`,
    );
  });

  it('opens what it sealed only with the right signature, and only for its own AppID', () => {
    const env = sealReply(keys, '<xml><MsgType><![CDATA[text]]></MsgType></xml>', new Date(1409304348_000), 'n1');
    const encrypted = /<Encrypt><!\[CDATA\[(.+?)\]\]>/.exec(env)![1]!;
    const q = {
      timestamp: '1409304348',
      nonce: 'n1',
      msg_signature: msgSignature('pamtest', '1409304348', 'n1', encrypted),
    };
    const body = `<xml><ToUserName><![CDATA[gh_x]]></ToUserName><Encrypt><![CDATA[${encrypted}]]></Encrypt></xml>`;
    expect(openSafeMode(keys, q, body)).toBe('<xml><MsgType><![CDATA[text]]></MsgType></xml>');
    expect(() => openSafeMode(keys, { ...q, nonce: 'n2' }, body)).toThrow('msg_signature');
    expect(() => openSafeMode(keys, { ...q, msg_signature: undefined }, body)).toThrow('msg_signature');
    expect(() => openSafeMode({ ...keys, appId: 'wx_other' }, q, body)).toThrow('AppID 不符');
    expect(() => openSafeMode(keys, q, '<xml><ToUserName>gh</ToUserName></xml>')).toThrow('缺少 Encrypt');
  });

  it('the EncodingAESKey must be 43 letters or digits and comes with the AppID; so does the AppSecret', () => {
    expect(() => loadConfig({ WECHAT_ENCODING_AES_KEY: 'short' })).toThrow('43 letters/digits');
    expect(() => loadConfig({ WECHAT_ENCODING_AES_KEY: JAVA_SAMPLE.aesKey })).toThrow('WECHAT_APPID is required');
    expect(
      loadConfig({ WECHAT_ENCODING_AES_KEY: JAVA_SAMPLE.aesKey, WECHAT_APPID: JAVA_SAMPLE.appId }).WECHAT_APPID,
    ).toBe(JAVA_SAMPLE.appId);
    // the AppSecret (media download, customer-service messages) likewise needs the AppID; the API base must be a URL
    expect(() => loadConfig({ WECHAT_APPSECRET: 'a1b2c3d4e5f60718293a4b5c6d7e8f90' })).toThrow(
      'WECHAT_APPID is required with WECHAT_APPSECRET',
    );
    expect(() =>
      loadConfig({
        WECHAT_APPID: 'wx1',
        WECHAT_APPSECRET: 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
        WECHAT_API_BASE: 'not a url',
      }),
    ).toThrow('WECHAT_API_BASE');
    expect(loadConfig({}).WECHAT_API_BASE).toBe('https://api.weixin.qq.com');
  });
});

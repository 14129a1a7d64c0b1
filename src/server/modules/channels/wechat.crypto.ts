import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { decrypt, encrypt } from '@wecom/crypto';
import { AppError } from '../../errors.js';
import { cdata, parseFlatXml } from './wechat.protocol.js';

// 公众号消息加解密 (安全模式 and 兼容模式). WeChat posts <xml><ToUserName/><Encrypt/></xml> with encrypt_type=aes and
// msg_signature = sha1(sort([token, timestamp, nonce, Encrypt]).join('')) in the query. Encrypt is
// base64(AES-256-CBC(random(16) ‖ msg_len(4, big-endian) ‖ msg ‖ AppID)) with key = base64(EncodingAESKey + '='),
// IV = the key's first 16 bytes and PKCS#7 padding to 32 bytes. The AES layer is Tencent's own WXBizMsgCrypt
// algorithm as packaged in @wecom/crypto; the signature, the AppID check and the envelopes are here.
// A passive reply to an encrypted message is sealed the same way; "success" needs no sealing.

export interface WechatKeys {
  token: string;
  appId: string;
  /** the 43-character EncodingAESKey */
  aesKey: string;
}

export function msgSignature(token: string, timestamp: string, nonce: string, encrypted: string): string {
  return createHash('sha1').update([token, timestamp, nonce, encrypted].sort().join('')).digest('hex');
}

function sameHex(given: string, expected: string): boolean {
  const a = Buffer.from(given.toLowerCase());
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The plaintext message inside a safe-mode push, or an error: 401 when msg_signature does not cover this
 * Encrypt or the message was sealed for another account, 400 when the envelope is not one WeChat would send.
 * The signature is checked before anything is decrypted.
 */
export function openSafeMode(
  keys: WechatKeys,
  q: { msg_signature?: string; timestamp?: string; nonce?: string },
  body: string,
): string {
  const envelope = parseFlatXml(body);
  const sealed = envelope.Encrypt;
  if (!sealed) throw new AppError('bad_request', '微信消息格式不正确：安全模式消息缺少 Encrypt');
  if (
    !q.msg_signature ||
    !q.timestamp ||
    !q.nonce ||
    !sameHex(q.msg_signature, msgSignature(keys.token, q.timestamp, q.nonce, sealed))
  ) {
    throw new AppError('unauthenticated', '微信消息签名（msg_signature）校验失败');
  }
  let opened: { message: string; id: string };
  try {
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(sealed) || Buffer.from(sealed, 'base64').length % 32 !== 0)
      throw new Error('not a sealed block');
    opened = decrypt(keys.aesKey, sealed);
  } catch {
    throw new AppError('bad_request', '微信消息解密失败：请核对 EncodingAESKey');
  }
  // The AppID at the end of the plaintext says which account the message was sealed for.
  if (opened.id !== keys.appId) throw new AppError('unauthenticated', '微信消息不是发给本公众号的（AppID 不符）');
  return opened.message;
}

/** Seals a passive reply for a safe-mode request: the envelope WeChat expects, signed with the same token. */
export function sealReply(
  keys: WechatKeys,
  replyXml: string,
  now: Date,
  nonce: string,
  random: Buffer = randomBytes(16),
): string {
  const sealed = encrypt(keys.aesKey, replyXml, keys.appId, random);
  const timestamp = String(Math.floor(now.getTime() / 1000));
  return (
    `<xml><Encrypt>${cdata(sealed)}</Encrypt><MsgSignature>${cdata(msgSignature(keys.token, timestamp, nonce, sealed))}</MsgSignature>` +
    `<TimeStamp>${timestamp}</TimeStamp><Nonce>${cdata(nonce)}</Nonce></xml>`
  );
}

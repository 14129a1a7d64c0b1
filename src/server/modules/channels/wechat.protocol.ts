import { createHash, timingSafeEqual } from 'node:crypto';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { AppError } from '../../errors.js';
import { hasNoNul, isWellFormed } from '../../../shared/contracts/common.js';

// The WeChat official-account message push protocol (公众号服务器配置; 安全模式 is in wechat.crypto.ts): every request carries
// signature = sha1(sort([token, timestamp, nonce]).join('')) in the query; the body is a flat <xml> document
// whose text fields are CDATA; the passive reply is the same kind of document and must come within 5 s.

export function wechatSignature(token: string, timestamp: string, nonce: string): string {
  return createHash('sha1').update([token, timestamp, nonce].sort().join('')).digest('hex');
}

export function signatureValid(token: string, q: { signature?: string; timestamp?: string; nonce?: string }): boolean {
  if (!q.signature || !q.timestamp || !q.nonce) return false;
  const expected = Buffer.from(wechatSignature(token, q.timestamp, q.nonce));
  const given = Buffer.from(q.signature.toLowerCase());
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export type WechatFields = Record<string, string>;

// Values stay strings: MsgId is a 64-bit number that a JavaScript number would round.
// The push format is flat (<xml><Field>…</Field></xml>): a few levels are plenty, and the parser's own bound
// turns 5 000 nested tags into a refusal instead of a deep walk (issue 8).
const MAX_XML_DEPTH = 4;
const parser = new XMLParser({
  parseTagValue: false,
  ignoreAttributes: true,
  trimValues: true,
  ignoreDeclaration: true,
  processEntities: true,
  maxNestedTags: MAX_XML_DEPTH,
});

const bad = (why: string) => new AppError('bad_request', `微信消息格式不正确：${why}`);

/** A flat <xml> document as WeChat writes them (the message, or the safe-mode envelope around it). */
export function parseFlatXml(body: string): WechatFields {
  if (!body.trim()) throw bad('消息体为空');
  // WeChat never sends a DTD; refusing one rules out entity-expansion tricks whatever the parser does.
  if (/<!DOCTYPE|<!ENTITY/i.test(body)) throw bad('不接受 DOCTYPE/ENTITY 声明');
  // PostgreSQL text cannot hold NUL, and WeChat never sends one
  if (!hasNoNul(body)) throw bad('含有空字符（\\u0000）');
  if (nestingDepth(body) > MAX_XML_DEPTH) throw bad('嵌套层级过深（微信消息是扁平的 XML）');
  const valid = XMLValidator.validate(body);
  if (valid !== true) throw bad(`XML 解析失败（第 ${valid.err.line} 行）`);
  let doc: Record<string, unknown>;
  try {
    doc = parser.parse(body) as Record<string, unknown>;
  } catch {
    throw bad('XML 解析失败');
  }
  const root = doc.xml;
  if (!root || typeof root !== 'object' || Array.isArray(root)) throw bad('缺少 <xml> 根元素');
  const fields: WechatFields = {};
  for (const [k, v] of Object.entries(root as Record<string, unknown>)) {
    // the push format is flat; an element given twice or with children is not a WeChat message
    if (typeof v !== 'string') throw bad(`字段 ${k} 重复或含有子元素`);
    // a character reference (&#0;, &#xD800;) can still spell what the raw text may not hold
    if (!hasNoNul(v) || !isWellFormed(v)) throw bad(`字段 ${k} 含有空字符或无效字符`);
    fields[k] = v;
  }
  return fields;
}

/** How deep the elements of an XML text nest, by one linear scan (CDATA, comments and declarations skipped). */
export function nestingDepth(xml: string): number {
  let depth = 0;
  let max = 0;
  let i = 0;
  while ((i = xml.indexOf('<', i)) !== -1) {
    const skipTo = xml.startsWith('<![CDATA[', i) ? ']]>' : xml.startsWith('<!--', i) ? '-->' : '>';
    const end = xml.indexOf(skipTo, i);
    if (end === -1) break; // unterminated: the validator refuses it
    if (skipTo === '>') {
      const c = xml[i + 1];
      if (c === '/') depth--;
      else if (c !== '?' && c !== '!' && xml[end - 1] !== '/') max = Math.max(max, ++depth);
    }
    i = end + skipTo.length;
  }
  return max;
}

/** The fields of one pushed (or decrypted) message; a clear 400 for anything WeChat would not send. */
export function parseWechatXml(body: string): WechatFields {
  const fields = parseFlatXml(body);
  // A safe-mode envelope carries only <Encrypt>; it is opened by wechat.crypto.ts when encrypt_type=aes.
  if (fields.Encrypt && !fields.MsgType) throw bad('安全模式消息须带 encrypt_type=aes 参数');
  for (const k of ['ToUserName', 'FromUserName', 'CreateTime', 'MsgType']) if (!fields[k]) throw bad(`缺少 ${k}`);
  if (!/^\d{1,12}$/.test(fields.CreateTime!)) throw bad('CreateTime 应为秒级时间戳');
  return fields;
}

/** Required fields per message type (公众号「接收普通消息」). */
export const REQUIRED: Record<string, string[]> = {
  text: ['Content', 'MsgId'],
  image: ['PicUrl', 'MediaId', 'MsgId'],
  voice: ['MediaId', 'Format', 'MsgId'],
  video: ['MediaId', 'ThumbMediaId', 'MsgId'],
  shortvideo: ['MediaId', 'ThumbMediaId', 'MsgId'],
  location: ['Location_X', 'Location_Y', 'MsgId'],
  link: ['Title', 'Url', 'MsgId'],
  event: ['Event'],
};

export const cdata = (s: string) => `<![CDATA[${s.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;

/** Passive text reply: to the sender's openid, from the account id; Content is limited to 2048 bytes. */
export function textReply(toOpenId: string, fromAccount: string, content: string, now: Date): string {
  let text = content;
  while (Buffer.byteLength(text) > 2048) text = [...text].slice(0, -1).join('');
  return (
    `<xml><ToUserName>${cdata(toOpenId)}</ToUserName><FromUserName>${cdata(fromAccount)}</FromUserName>` +
    `<CreateTime>${Math.floor(now.getTime() / 1000)}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content>${cdata(text)}</Content></xml>`
  );
}

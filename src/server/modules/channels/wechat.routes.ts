import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../errors.js';
import type { ChannelServices } from './channels.services.js';
import { chineseTooLarge } from './inline-files.js';
import { openSafeMode, sealReply, type WechatKeys } from './wechat.crypto.js';
import { parseWechatXml, signatureValid } from './wechat.protocol.js';

const signed = z.object({
  signature: z.string().max(100).optional(),
  timestamp: z.string().max(20).optional(),
  nonce: z.string().max(100).optional(),
  echostr: z.string().max(500).optional(),
  openid: z.string().max(100).optional(),
  encrypt_type: z.enum(['aes', 'raw'], { error: 'encrypt_type 只能是 aes 或 raw' }).optional(),
  msg_signature: z.string().max(100).optional(),
});

// 第二条 微信公众号. The URL is the one entered in the official account's 服务器配置: plaintext mode, or safe /
// compatible mode (encrypt_type=aes) when WECHAT_ENCODING_AES_KEY and WECHAT_APPID are set.
// The access log of these routes is kept at warn: WeChat puts the user's openid in the query string, and
// the lines this module logs itself carry only the message type and the contact id.
export function wechatRoutes(app: FastifyInstance, ch: ChannelServices) {
  app.register(async (sub) => {
    sub.addContentTypeParser(
      ['text/xml', 'application/xml'],
      { parseAs: 'string', bodyLimit: 64 * 1024 },
      (_req, body, done) => done(null, body),
    );
    chineseTooLarge(sub, '微信消息过大（不超过 64 KB）');
    const r = sub.withTypeProvider<ZodTypeProvider>();
    const tags = ['channels'];
    const token = () => {
      if (!ch.settings.wechat.token) throw new AppError('not_found', '微信公众号渠道未启用（未配置 WECHAT_TOKEN）');
      return ch.settings.wechat.token;
    };
    const refuse = () => new AppError('unauthenticated', '微信签名校验失败');
    const keys = (): WechatKeys => {
      const { aesKey, appId } = ch.settings.wechat;
      if (!aesKey || !appId)
        throw new AppError(
          'bad_request',
          '收到安全模式（加密）消息，但未配置 WECHAT_ENCODING_AES_KEY 和 WECHAT_APPID；请配置，或在公众号后台改用明文模式',
        );
      return { token: token(), aesKey, appId };
    };

    // Server URL verification when the administrator saves the configuration: echo echostr if signed.
    r.get(
      '/wechat',
      { logLevel: 'warn', schema: { tags, summary: '微信公众号服务器地址验证（echostr）', querystring: signed } },
      async (req, reply) => {
        if (!signatureValid(token(), req.query)) throw refuse();
        if (!req.query.echostr) throw new AppError('bad_request', '缺少 echostr');
        return reply.type('text/plain; charset=utf-8').send(req.query.echostr);
      },
    );

    r.post(
      '/wechat',
      { logLevel: 'warn', schema: { tags, summary: '微信公众号消息推送（XML，被动回复）', querystring: signed } },
      async (req, reply) => {
        // signature before parsing: an unsigned body is never looked at, let alone stored
        if (!signatureValid(token(), req.query)) throw refuse();
        if (typeof req.body !== 'string')
          throw new AppError('bad_request', '微信消息应为 XML（Content-Type: text/xml）');
        // Safe and compatible mode: the <Encrypt> element is the message; plaintext fields beside it (compatible
        // mode) are ignored, since only the sealed copy is covered by msg_signature.
        const sealed = req.query.encrypt_type === 'aes' ? keys() : null;
        const fields = parseWechatXml(sealed ? openSafeMode(sealed, req.query, req.body) : req.body);
        const out = await ch.wechat.receive(fields, null);
        app.log.info(
          {
            channel: 'wechat',
            reqId: req.id,
            msgType: out.msgType,
            contactId: out.contactId ?? null,
            duplicate: out.duplicate ?? false,
            encrypted: !!sealed,
          },
          'wechat message',
        );
        if (sealed && out.reply !== 'success')
          return sendReply(reply, sealReply(sealed, out.reply, ch.clock.now(), req.query.nonce!));
        return sendReply(reply, out.reply);
      },
    );
  });
}

function sendReply(reply: FastifyReply, body: string) {
  return reply.type(body === 'success' ? 'text/plain; charset=utf-8' : 'application/xml; charset=utf-8').send(body);
}

import type { Clock } from '../../clock.js';
import { PermanentSendError, type MessageSender } from './sms-sender.js';
import { WECHAT_WINDOW_CLOSED } from './channel-replies.js';

// The calls of the official-account API (api.weixin.qq.com) this system makes: the access token
// (cgi-bin/stable_token, client_credential with AppID and AppSecret, valid 7200 s) and a temporary media file
// (cgi-bin/media/get, kept by WeChat for 3 days). Pictures and voice come back as bytes; a video comes back
// as JSON {"video_url"} to download; errors come back as JSON {"errcode","errmsg"} — sometimes labelled
// text/plain. Replies to users go out as customer-service text messages (客服消息). The AppSecret (in a request body)
// and the token (in query strings) go only to WeChat and are never logged.

export type MediaResult =
  | { ok: true; data: Buffer }
  /** permanent: retrying cannot help (expired or unknown media, too large) */
  | { ok: false; permanent: boolean; reason: string };

export interface WechatMediaSource {
  fetchMedia(mediaId: string): Promise<MediaResult>;
}

/** errcodes meaning "the token is not (or no longer) valid": fetch a new one once and try again */
const TOKEN_ERRORS = new Set([40001, 40014, 42001]);
/** errcodes meaning the media cannot be had: invalid or expired media_id */
const MEDIA_GONE = new Set([40007, 40008]);

export interface WechatApiOptions {
  base: string;
  appId: string;
  appSecret: string;
  /** the largest file accepted (the attachment limit for video) */
  maxBytes: number;
  timeoutMs?: number;
}

class TransientError extends Error {}

export class WechatApiClient implements WechatMediaSource, MessageSender {
  private token: { value: string; until: number } | null = null;

  constructor(
    private readonly opts: WechatApiOptions,
    private readonly clock: Clock,
  ) {}

  private get timeout() {
    return AbortSignal.timeout(this.opts.timeoutMs ?? 20_000);
  }

  private async accessToken(renew: boolean): Promise<string> {
    const now = this.clock.now().getTime();
    if (!renew && this.token && this.token.until > now) return this.token.value;
    // stable_token, not token: every caller (several scheduler processes) gets the same valid token, and asking
    // again does not cut off the others, as the classic cgi-bin/token does.
    const res = await fetch(`${this.opts.base}/cgi-bin/stable_token`, {
      method: 'POST',
      signal: this.timeout,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        grant_type: 'client_credential',
        appid: this.opts.appId,
        secret: this.opts.appSecret,
        force_refresh: false,
      }),
    });
    if (!res.ok) throw new TransientError(`获取 access_token 失败：HTTP ${res.status}`);
    const body = (await res.json()) as {
      access_token?: string;
      expires_in?: number;
      errcode?: number;
      errmsg?: string;
    };
    if (!body.access_token) throw new TransientError(`获取 access_token 失败：errcode ${body.errcode ?? '?'}`);
    // renewed five minutes early, so a token never expires between the check and the call
    this.token = { value: body.access_token, until: now + Math.max(60, (body.expires_in ?? 7200) - 300) * 1000 };
    return this.token.value;
  }

  /**
   * 客服消息 (cgi-bin/message/custom/send): a text to a user who wrote to the account in the last 48 hours.
   * Throws PermanentSendError when WeChat will never accept it (window closed, user unsubscribed), any other
   * error for a retry. Implements the outbox's MessageSender with the openid as recipient.
   */
  readonly name = 'wechat-custom';
  async send(openId: string, text: string): Promise<{ providerId: string }> {
    for (const renew of [false, true]) {
      const q = new URLSearchParams({ access_token: await this.accessToken(renew) });
      const res = await fetch(`${this.opts.base}/cgi-bin/message/custom/send?${q.toString()}`, {
        method: 'POST',
        signal: this.timeout,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ touser: openId, msgtype: 'text', text: { content: text } }),
      });
      if (!res.ok) throw new Error(`微信接口 HTTP ${res.status}`);
      const body = (await res.json().catch(() => ({}))) as {
        errcode?: number;
        errmsg?: string;
        msgid?: number | string;
      };
      if (!body.errcode) return { providerId: body.msgid !== undefined ? String(body.msgid) : 'wechat' };
      if (TOKEN_ERRORS.has(body.errcode) && !renew) continue;
      if (body.errcode === 45015)
        throw new PermanentSendError(
          `超过 48 小时，微信不允许再向该用户发送客服消息（${WECHAT_WINDOW_CLOSED}），用户再次留言后重发`,
        );
      if (body.errcode === 43004) throw new PermanentSendError('用户已取消关注公众号（errcode 43004）');
      if (body.errcode === 40003) throw new PermanentSendError('openid 无效（errcode 40003）');
      throw new Error(`微信接口错误 errcode ${body.errcode}`);
    }
    throw new Error('access_token 无效');
  }

  async fetchMedia(mediaId: string): Promise<MediaResult> {
    try {
      for (const renew of [false, true]) {
        const q = new URLSearchParams({ access_token: await this.accessToken(renew), media_id: mediaId });
        const res = await fetch(`${this.opts.base}/cgi-bin/media/get?${q.toString()}`, { signal: this.timeout });
        if (!res.ok) return { ok: false, permanent: false, reason: `微信接口 HTTP ${res.status}` };
        const type = res.headers.get('content-type') ?? '';
        if (!/json|text\/plain/.test(type)) return this.read(res);
        const body = (await res.json().catch(() => ({}))) as { errcode?: number; errmsg?: string; video_url?: string };
        if (body.video_url) return this.download(body.video_url);
        if (body.errcode !== undefined && TOKEN_ERRORS.has(body.errcode) && !renew) continue;
        if (body.errcode !== undefined && MEDIA_GONE.has(body.errcode))
          return { ok: false, permanent: true, reason: `微信素材已失效（errcode ${body.errcode}，临时素材保存 3 天）` };
        return { ok: false, permanent: false, reason: `微信接口错误 errcode ${body.errcode ?? '?'}` };
      }
      return { ok: false, permanent: false, reason: 'access_token 无效' };
    } catch (err) {
      const why =
        err instanceof TransientError
          ? err.message
          : err instanceof Error && err.name === 'TimeoutError'
            ? '微信接口超时'
            : '无法连接微信接口';
      return { ok: false, permanent: false, reason: why };
    }
  }

  private async download(url: string): Promise<MediaResult> {
    const res = await fetch(url, { signal: this.timeout });
    if (!res.ok) return { ok: false, permanent: false, reason: `视频下载 HTTP ${res.status}` };
    return this.read(res);
  }

  /** The body, refused once it passes the limit (the declared length is checked first, then the bytes). */
  private async read(res: Response): Promise<MediaResult> {
    const tooLarge: MediaResult = {
      ok: false,
      permanent: true,
      reason: `文件超过 ${Math.round(this.opts.maxBytes / 1024 / 1024)} MB`,
    };
    if (Number(res.headers.get('content-length') ?? 0) > this.opts.maxBytes) {
      await res.body?.cancel();
      return tooLarge;
    }
    const chunks: Buffer[] = [];
    let total = 0;
    for await (const chunk of (res.body ?? []) as AsyncIterable<Uint8Array>) {
      total += chunk.length;
      if (total > this.opts.maxBytes) return tooLarge;
      chunks.push(Buffer.from(chunk));
    }
    return { ok: true, data: Buffer.concat(chunks) };
  }
}

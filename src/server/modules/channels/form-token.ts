import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../../clock.js';
import { AppError } from '../../errors.js';
import type { PiiCipher } from '../../security/pii-cipher.js';
import type { ChannelSettings } from './channel-settings.js';

// Anti-spam for the public web form without a CAPTCHA service: the page first fetches a signed token; a
// submission must come at least minFillMs and at most ttlMs after it. The token's nonce is also the web
// contact's external id, so a double-clicked submit is recorded once and a token cannot be replayed.
// The signature is a keyed hash under the PII key's hash subkey, so no separate secret is configured.

export interface IssuedFormToken {
  token: string;
  minFillSeconds: number;
  expiresInSeconds: number;
}

export class FormTokens {
  constructor(
    private readonly cipher: PiiCipher,
    private readonly clock: Clock,
    private readonly settings: ChannelSettings['webForm'],
  ) {}

  issue(): IssuedFormToken {
    const payload = `${this.clock.now().getTime().toString(36)}.${randomBytes(16).toString('base64url')}`;
    return {
      token: `${payload}.${this.sign(payload)}`,
      minFillSeconds: Math.ceil(this.settings.minFillMs / 1000),
      expiresInSeconds: Math.floor(this.settings.ttlMs / 1000),
    };
  }

  /** The token's nonce when it is genuine and its age is within bounds; a Chinese refusal otherwise. */
  check(token: string | undefined): string {
    const invalid = new AppError('bad_request', '表单校验失败，请刷新页面后重新填写', { field: 'formToken' });
    const m = /^([0-9a-z]{1,12})\.([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})$/.exec(token ?? '');
    if (!m) throw invalid;
    const [, ts, nonce, sig] = m;
    // signed under any configured key version: a form opened just before a restart with a new PII key still submits
    const given = Buffer.from(sig!);
    const genuine = this.cipher
      .keyedHashes('web-form-token', `${ts}.${nonce}`)
      .some((h) => timingSafeEqual(given, Buffer.from(h)));
    if (!genuine) throw invalid;
    const age = this.clock.now().getTime() - parseInt(ts!, 36);
    if (age < this.settings.minFillMs)
      throw new AppError('bad_request', '提交过快，请确认填写内容后再提交', { field: 'formToken' });
    if (age > this.settings.ttlMs)
      throw new AppError('bad_request', '表单已过期，请刷新页面后重新填写', { field: 'formToken' });
    return nonce!;
  }

  private sign(payload: string): string {
    return this.cipher.keyedHash('web-form-token', payload);
  }
}

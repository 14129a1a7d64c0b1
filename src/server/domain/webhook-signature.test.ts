import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  parseSignatureHeader,
  REPLAY_WINDOW_SECONDS,
  signatureHeader,
  signPayload,
  verifySignature,
} from './webhook-signature.js';

describe('第三十条 webhook signatures', () => {
  const body = '{"schemaVersion":"1","id":"42"}';
  const ts = 1_741_000_000;

  it('is HMAC-SHA256 over "timestamp.body", hex — what a receiver computes with any HMAC library', () => {
    expect(signPayload('whsec_a', ts, body)).toBe(
      createHmac('sha256', 'whsec_a').update(`${ts}.${body}`).digest('hex'),
    );
  });

  it('signs with the current secret first and the previous one during its grace period', () => {
    const h = signatureHeader(['new', 'old'], ts, body);
    expect(h).toBe(`v1=${signPayload('new', ts, body)},v1=${signPayload('old', ts, body)}`);
    expect(parseSignatureHeader(h)).toHaveLength(2);
    expect(() => signatureHeader([], ts, body)).toThrow();
  });

  it('verifies with either secret; a changed body, a wrong secret or a stale timestamp fail', () => {
    const header = signatureHeader(['new', 'old'], ts, body);
    const input = { header, timestamp: String(ts), body };
    expect(verifySignature(input, 'new', ts)).toEqual({ ok: true });
    expect(verifySignature(input, 'old', ts + REPLAY_WINDOW_SECONDS)).toEqual({ ok: true });
    expect(verifySignature(input, 'other', ts)).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifySignature({ ...input, body: `${body} ` }, 'new', ts)).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifySignature(input, 'new', ts + REPLAY_WINDOW_SECONDS + 1)).toEqual({ ok: false, reason: 'stale' });
    expect(verifySignature(input, 'new', ts - REPLAY_WINDOW_SECONDS - 1)).toEqual({ ok: false, reason: 'stale' });
    // the timestamp is signed: moving it forward to pass the window breaks the signature
    expect(verifySignature({ ...input, timestamp: String(ts + 1000) }, 'new', ts + 1000)).toEqual({
      ok: false,
      reason: 'mismatch',
    });
  });

  it('refuses malformed headers without throwing', () => {
    for (const [header, timestamp] of [
      [undefined, String(ts)],
      ['v1=abc', String(ts)],
      ['v0=' + 'a'.repeat(64), String(ts)],
      [signatureHeader(['k'], ts, body), undefined],
      [signatureHeader(['k'], ts, body), 'yesterday'],
      [signatureHeader(['k'], ts, body), '1'.repeat(20)],
    ] as const)
      expect(verifySignature({ header, timestamp, body }, 'k', ts)).toEqual({ ok: false, reason: 'malformed' });
    expect(parseSignatureHeader(' v1=' + 'f'.repeat(64) + ' , t=1, v1=zz')).toEqual(['f'.repeat(64)]);
  });
});

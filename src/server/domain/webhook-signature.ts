import { createHmac, timingSafeEqual } from 'node:crypto';

// 第三十条: what the centre pushes to a unit's system is signed, so the receiver knows it came from the hotline and
// was not changed or replayed. HMAC-SHA256 over `${timestamp}.${body}` with the subscription's secret, hex:
//   X-Hz-Timestamp: 1741000000            (seconds since the epoch, the time of this attempt)
//   X-Hz-Signature: v1=<hex>[,v1=<hex>]   (a second v1 while a rotated-out secret is still in its grace period)
// A receiver accepts when any v1 matches one of its secrets and the timestamp is within its replay window.

export const SIGNATURE_SCHEME = 'v1';
/** The replay window receivers are told to use (docs/data-sharing.md). */
export const REPLAY_WINDOW_SECONDS = 300;

export function signPayload(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

/** The header value for the secrets in force: the current one first, then the previous one during its grace. */
export function signatureHeader(secrets: string[], timestamp: number, body: string): string {
  if (secrets.length === 0) throw new Error('no signing secret');
  return secrets.map((s) => `${SIGNATURE_SCHEME}=${signPayload(s, timestamp, body)}`).join(',');
}

export function parseSignatureHeader(header: string): string[] {
  return header
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p.startsWith(`${SIGNATURE_SCHEME}=`))
    .map((p) => p.slice(SIGNATURE_SCHEME.length + 1))
    .filter((h) => /^[0-9a-f]{64}$/.test(h));
}

export type VerifyResult = { ok: true } | { ok: false; reason: 'malformed' | 'stale' | 'mismatch' };

/** What a receiver does (and what the tests' receiver does): constant-time compare, then the replay window. */
export function verifySignature(
  input: { header: string | undefined; timestamp: string | undefined; body: string },
  secret: string,
  nowSeconds: number,
  windowSeconds = REPLAY_WINDOW_SECONDS,
): VerifyResult {
  if (!input.header || !input.timestamp || !/^\d{1,12}$/.test(input.timestamp))
    return { ok: false, reason: 'malformed' };
  const ts = Number(input.timestamp);
  const candidates = parseSignatureHeader(input.header);
  if (candidates.length === 0) return { ok: false, reason: 'malformed' };
  if (Math.abs(nowSeconds - ts) > windowSeconds) return { ok: false, reason: 'stale' };
  const expected = Buffer.from(signPayload(secret, ts, input.body), 'hex');
  const match = candidates.some((c) => {
    const got = Buffer.from(c, 'hex');
    return got.length === expected.length && timingSafeEqual(got, expected);
  });
  return match ? { ok: true } : { ok: false, reason: 'mismatch' };
}

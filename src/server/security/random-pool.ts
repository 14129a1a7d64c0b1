import { randomFillSync } from 'node:crypto';

// Small random values (AES-GCM nonces, CSP nonces) from a pool the system's generator fills 4 KiB at a time. Each
// randomBytes() is a call into OpenSSL of its own; a ticket takes four or five of them, ≈ 2.5 % of the app's thread
// at 8 tickets in flight (issue 8). Same generator, fewer calls. A used pool is never filled again — a new one is
// allocated — so the bytes handed out never change and no two callers ever get the same bytes.

const POOL_BYTES = 4096;
let pool = Buffer.alloc(0);
let used = 0;

/** `n` (1–256) fresh random bytes from the pool. */
export function pooledRandomBytes(n: number): Buffer {
  if (!Number.isInteger(n) || n < 1 || n > 256) throw new RangeError(`pooledRandomBytes: 1–256 bytes, not ${n}`);
  if (used + n > pool.length) {
    pool = randomFillSync(Buffer.allocUnsafe(POOL_BYTES));
    used = 0;
  }
  const out = pool.subarray(used, used + n);
  used += n;
  return out;
}

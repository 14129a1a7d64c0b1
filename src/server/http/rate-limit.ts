import type { FastifyReply, FastifyRequest } from 'fastify';
import { sql, type Kysely } from 'kysely';
import type { Clock } from '../clock.js';
import type { DB } from '../db/schema.js';
import { AppError } from '../errors.js';
import type { PiiCipher } from '../security/pii-cipher.js';

/** Windows older than this are deleted as new ones start. */
const KEEP_MS = 3_600_000;

/**
 * A fixed-window limiter per client address, counted in the database so that any number of HTTP processes share
 * one count: enough to slow down guessing of tracking codes and form spam. Windows follow the app's clock like
 * every other time rule. The address is personal data: only its keyed hash is stored.
 */
export function rateLimit(
  deps: { db: Kysely<DB>; clock: Clock; cipher: PiiCipher },
  opts: { max: number; windowMs: number; key: string },
) {
  return async (req: FastifyRequest, _reply: FastifyReply) => {
    const now = deps.clock.now().getTime();
    const windowStart = new Date(now - (now % opts.windowMs));
    const key = `${opts.key}:${deps.cipher.keyedHash('rate-limit', req.ip)}`;
    const r = await sql<{ hits: number }>`
      INSERT INTO rate_limit_windows (key, window_start, hits) VALUES (${key}, ${windowStart}, 1)
      ON CONFLICT (key, window_start) DO UPDATE SET hits = rate_limit_windows.hits + 1
      RETURNING hits`.execute(deps.db);
    const hits = r.rows[0]!.hits;
    // a client's first hit in a window is the moment to drop windows nobody needs any more
    if (hits === 1)
      await deps.db
        .deleteFrom('rate_limit_windows')
        .where('window_start', '<', new Date(now - KEEP_MS))
        .execute();
    if (hits > opts.max) throw new AppError('too_many_requests', '操作过于频繁，请稍后再试');
  };
}

import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../clock.js';
import { AppError } from '../errors.js';

/**
 * A fixed-window limiter per client address, in process memory. Enough to slow down guessing of tracking
 * codes and form spam on one instance; behind several instances each keeps its own window (documented).
 */
export function rateLimit(clock: Clock, opts: { max: number; windowMs: number; key: string }) {
  const hits = new Map<string, { n: number; until: number }>();
  return async (req: FastifyRequest, _reply: FastifyReply) => {
    const now = clock.now().getTime(); // the app's clock, like every other time rule
    const id = `${opts.key}:${req.ip}`;
    let h = hits.get(id);
    if (!h || h.until <= now) {
      h = { n: 0, until: now + opts.windowMs };
      hits.set(id, h);
      if (hits.size > 50_000) for (const [k, v] of hits) if (v.until <= now) hits.delete(k);
    }
    h.n += 1;
    if (h.n > opts.max) throw new AppError('too_many_requests', '操作过于频繁，请稍后再试');
  };
}

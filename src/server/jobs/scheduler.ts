import type { Kysely } from 'kysely';
import type { FastifyBaseLogger } from 'fastify';
import type { DB } from '../db/schema.js';
import type { Clock } from '../clock.js';
import { sweepDeadlines } from './deadline-sweeper.js';

/** Runs the deadline sweep every interval; a sweep never overlaps the previous one in this process. */
export function startScheduler(db: Kysely<DB>, clock: Clock, intervalMs: number, log: FastifyBaseLogger) {
  let running = false;
  let stopped = false;
  const tick = async () => {
    if (running || stopped) return;
    running = true;
    try {
      const r = await sweepDeadlines(db, clock);
      if (r.warned || r.breached) log.info({ job: 'deadline-sweep', ...r }, 'deadlines swept');
    } catch (err) {
      log.error({ job: 'deadline-sweep', err }, 'deadline sweep failed');
    } finally {
      running = false;
    }
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  void tick();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      while (running) await new Promise((r) => setTimeout(r, 20));
    },
  };
}

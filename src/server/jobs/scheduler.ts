import type { Kysely } from 'kysely';
import type { FastifyBaseLogger } from 'fastify';
import type { DB } from '../db/schema.js';
import type { Clock } from '../clock.js';
import { sweepDeadlines } from './deadline-sweeper.js';

/**
 * Runs `pass` every interval; passes never overlap in this process (other processes are kept apart by
 * the jobs' own row locks). `stop` waits for a pass under way, so a shutdown never cuts a transaction.
 */
export function startRecurringJob(
  name: string,
  intervalMs: number,
  log: FastifyBaseLogger,
  pass: () => Promise<Record<string, number>>,
) {
  let running = false;
  let stopped = false;
  const tick = async () => {
    if (running || stopped) return;
    running = true;
    try {
      const r = await pass();
      if (Object.values(r).some((n) => n > 0)) log.info({ job: name, ...r }, `${name} pass`);
    } catch (err) {
      log.error({ job: name, err }, `${name} pass failed`);
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void tick(), intervalMs);
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

/** The deadline sweep (第八条 限时办结): warnings and breaches. */
export function startScheduler(db: Kysely<DB>, clock: Clock, intervalMs: number, log: FastifyBaseLogger) {
  return startRecurringJob('deadline-sweep', intervalMs, log, async () => ({ ...(await sweepDeadlines(db, clock)) }));
}

import type { Kysely } from 'kysely';
import type { FastifyBaseLogger } from 'fastify';
import type { DB } from '../db/schema.js';
import type { Clock } from '../clock.js';
import { sweepDeadlines } from './deadline-sweeper.js';
import { sweepKnowledgeNotices } from '../modules/knowledge/knowledge-notices.service.js';
import { refreshTermStats } from '../modules/knowledge/knowledge-search.repository.js';
import { TERM_STATS_MIN_DOCS } from '../domain/knowledge-search.js';
import { reportJobRun } from '../modules/health/ops-events.js';
import { recordHeartbeat } from '../modules/health/health.repository.js';
import { runSupervisionTriggers } from './supervision-triggers.js';
import { assessmentRollupPass } from './assessment-rollup.js';
import { rollupAnalytics } from './analytics-rollup.js';
import { classifierTrainingPass } from './classifier-training.js';
import { runEarlyWarnings } from './early-warnings.js';
import { forecastPass } from './forecast-monthly.js';
import { emergingTermsPass } from './emerging-terms.js';
import { purgeExpiredSessions } from './session-purge.js';
import { tableUpkeepPass } from './table-upkeep.js';

/**
 * Runs `pass` every interval; passes never overlap in this process (other processes are kept apart by
 * the jobs' own row locks). `stop` waits for a pass under way, so a shutdown never cuts a transaction; a long pass
 * asks `stopping()` between its transactions and ends early.
 */
export function startRecurringJob(
  name: string,
  intervalMs: number,
  log: FastifyBaseLogger,
  pass: (stopping: () => boolean) => Promise<Record<string, number>>,
) {
  let running = false;
  let stopped = false;
  const tick = async () => {
    if (running || stopped) return;
    running = true;
    const t0 = performance.now();
    try {
      const r = await pass(() => stopped);
      reportJobRun(name, true, (performance.now() - t0) / 1000);
      if (Object.values(r).some((n) => n > 0)) log.info({ job: name, ...r }, `${name} pass`);
    } catch (err) {
      reportJobRun(name, false, (performance.now() - t0) / 1000);
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
export function startScheduler(
  db: Kysely<DB>,
  clock: Clock,
  intervalMs: number,
  log: FastifyBaseLogger,
  kind: 'pglite' | 'postgres',
) {
  // the heartbeat after a completed sweep tells /readyz of every process that some scheduler is sweeping
  const deadlines = startRecurringJob('deadline-sweep', intervalMs, log, async () => {
    const swept = await sweepDeadlines(db, clock);
    await recordHeartbeat(db, 'deadline-sweep', clock.now(), intervalMs);
    return { ...swept };
  });
  // 第十八条: owners hear of expiring, expired and stale articles (idempotent; a day-scale matter, so every 10 minutes)
  const knowledge = startRecurringJob('knowledge-notices', Math.max(intervalMs, 600_000), log, () =>
    sweepKnowledgeNotices(db, clock),
  );
  // 第十八条 search: in how many titles each word is, so a search leaves out what finds everything (every 3 hours)
  const termStats = startRecurringJob('knowledge-term-stats', Math.max(intervalMs, 3 * 3_600_000), log, () =>
    refreshTermStats(db, clock.now(), TERM_STATS_MIN_DOCS),
  );
  // 第二十二条: supervision triggers over the new events (cursor; several schedulers never open a case twice)
  const supervision = startRecurringJob('supervision-triggers', intervalMs, log, () =>
    runSupervisionTriggers(db, clock),
  );
  // 第二十四条: assessment facts and daily counters from the new events, GB/T 33358 service figures (at most every minute)
  const assessment = startRecurringJob('assessment-rollup', Math.max(intervalMs, 60_000), log, () =>
    assessmentRollupPass(db, clock.now()),
  );
  // 第二十七条: the hot-spot rollup (day × region × category × channel × type) from the new events; the first pass at
  // start-up fills a fresh demo history's year at once
  const analytics = startRecurringJob('analytics-rollup', Math.max(intervalMs, 60_000), log, () =>
    rollupAnalytics(db, clock.now()),
  );
  // 第四条 智能分类: retrain the category model weekly or after many new tickets (checked hourly; one trainer at a time)
  const classifier = startRecurringJob('classifier-training', Math.max(intervalMs, 3_600_000), log, () =>
    classifierTrainingPass(db, clock),
  );
  // 第二十八条(二): next month's forecasts and the units' 预案提醒 — computed when missing (a new month, or a fresh start
  // once the analytics rollup has caught up); checked every 10 minutes (one index look-up when nothing is missing)
  const forecasts = startRecurringJob('forecast-monthly', Math.max(intervalMs, 600_000), log, () =>
    forecastPass(db, clock.now()),
  );
  // 第二十八条(三)(四) 新兴诉求词: the words of new tickets counted (every 5 minutes), the last complete week ranked once it is
  // counted in full (a new week, or a fresh start)
  const emerging = startRecurringJob('emerging-terms', Math.max(intervalMs, 300_000), log, (stopping) =>
    emergingTermsPass(db, clock.now(), { stopping }),
  );
  // 第二十七条 风险预警: collective requests every pass; spikes once a day, once the rollup holds yesterday (so the
  // start-up passes catch up after the analytics rollup's first pass); state rows locked SKIP LOCKED, unique causes
  const warnings = startRecurringJob('early-warnings', Math.max(intervalMs, 60_000), log, () =>
    runEarlyWarnings(db, clock),
  );
  // 第六条: sessions past their lifetime are deleted (hourly; refused at every request already)
  const sessions = startRecurringJob('session-purge', Math.max(intervalMs, 3_600_000), log, () =>
    purgeExpiredSessions(db, clock.now()),
  );
  // the embedded PGlite has no autovacuum: its tables are vacuumed and analysed by autovacuum's rule (every 10 minutes;
  // the first pass at start-up analyses a freshly seeded demo history)
  const upkeep =
    kind === 'pglite'
      ? startRecurringJob('table-upkeep', Math.max(intervalMs, 600_000), log, () => tableUpkeepPass(db))
      : null;
  return {
    async stop() {
      await Promise.all([
        upkeep?.stop(),
        sessions.stop(),
        warnings.stop(),
        deadlines.stop(),
        knowledge.stop(),
        termStats.stop(),
        supervision.stop(),
        assessment.stop(),
        analytics.stop(),
        classifier.stop(),
        forecasts.stop(),
        emerging.stop(),
      ]);
    },
  };
}

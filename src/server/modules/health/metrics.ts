import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { DB } from '../../db/schema.js';
import { poolStats } from '../../db/database.js';
import type { Clock } from '../../clock.js';
import * as repo from './health.repository.js';
import { listenToOps } from './ops-events.js';
import { probe } from './probe.js';

// Prometheus metrics of one app (docs/operations.md lists them with alert thresholds). One Registry per app, never
// prom-client's global one: tests build many apps in one process, and a metric registered twice in one registry
// throws. Figures that live in the database (outbox, webhooks, deadlines, the scheduler's heartbeat) are read at
// scrape time with the bounded queries of health.repository.ts, each with a time limit; counters of what happens
// in this process (requests, job passes, login failures) are kept in memory and start at 0 with the process.

export interface AppMetrics {
  readonly registry: Registry;
  /** The Prometheus text exposition of every metric (runs the scrape-time queries). */
  scrape(): Promise<string>;
  readonly contentType: string;
  /** Stops listening to job and login reports (the app closes). */
  close(): void;
}

const QUERY_TIMEOUT_MS = 2_000;
const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const JOB_SECONDS = [0.01, 0.05, 0.25, 1, 5, 15, 60, 300];

const age = (now: Date, t: Date | null) => (t ? Math.max(0, (now.getTime() - t.getTime()) / 1000) : 0);

/**
 * One scrape asks each scrape-time query once although several gauges show its result: the gauges collecting for
 * the same scrape (the same `generation`) share the query's promise; the next scrape asks again.
 */
function sharedPerScrape<T>(generation: () => number, load: () => Promise<T>): () => Promise<T> {
  let cached: { generation: number; value: Promise<T> } | null = null;
  return () => {
    if (cached?.generation !== generation()) cached = { generation: generation(), value: load() };
    return cached.value;
  };
}

export function createMetrics(app: FastifyInstance, deps: { db: Kysely<DB>; clock: Clock }): AppMetrics {
  const registry = new Registry();
  let generation = 0;
  const scrapeNo = () => generation;
  const registers = [registry];
  collectDefaultMetrics({ register: registry });
  const { db, clock } = deps;

  const collectErrors = new Counter({
    name: 'metrics_collect_errors_total',
    help: 'Scrape-time database reads that failed or ran out of time, per gauge (left out of that scrape).',
    labelNames: ['source'],
    registers,
  });
  /** Runs a scrape-time query; on failure its gauges are reset (absent) rather than showing a stale value. */
  const fromDb = async <T>(source: string, load: () => Promise<T>, show: (v: T) => void, gauges: Gauge[]) => {
    const r = await probe(load, QUERY_TIMEOUT_MS);
    if (r.ok) return show(r.value);
    for (const g of gauges) g.reset();
    collectErrors.inc({ source });
    app.log.warn({ source, error: r.error }, 'metrics: scrape-time query failed');
  };

  // ---- HTTP: by route pattern (never the raw URL, which carries ids) and status class ----------------------------
  const labelNames = ['method', 'route', 'status_class'] as const;
  const requests = new Counter({ name: 'http_requests_total', help: 'HTTP requests answered.', labelNames, registers });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time from receiving a request to sending its response.',
    labelNames,
    buckets: SECONDS,
    registers,
  });
  app.addHook('onResponse', async (req, reply) => {
    const labels = {
      method: req.method,
      // a request no route matched has no pattern; its URL is anyone's text and would make series without end
      route: req.routeOptions.url ?? 'unmatched',
      status_class: `${Math.floor(reply.statusCode / 100)}xx`,
    };
    requests.inc(labels);
    duration.observe(labels, reply.elapsedTime / 1000);
  });

  // ---- database pool ------------------------------------------------------------------------------------------
  new Gauge({
    name: 'db_pool_connections',
    help: 'Connections of the database pool by state (PGlite: its one connection).',
    labelNames: ['state'],
    registers,
    collect() {
      const s = poolStats(db);
      if (!s) return;
      this.set({ state: 'total' }, s.total);
      this.set({ state: 'idle' }, s.idle);
    },
  });
  new Gauge({
    name: 'db_pool_waiting_clients',
    help: 'Queries waiting for a connection of the pool.',
    registers,
    collect() {
      const s = poolStats(db);
      if (s) this.set(s.waiting);
    },
  });
  new Gauge({
    name: 'db_pool_max_connections',
    help: 'Size limit of the database pool.',
    registers,
    collect() {
      const s = poolStats(db);
      if (s) this.set(s.max);
    },
  });

  // ---- outbox, webhooks, deadline sweep, scheduler heartbeat (scrape time) -------------------------------------
  const outbox = sharedPerScrape(scrapeNo, () => repo.outboxBacklog(db));
  const outboxCount: Gauge = new Gauge({
    name: 'outbox_backlog_messages',
    help: `Outbound messages not yet delivered (pending or being sent), per channel; counted up to ${repo.BACKLOG_CAP}.`,
    labelNames: ['channel'],
    registers,
    collect: () =>
      fromDb(
        'outbox',
        outbox,
        (b) => {
          for (const [channel, v] of Object.entries(b)) outboxCount.set({ channel }, v.count);
        },
        [outboxCount, outboxAge],
      ),
  });
  const outboxAge: Gauge = new Gauge({
    name: 'outbox_oldest_pending_age_seconds',
    help: 'Age of the oldest outbound message not yet delivered, per channel (0 when none waits).',
    labelNames: ['channel'],
    registers,
    collect: () =>
      fromDb(
        'outbox',
        outbox,
        (b) => {
          const now = clock.now();
          for (const [channel, v] of Object.entries(b)) outboxAge.set({ channel }, age(now, v.oldest));
        },
        [outboxCount, outboxAge],
      ),
  });
  const webhooks = sharedPerScrape(scrapeNo, () => repo.webhookBacklog(db));
  const webhookCount: Gauge = new Gauge({
    name: 'webhook_backlog_deliveries',
    help: `Webhook deliveries to units not yet delivered (pending or being sent); counted up to ${repo.BACKLOG_CAP}.`,
    registers,
    collect: () => fromDb('webhooks', webhooks, (b) => webhookCount.set(b.count), [webhookCount, webhookAge]),
  });
  const webhookAge: Gauge = new Gauge({
    name: 'webhook_oldest_pending_age_seconds',
    help: 'Age of the oldest webhook delivery not yet delivered (0 when none waits).',
    registers,
    collect: () =>
      fromDb('webhooks', webhooks, (b) => webhookAge.set(age(clock.now(), b.oldest)), [webhookCount, webhookAge]),
  });
  const sweeperLag: Gauge = new Gauge({
    name: 'deadline_sweeper_lag_seconds',
    help: 'How long the oldest deadline has been past due without being marked breached (0 when up to date).',
    registers,
    collect: async () => {
      const now = clock.now();
      await fromDb(
        'deadlines',
        () => repo.oldestUnsweptDeadline(db, now),
        (due) => sweeperLag.set(age(now, due)),
        [sweeperLag],
      );
    },
  });
  const heartbeatAge: Gauge = new Gauge({
    name: 'scheduler_heartbeat_age_seconds',
    help: 'Time since a scheduler process last completed the deadline sweep (absent when none ever did).',
    labelNames: ['job'],
    registers,
    collect: () =>
      fromDb(
        'heartbeat',
        () => repo.heartbeat(db, 'deadline-sweep'),
        (beat) => {
          heartbeatAge.reset();
          if (beat) heartbeatAge.set({ job: 'deadline-sweep' }, age(clock.now(), new Date(beat.last_run_at)));
        },
        [heartbeatAge],
      ),
  });

  // ---- what this process does: job passes, login failures ----------------------------------------------------------
  const jobRuns = new Counter({
    name: 'scheduler_job_runs_total',
    help: 'Passes of the recurring jobs run by this process, per job.',
    labelNames: ['job'],
    registers,
  });
  const jobFailures = new Counter({
    name: 'scheduler_job_failures_total',
    help: 'Passes of the recurring jobs that failed (threw), per job.',
    labelNames: ['job'],
    registers,
  });
  const jobDuration = new Histogram({
    name: 'scheduler_job_duration_seconds',
    help: 'Duration of the recurring jobs’ passes, per job.',
    labelNames: ['job'],
    buckets: JOB_SECONDS,
    registers,
  });
  const loginFailures = new Counter({
    name: 'login_failures_total',
    help: 'Sign-ins refused for a wrong user name or password (第六、三十条; throttled attempts are not counted).',
    registers,
  });
  const loginLocks = new Counter({
    name: 'login_locks_total',
    help: 'Accounts locked by repeated failed sign-ins.',
    registers,
  });
  const stopListening = listenToOps({
    jobRun(job, ok, seconds) {
      jobRuns.inc({ job });
      if (!ok) jobFailures.inc({ job });
      jobDuration.observe({ job }, seconds);
    },
    loginFailure(locked) {
      loginFailures.inc();
      if (locked) loginLocks.inc();
    },
  });

  return {
    registry,
    contentType: registry.contentType,
    scrape: () => {
      generation += 1;
      return registry.metrics();
    },
    close: stopListening,
  };
}

import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Clock } from '../../clock.js';
import { MIGRATION_NAMES } from '../../db/migrate.js';
import { assessReadiness, type Readiness, type ReadinessLimits } from '../../domain/readiness.js';
import * as repo from './health.repository.js';
import { probe } from './probe.js';

export interface ReadinessOptions extends ReadinessLimits {
  /** each probe's time limit; the database's `select 1` past it is "unavailable" */
  probeTimeoutMs: number;
}

export const DEFAULT_READINESS: ReadinessOptions = {
  outboxMaxAgeSeconds: 900,
  sweeperMaxLagSeconds: 300,
  probeTimeoutMs: 2_000,
};

/** /readyz: the database first (503 without it), then the dependencies the platform degrades without. */
export class ReadinessService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: Clock,
    private readonly opts: ReadinessOptions = DEFAULT_READINESS,
  ) {}

  async check(): Promise<Readiness> {
    const limit = this.opts.probeTimeoutMs;
    const t0 = performance.now();
    const ping = await probe(() => repo.ping(this.db), limit);
    const now = this.clock.now();
    if (!ping.ok) return assessReadiness({ database: ping }, this.opts, now);
    const database = { ok: true as const, ms: Math.round(performance.now() - t0) };
    const [migrations, scheduler, outbox, deadlineSweeper] = await Promise.all([
      probe(async () => {
        const applied = new Set(await repo.appliedMigrations(this.db));
        const known = new Set(MIGRATION_NAMES);
        return {
          pending: MIGRATION_NAMES.filter((m) => !applied.has(m)),
          unknown: [...applied].filter((m) => !known.has(m)),
        };
      }, limit),
      probe(async () => {
        const beat = await repo.heartbeat(this.db, 'deadline-sweep');
        return beat ? { lastRunAt: new Date(beat.last_run_at), intervalMs: beat.interval_ms } : null;
      }, limit),
      probe(async () => {
        const backlog = await repo.outboxBacklog(this.db);
        return Object.fromEntries(Object.entries(backlog).map(([c, b]) => [c, b.oldest]));
      }, limit),
      probe(() => repo.oldestUnsweptDeadline(this.db, now), limit),
    ]);
    return assessReadiness({ database, migrations, scheduler, outbox, deadlineSweeper }, this.opts, now);
  }
}

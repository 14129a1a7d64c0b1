// /readyz: what the probes found, judged. Pure: the service gathers the facts, this decides what they mean.
//
// Only an unreachable database makes the process unready (503: a load balancer should send its traffic elsewhere,
// since nothing works without it). Everything else the process can still serve through is "degraded" (200 with the
// checks that are not ok), so a monitor sees it but the balancer does not drain healthy processes because, say,
// the SMS gateway is down.

export type CheckStatus = 'ok' | 'degraded' | 'unavailable' | 'unknown';

export interface CheckResult {
  status: CheckStatus;
  [detail: string]: unknown;
}

/** What one probe found; `error` when its query failed or ran out of time (the database answered `select 1`). */
type Probe<T> = { ok: true; value: T } | { ok: false; error: 'timeout' | 'error' };

export interface ReadinessFacts {
  database: { ok: true; ms: number } | { ok: false; error: 'timeout' | 'error' };
  /** absent when the database did not answer: nothing else was asked */
  migrations?: Probe<{ pending: string[]; unknown: string[] }>;
  /** the deadline sweep's last completed pass anywhere; null when none was ever recorded */
  scheduler?: Probe<{ lastRunAt: Date; intervalMs: number } | null>;
  /** oldest undelivered message per channel (null: none waits) */
  outbox?: Probe<Record<string, Date | null>>;
  /** due time of the oldest deadline past due and not yet marked (null: the sweeper is up to date) */
  deadlineSweeper?: Probe<Date | null>;
}

export interface ReadinessLimits {
  /** an undelivered message older than this degrades (the gateway or the outbox worker is not keeping up) */
  outboxMaxAgeSeconds: number;
  /** a deadline past due and unmarked for longer than this degrades (no scheduler sweeps, or it cannot keep up) */
  sweeperMaxLagSeconds: number;
}

/** A heartbeat is stale after three of its intervals (a slow pass is not an outage), and never before a minute. */
export function heartbeatStaleAfterSeconds(intervalMs: number): number {
  return Math.max(60, (3 * intervalMs) / 1000);
}

export interface Readiness {
  status: 'ready' | 'degraded' | 'unavailable';
  httpStatus: 200 | 503;
  /** names of the checks that are not ok (and not merely unknown) */
  degraded: string[];
  checks: Record<string, CheckResult>;
}

const ageSeconds = (now: Date, t: Date) => Math.max(0, Math.floor((now.getTime() - t.getTime()) / 1000));

function judge<T>(probe: Probe<T> | undefined, ok: (v: T) => CheckResult): CheckResult {
  if (!probe) return { status: 'unknown' };
  if (!probe.ok) return { status: 'degraded', error: probe.error };
  return ok(probe.value);
}

export function assessReadiness(facts: ReadinessFacts, limits: ReadinessLimits, now: Date): Readiness {
  if (!facts.database.ok) {
    return {
      status: 'unavailable',
      httpStatus: 503,
      degraded: ['database'],
      checks: { database: { status: 'unavailable', error: facts.database.error } },
    };
  }
  const checks: Record<string, CheckResult> = {
    database: { status: 'ok', ms: facts.database.ms },
    migrations: judge(facts.migrations, ({ pending, unknown }) =>
      pending.length || unknown.length
        ? // pending: start the migrating release; unknown: this code is older than the database (a rolled-back release)
          { status: 'degraded', pending, unknown }
        : { status: 'ok' },
    ),
    scheduler: judge(facts.scheduler, (beat) => {
      if (!beat) return { status: 'unknown', lastSweepAt: null };
      const age = ageSeconds(now, beat.lastRunAt);
      return {
        status: age > heartbeatStaleAfterSeconds(beat.intervalMs) ? 'degraded' : 'ok',
        lastSweepAt: beat.lastRunAt.toISOString(),
        ageSeconds: age,
      };
    }),
    outbox: judge(facts.outbox, (oldest) => {
      const ages = Object.fromEntries(
        Object.entries(oldest).map(([channel, t]) => [channel, t ? ageSeconds(now, t) : 0]),
      );
      const late = Object.keys(ages).filter((c) => ages[c]! > limits.outboxMaxAgeSeconds);
      return {
        status: late.length ? 'degraded' : 'ok',
        oldestPendingSeconds: ages,
        ...(late.length ? { lateChannels: late } : {}),
      };
    }),
    deadlineSweeper: judge(facts.deadlineSweeper, (oldestDue) => {
      const lag = oldestDue ? ageSeconds(now, oldestDue) : 0;
      return { status: lag > limits.sweeperMaxLagSeconds ? 'degraded' : 'ok', lagSeconds: lag };
    }),
  };
  const degraded = Object.keys(checks).filter((k) => checks[k]!.status === 'degraded');
  return { status: degraded.length ? 'degraded' : 'ready', httpStatus: 200, degraded, checks };
}

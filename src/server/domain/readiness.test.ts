import { describe, expect, it } from 'vitest';
import { assessReadiness, heartbeatStaleAfterSeconds, type ReadinessFacts } from './readiness.js';

const NOW = new Date('2025-03-03T09:00:00+08:00');
const ago = (s: number) => new Date(NOW.getTime() - s * 1000);
const LIMITS = { outboxMaxAgeSeconds: 900, sweeperMaxLagSeconds: 300 };
const ok = <T>(value: T) => ({ ok: true as const, value });

const healthy: ReadinessFacts = {
  database: { ok: true, ms: 3 },
  migrations: ok({ pending: [], unknown: [] }),
  scheduler: ok({ lastRunAt: ago(10), intervalMs: 15_000 }),
  outbox: ok({ sms: null, wechat: ago(60), weibo: null }),
  deadlineSweeper: ok(null),
};

describe('等保 2.0 readiness: what the probes found, judged', () => {
  it('all ok: ready, 200, nothing degraded, the figures shown', () => {
    expect(assessReadiness(healthy, LIMITS, NOW)).toEqual({
      status: 'ready',
      httpStatus: 200,
      degraded: [],
      checks: {
        database: { status: 'ok', ms: 3 },
        migrations: { status: 'ok' },
        scheduler: { status: 'ok', lastSweepAt: ago(10).toISOString(), ageSeconds: 10 },
        outbox: { status: 'ok', oldestPendingSeconds: { sms: 0, wechat: 60, weibo: 0 } },
        deadlineSweeper: { status: 'ok', lagSeconds: 0 },
      },
    });
  });

  it.each(['error', 'timeout'] as const)(
    'a database that answers with %s: unavailable, 503, nothing else asked',
    (error) => {
      expect(assessReadiness({ database: { ok: false, error } }, LIMITS, NOW)).toEqual({
        status: 'unavailable',
        httpStatus: 503,
        degraded: ['database'],
        checks: { database: { status: 'unavailable', error } },
      });
    },
  );

  it('migrations pending (start the release that migrates) or unknown (code older than the database) degrade', () => {
    for (const m of [
      { pending: ['0025-scheduler-heartbeat'], unknown: [] },
      { pending: [], unknown: ['0099-newer'] },
    ]) {
      const r = assessReadiness({ ...healthy, migrations: ok(m) }, LIMITS, NOW);
      expect(r).toMatchObject({ status: 'degraded', httpStatus: 200, degraded: ['migrations'] });
      expect(r.checks.migrations).toEqual({ status: 'degraded', ...m });
    }
  });

  it('the scheduler heartbeat: stale after three intervals, never before a minute; never seen is unknown, not degraded', () => {
    expect(heartbeatStaleAfterSeconds(15_000)).toBe(60);
    expect(heartbeatStaleAfterSeconds(60_000)).toBe(180);
    const at = (age: number, intervalMs = 15_000) =>
      assessReadiness({ ...healthy, scheduler: ok({ lastRunAt: ago(age), intervalMs }) }, LIMITS, NOW);
    expect(at(60).checks.scheduler!.status).toBe('ok');
    expect(at(61).checks.scheduler!.status).toBe('degraded');
    expect(at(61).degraded).toEqual(['scheduler']);
    expect(at(180, 60_000).checks.scheduler!.status).toBe('ok');
    expect(at(181, 60_000).checks.scheduler!.status).toBe('degraded');
    // a clock a little behind the scheduler's: age 0, not negative
    expect(at(-5).checks.scheduler).toMatchObject({ status: 'ok', ageSeconds: 0 });
    const never = assessReadiness({ ...healthy, scheduler: ok(null) }, LIMITS, NOW);
    expect(never).toMatchObject({ status: 'ready', degraded: [] });
    expect(never.checks.scheduler).toEqual({ status: 'unknown', lastSweepAt: null });
  });

  it('the outbox: a channel whose oldest undelivered message is past the limit degrades, and is named', () => {
    const r = assessReadiness(
      { ...healthy, outbox: ok({ sms: ago(901), wechat: ago(900), weibo: null }) },
      LIMITS,
      NOW,
    );
    expect(r).toMatchObject({ status: 'degraded', degraded: ['outbox'] });
    expect(r.checks.outbox).toEqual({
      status: 'degraded',
      oldestPendingSeconds: { sms: 901, wechat: 900, weibo: 0 },
      lateChannels: ['sms'],
    });
  });

  it('the deadline sweeper: a deadline past due and unmarked beyond the limit degrades', () => {
    const at = (lag: number) => assessReadiness({ ...healthy, deadlineSweeper: ok(ago(lag)) }, LIMITS, NOW);
    expect(at(300).checks.deadlineSweeper).toEqual({ status: 'ok', lagSeconds: 300 });
    expect(at(301).checks.deadlineSweeper).toEqual({ status: 'degraded', lagSeconds: 301 });
    expect(at(301).degraded).toEqual(['deadlineSweeper']);
  });

  it('a probe that failed or timed out degrades its check; a probe not made is unknown', () => {
    const r = assessReadiness(
      {
        ...healthy,
        outbox: { ok: false, error: 'timeout' },
        migrations: { ok: false, error: 'error' },
        scheduler: undefined,
      },
      LIMITS,
      NOW,
    );
    expect(r.status).toBe('degraded');
    expect(r.degraded).toEqual(['migrations', 'outbox']);
    expect(r.checks.outbox).toEqual({ status: 'degraded', error: 'timeout' });
    expect(r.checks.scheduler).toEqual({ status: 'unknown' });
  });

  it('several degraded checks are all named, in a fixed order', () => {
    const r = assessReadiness(
      {
        ...healthy,
        migrations: ok({ pending: ['x'], unknown: [] }),
        scheduler: ok({ lastRunAt: ago(3600), intervalMs: 15_000 }),
        outbox: ok({ sms: ago(3600) }),
        deadlineSweeper: ok(ago(3600)),
      },
      LIMITS,
      NOW,
    );
    expect(r).toMatchObject({
      status: 'degraded',
      httpStatus: 200,
      degraded: ['migrations', 'scheduler', 'outbox', 'deadlineSweeper'],
    });
  });
});

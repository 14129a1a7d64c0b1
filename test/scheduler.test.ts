import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import { sweepDeadlines } from '../src/server/jobs/deadline-sweeper.js';
import { expectStatus } from './helpers/api.js';
import { dispatchedTicket, loginAll, type Clients } from './helpers/factories.js';
import { describeEachDb } from './helpers/test-env.js';

describeEachDb('第八条 限时办结 deadline scheduler', (env, kind) => {
  // The races below need a server with many connections; PGlite has exactly one, so they exist only there.
  const onServer = (name: string, fn: () => Promise<void>) => (kind === 'postgres' ? it(name, fn) : undefined);
  let c: Clients;
  beforeAll(async () => {
    c = await loginAll(env());
  });

  it('warns a working day ahead, then marks the breach, once each', async () => {
    const e = env();
    e.clock.set('2025-03-03T09:00:00+08:00');
    const id = await dispatchedTicket(e, c, 'gov-md');
    await sweepDeadlines(e.db, e.clock); // nothing due yet for this ticket
    let v = expectStatus(await c.handlerMd.get(`/api/tickets/${id}`), 200);
    expect(v.deadlines.find((d: any) => d.kind === 'accept').state).toBe('ok');

    // accept is due at the end of Tuesday; warned from the end of Monday
    e.clock.set('2025-03-04T08:00:00+08:00');
    await sweepDeadlines(e.db, e.clock);
    v = expectStatus(await c.handlerMd.get(`/api/tickets/${id}`), 200);
    expect(v.deadlines.find((d: any) => d.kind === 'accept').state).toBe('warning');
    expect(v.events.filter((x: any) => x.kind === 'deadline_warned').map((x: any) => x.data.deadlineKind)).toEqual([
      'accept',
    ]);

    e.clock.set('2025-03-05T08:00:00+08:00');
    await sweepDeadlines(e.db, e.clock);
    await sweepDeadlines(e.db, e.clock); // a second sweep changes nothing
    v = expectStatus(await c.handlerMd.get(`/api/tickets/${id}`), 200);
    expect(v.deadlines.find((d: any) => d.kind === 'accept').state).toBe('breached');
    expect(v.events.filter((x: any) => x.kind === 'deadline_breached')).toHaveLength(1);

    // accepting late settles it as met late
    expectStatus(await c.handlerMd.post(`/api/tickets/${id}/accept`, {}), 200);
    v = expectStatus(await c.handlerMd.get(`/api/tickets/${id}`), 200);
    expect(v.deadlines.find((d: any) => d.kind === 'accept').state).toBe('met_late');
    expect(v.deadlines.find((d: any) => d.kind === 'accept').met).toBe(false);
  });

  onServer(
    'two app processes sweeping one PostgreSQL never mark a deadline twice (FOR UPDATE SKIP LOCKED)',
    async () => {
      const e = env();
      e.clock.set('2025-03-03T09:00:00+08:00');
      const ids: number[] = [];
      for (let i = 0; i < 30; i++) ids.push(await dispatchedTicket(e, c, i % 2 ? 'gov-md' : 'cgj'));
      // Far in the future every open deadline of every ticket is breached.
      e.clock.set('2026-06-01T09:00:00+08:00');
      const open = await e.db
        .selectFrom('deadlines')
        .select(sql<number>`count(*)::int`.as('n'))
        .where('met_at', 'is', null)
        .where('cancelled_at', 'is', null)
        .where('breached_at', 'is', null)
        .executeTakeFirstOrThrow();
      const [a, b] = [await e.openSecondHandle(), await e.openSecondHandle()];
      // Small batches make the two sweepers interleave many times. Which of them marks how many is up to the
      // scheduler of the machine (one may finish before the other starts), so only the sum is asserted: every open
      // deadline is marked, none twice — including the rows one sweeper drops from its batch on re-check.
      const [ra, rb] = await Promise.all([sweepDeadlines(a.db, e.clock, 7), sweepDeadlines(b.db, e.clock, 7)]);
      expect(ra.breached + rb.breached).toBe(open.n);
      const dup = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM (
        SELECT data->>'deadlineId' FROM ticket_events WHERE kind = 'deadline_breached' GROUP BY 1 HAVING count(*) > 1) d`.execute(
        e.db,
      );
      expect(dup.rows[0]!.n).toBe(0);
    },
  );

  onServer('a deadline being settled in an open transaction is skipped, not marked', async () => {
    const e = env();
    e.clock.set('2025-03-03T09:00:00+08:00');
    const id = await dispatchedTicket(e, c, 'gov-md');
    const other = await e.openSecondHandle();
    e.clock.set('2026-07-01T09:00:00+08:00');
    await other.db.transaction().execute(async (trx) => {
      await trx.selectFrom('deadlines').select('id').where('ticket_id', '=', id).forUpdate().execute();
      const r = await sweepDeadlines(e.db, e.clock);
      const breachedMine = await e.db
        .selectFrom('deadlines')
        .select('breached_at')
        .where('ticket_id', '=', id)
        .execute();
      expect(breachedMine.every((d) => d.breached_at === null)).toBe(true);
      expect(r).toBeDefined();
    });
    await sweepDeadlines(e.db, e.clock);
    const after = await e.db.selectFrom('deadlines').select('breached_at').where('ticket_id', '=', id).execute();
    expect(after.every((d) => d.breached_at !== null)).toBe(true);
  });
});

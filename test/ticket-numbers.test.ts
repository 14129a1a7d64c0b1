import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { buildApp } from '../src/server/http/app.js';
import { ApiClient } from './helpers/api.js';
import { createTicket } from './helpers/factories.js';
import { describeEachDb } from './helpers/test-env.js';

// Ticket numbers HZyyyymmdd-nnnnnn: the local day, then one sequence (migration 0013) — no counter row that
// every creation locks. Unique under concurrent creation, also from several server processes on one database.

describeEachDb('ticket numbers', (env, kind) => {
  it('are HZ + the local day + six digits, distinct, and refused input uses no number and writes nothing', async () => {
    const e = env();
    e.clock.set('2025-03-03T23:59:00+08:00'); // still the 3rd in Heze (UTC+8)
    const agent = await ApiClient.login(e, 'agent');
    const a = await createTicket(e, agent);
    expect(a.number).toMatch(/^HZ20250303-\d{6}$/);
    e.clock.set('2025-03-04T00:01:00+08:00');
    const b = await createTicket(e, agent);
    expect(b.number).toMatch(/^HZ20250304-\d{6}$/);
    const count = async () =>
      Number(
        (
          await sql<{
            n: string;
          }>`SELECT (SELECT count(*) FROM tickets) + (SELECT count(*) FROM ticket_events) AS n`.execute(e.db)
        ).rows[0]!.n,
      );
    const before = await count();
    const badCategory = await agent.post('/api/tickets', {
      requestType: 'complaint',
      categoryId: 999999,
      urgency: 'normal',
      regionCode: '371702001',
      title: '路灯不亮',
      content: '和平路路灯不亮',
    });
    expect(badCategory.status).toBe(400);
    expect(badCategory.body.error).toMatchObject({ message: '事项分类不存在', details: { field: 'categoryId' } });
    const badRegion = await agent.post('/api/tickets', {
      requestType: 'complaint',
      categoryId: e.ids.categories['CX-SZ'],
      urgency: 'normal',
      regionCode: '371799',
      title: '路灯不亮',
      content: '和平路路灯不亮',
    });
    expect(badRegion.status).toBe(400);
    expect(badRegion.body.error.details).toMatchObject({ field: 'regionCode' });
    expect(await count()).toBe(before);
    const c = await createTicket(e, agent);
    expect(Number(c.number.slice(-6))).toBe(Number(b.number.slice(-6)) + 1);
    // the created event and the SMS receipt carry the number the ticket got
    const event = await e.db
      .selectFrom('ticket_events')
      .select('data')
      .where('ticket_id', '=', c.id)
      .where('kind', '=', 'created')
      .executeTakeFirstOrThrow();
    expect(event.data).toMatchObject({ number: c.number, channel: 'phone' });
    const receipt = await e.db
      .selectFrom('outbound_messages')
      .select('body')
      .where('ticket_id', '=', c.id)
      .where('purpose', '=', 'receipt')
      .executeTakeFirstOrThrow();
    expect(receipt.body).toContain(`工单号${c.number}`);
    expect(
      await e.db.selectFrom('ticket_requesters').select('requester_id').where('ticket_id', '=', c.id).execute(),
    ).toHaveLength(1);
  });

  if (kind === 'postgres') {
    it('stay unique when two server processes on one database create tickets at once', async () => {
      const e = env();
      e.clock.set('2025-03-05T10:00:00+08:00');
      const second = await e.openSecondHandle();
      const attachmentDir = mkdtempSync(join(tmpdir(), 'hz-att-'));
      const { app: app2 } = await buildApp({
        db: second.db,
        clock: e.clock,
        cipher: e.cipher,
        logLevel: 'silent',
        sessionTtlHours: 24 * 400,
        attachmentDir,
      });
      try {
        await app2.ready();
        const [one, two] = [await ApiClient.login(e, 'agent'), await ApiClient.login({ ...e, app: app2 }, 'agent')];
        const made = await Promise.all(
          Array.from({ length: 40 }, (_, i) => createTicket(e, i % 2 ? one : two, { title: `并发创建 ${i}` })),
        );
        const numbers = made.map((t) => t.number);
        expect(new Set(numbers).size).toBe(40);
        for (const n of numbers) expect(n).toMatch(/^HZ20250305-\d{6}$/);
        const rows = await e.db
          .selectFrom('tickets')
          .select('number')
          .where(
            'id',
            'in',
            made.map((t) => t.id),
          )
          .execute();
        expect(rows.map((r) => r.number).sort()).toEqual([...numbers].sort());
      } finally {
        await app2.close();
        rmSync(attachmentDir, { recursive: true, force: true });
      }
    });
  }
});

import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, expectStatus } from './helpers/api.js';
import { dispatchedTicket, loginAll, type Clients } from './helpers/factories.js';
import { describeEachDb } from './helpers/test-env.js';
import { rollupAssessment } from '../src/server/jobs/assessment-rollup.js';
import { refreshTicketFacts } from '../src/server/modules/assessment/assessment-facts.repository.js';

// 第二十八条(一) 承办单位月度分析 reads a month's matters and repeat requesters from the unit's assessment facts alone
// (migration 0048: each fact row carries its ticket's category and requester, docs/benchmarks.md). These rows must
// follow the ticket: written with the facts, rewritten when only the matter changed, and the month's figures the same
// as counting the tickets themselves.

describeEachDb('第二十八条(一) 月度分析的事项与重复诉求人随工单更新', (env) => {
  let c: Clients;
  let manager: ApiClient;
  const cat = (code: string) => env().ids.categories[code]!;
  let first = 0;

  beforeAll(async () => {
    c = await loginAll(env());
    manager = await ApiClient.login(env(), 'manager_md');
    const ticket = async (when: string, categoryCode: string, phone: string) => {
      env().clock.set(when);
      return dispatchedTicket(env(), c, 'gov-md', {
        categoryId: cat(categoryCode),
        title: '路面坑洼需修补',
        content: '和平路多处路面坑洼，雨天积水严重，请尽快修补。',
        requester: { name: '张秀英', phone },
      });
    };
    first = await ticket('2025-05-06T10:00:00+08:00', 'CX-SZ', '13905301234');
    await ticket('2025-05-07T10:00:00+08:00', 'CX-SZ', '13905301234');
    await ticket('2025-05-08T10:00:00+08:00', 'CX-WY', '13800001111');
    env().clock.set('2025-06-05T09:00:00+08:00');
    await rollupAssessment(env().db, env().clock.now(), { lagMs: 0 });
  });

  it('writes the ticket’s category and requester on its fact rows', async () => {
    const rows = await sql<{ ticket_id: number; category_id: number; requester_id: number | null; tc: number }>`
      SELECT f.ticket_id, f.category_id, f.requester_id, t.category_id AS tc, t.requester_id AS tr
      FROM assessment_facts f JOIN tickets t ON t.id = f.ticket_id
      WHERE f.unit_id = ${env().ids.units['gov-md']!}`.execute(env().db);
    expect(rows.rows.length).toBe(3);
    for (const r of rows.rows as Array<Record<string, unknown>>) {
      expect(r.category_id).toBe(r.tc);
      expect(r.requester_id === null ? null : Number(r.requester_id)).toBe(r.tr === null ? null : Number(r.tr));
      expect(r.requester_id).not.toBeNull();
    }
    const a = expectStatus(await manager.get('/api/unit-analysis?month=2025-05'), 200);
    expect(a.topCategories.map((t: { name: string; tickets: number }) => [t.name, t.tickets])).toEqual([
      ['城乡建设 / 市政设施', 2],
      ['城乡建设 / 物业管理', 1],
    ]);
    expect(a.repeatRequesters).toMatchObject({ requesters: 1, tickets: 2 });
  });

  it('rewrites the rows when only the ticket’s matter changed (no counter moved)', async () => {
    await sql`UPDATE tickets SET category_id = ${cat('CX-WY')} WHERE id = ${first}`.execute(env().db);
    const moved = await env()
      .db.transaction()
      .execute((trx) => refreshTicketFacts(trx, first, false));
    expect(moved).toBe(0); // the daily counters stay as they were
    const row = await env()
      .db.selectFrom('assessment_facts')
      .select(['category_id'])
      .where('ticket_id', '=', first)
      .executeTakeFirstOrThrow();
    expect(row.category_id).toBe(cat('CX-WY'));
    const a = expectStatus(await manager.get('/api/unit-analysis?month=2025-05'), 200);
    expect(a.topCategories.map((t: { name: string; tickets: number }) => [t.name, t.tickets])).toEqual([
      ['城乡建设 / 物业管理', 2],
      ['城乡建设 / 市政设施', 1],
    ]);
    expect(a.current.received).toBe(3);
  });

  describe('as counting the tickets themselves', () => {
    it('gives the same matters and repeat requesters as a join to tickets', async () => {
      const unitId = env().ids.units['gov-md']!;
      const joined = await sql<{ category_id: number; n: number }>`
        SELECT t.category_id, count(*)::int AS n FROM assessment_facts f JOIN tickets t ON t.id = f.ticket_id
        WHERE f.unit_id = ${unitId} AND f.day BETWEEN '2025-05-01' AND '2025-05-31'
        GROUP BY t.category_id ORDER BY n DESC, t.category_id`.execute(env().db);
      const own = await sql<{ category_id: number; n: number }>`
        SELECT category_id, count(*)::int AS n FROM assessment_facts
        WHERE unit_id = ${unitId} AND day BETWEEN '2025-05-01' AND '2025-05-31'
        GROUP BY category_id ORDER BY n DESC, category_id`.execute(env().db);
      expect(own.rows).toEqual(joined.rows);
    });
  });
});

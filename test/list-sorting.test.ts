import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TicketStatus } from '../src/server/db/schema.js';
import { TICKET_SORTS, ticketSortSpec, type TicketSort } from '../src/shared/domain/ticket-sort.js';
import { expectStatus, type ApiClient } from './helpers/api.js';
import { createTicket, loginAll, type Clients } from './helpers/factories.js';
import { describeEachDb, type TestEnv } from './helpers/test-env.js';

// Issue 14 "Every list … sorting on the columns people sort by": the ticket lists sort on the server (受理时间 both
// ways, 办理期限 both ways, tickets without a deadline last), page by a keyset cursor that holds the sort key and the
// id, and neither skip nor repeat a row across pages — with runs of equal keys, keys equal to the millisecond and
// different in the microsecond, and the NULL tail. The scope of each list is unchanged by the order.

const ALL = ['pending_dispatch', 'dispatched', 'in_progress', 'replied', 'closed', 'terminated'] as const;
const STATUS_CYCLE = ['pending_dispatch', 'dispatched', 'in_progress', 'replied', 'closed'] as const;

describeEachDb('issue 14 列表排序（服务端排序、游标分页）', (env) => {
  let c: Clients;
  const mine: number[] = [];

  beforeAll(async () => {
    const e = env();
    c = await loginAll(e);
    for (let i = 0; i < 30; i++) mine.push((await createTicket(e, c.agent, { title: `排序测试工单${i}` })).id);
    // Runs of equal keys on purpose: created_at in groups of five (the first group equal to the millisecond and
    // apart only in microseconds), due_at in four values and NULL, statuses and lead units spread over the lists.
    for (const [i, id] of mine.entries()) {
      const group = Math.floor(i / 5);
      const created = group === 0 ? `2025-06-01 10:00:00.12300${i % 3}+08` : `2025-06-0${1 + group} 0${group}:00:00+08`;
      const status = STATUS_CYCLE[i % STATUS_CYCLE.length]!;
      const due = i % 3 === 0 ? null : `2025-06-1${i % 4} 17:00:00+08`;
      const lead = status === 'pending_dispatch' ? null : e.ids.units[i % 2 ? 'gov-md' : 'zjj']!;
      // two of them in 曹县, which the county centre sees and the city's units do not lead
      const region = i === 7 || i === 18 ? '371721001' : '371702001';
      await sql`UPDATE tickets SET created_at = ${created}::timestamptz, due_at = ${due}::timestamptz,
        status = ${status}, lead_unit_id = ${lead}, region_code = ${region} WHERE id = ${id}`.execute(e.db);
    }
    // 市城管局 assists on six of them (its 协办 list)
    for (const id of mine.slice(3, 9))
      await e.db
        .insertInto('ticket_assignments')
        .values({
          ticket_id: id,
          unit_id: e.ids.units['cgj']!,
          role: 'assist',
          status: 'active',
          dispatched_at: new Date('2025-06-01T10:00:00+08:00'),
        })
        .execute();
  });

  /** Every page of a list, followed by its cursor; the ids in the order served. */
  async function walk(who: ApiClient, query: string, limit: number) {
    const ids: number[] = [];
    let after: string | null = null;
    for (let pages = 0; pages < 500; pages++) {
      const url: string = `/api/tickets?${query}&limit=${limit}${after ? `&after=${encodeURIComponent(after)}` : ''}`;
      const page = expectStatus<{ items: { id: number }[]; next: string | null }>(await who.get(url), 200);
      ids.push(...page.items.map((t) => t.id));
      if (!page.next) return ids;
      after = page.next;
    }
    throw new Error('the list did not end');
  }

  /** The same list read in one query without keyset pages: the order the pages must add up to. */
  async function expected(
    e: TestEnv,
    sort: TicketSort,
    where: { statuses: readonly TicketStatus[]; lead?: number; regionPrefix?: string; ids?: number[] },
  ) {
    const spec = ticketSortSpec(sort);
    const dir = spec.desc ? 'desc' : 'asc';
    let q = e.db
      .selectFrom('tickets')
      .select('id')
      .where('status', 'in', [...where.statuses]);
    if (where.lead !== undefined) q = q.where('lead_unit_id', '=', where.lead);
    if (where.regionPrefix) q = q.where('region_code', 'like', `${where.regionPrefix}%`);
    if (where.ids) q = q.where('id', 'in', where.ids);
    const rows = await q
      .orderBy(sql`${sql.ref(spec.column)} ${sql.raw(dir)} nulls last`)
      .orderBy('id', dir)
      .execute();
    return rows.map((r) => r.id);
  }

  describe('each order, paged through with ties, equals the whole list read at once', () => {
    for (const sort of TICKET_SORTS)
      it(`工单查询 (centre) sort=${sort}`, async () => {
        const e = env();
        const want = await expected(e, sort, { statuses: ALL, regionPrefix: '3717' });
        expect(want.length).toBeGreaterThanOrEqual(30);
        for (const limit of [1, 4, 7]) {
          const got = await walk(c.dispatcher, `view=centre&status=${ALL.join(',')}&sort=${sort}`, limit);
          expect(got, `limit ${limit}`).toEqual(want);
          expect(new Set(got).size).toBe(got.length);
        }
      });

    it('the orders are what they say: 受理时间 both ways, deadlines soonest/latest first and none last', async () => {
      const e = env();
      const rows = await e.db
        .selectFrom('tickets')
        .select(['id', 'created_at', 'due_at'])
        .where('id', 'in', mine)
        .execute();
      const by = new Map(rows.map((r) => [r.id, r]));
      const list = async (sort: TicketSort) =>
        (await walk(c.dispatcher, `view=centre&status=${ALL.join(',')}&sort=${sort}`, 50))
          .filter((id) => by.has(id))
          .map((id) => by.get(id)!);
      const created = (await list('-created')).map((r) => new Date(r.created_at).getTime());
      expect(created).toEqual([...created].sort((a, b) => b - a));
      const oldest = (await list('created')).map((r) => new Date(r.created_at).getTime());
      expect(oldest).toEqual([...oldest].sort((a, b) => a - b));
      for (const sort of ['deadline', '-deadline'] as const) {
        const due = (await list(sort)).map((r) => (r.due_at ? new Date(r.due_at).getTime() : null));
        const firstNull = due.indexOf(null);
        expect(firstNull).toBeGreaterThan(0);
        expect(due.slice(firstNull).every((d) => d === null)).toBe(true);
        const set = due.slice(0, firstNull) as number[];
        expect(set).toEqual([...set].sort((a, b) => (sort === 'deadline' ? a - b : b - a)));
      }
    });

    it('the default order is the deadline order it always was', async () => {
      const q = `view=centre&status=${ALL.join(',')}`;
      expect(await walk(c.dispatcher, q, 5)).toEqual(await walk(c.dispatcher, `${q}&sort=deadline`, 5));
    });

    it('sorting and the list filters together', async () => {
      const e = env();
      for (const sort of TICKET_SORTS) {
        const got = await walk(c.dispatcher, `view=centre&status=${ALL.join(',')}&regionCode=371721&sort=${sort}`, 1);
        expect(got).toEqual(await expected(e, sort, { statuses: ALL, regionPrefix: '371721' }));
        expect(got).toEqual(expect.arrayContaining([mine[7], mine[18]]));
      }
    });
  });

  describe('scope unchanged by the order', () => {
    for (const sort of TICKET_SORTS)
      it(`本单位工单: a unit sees only the tickets it leads, sort=${sort}`, async () => {
        const e = env();
        const statuses: TicketStatus[] = ['dispatched', 'in_progress', 'replied', 'closed'];
        const got = await walk(c.handlerMd, `view=lead&status=${statuses.join(',')}&sort=${sort}`, 3);
        expect(got).toEqual(await expected(e, sort, { statuses, lead: e.ids.units['gov-md']! }));
        const leads = await e.db.selectFrom('tickets').select('lead_unit_id').where('id', 'in', got).execute();
        expect(new Set(leads.map((r) => r.lead_unit_id))).toEqual(new Set([e.ids.units['gov-md']]));
        // the other unit's tickets of this test are not in it
        expect(got.filter((id) => mine.indexOf(id) % 2 === 0)).toEqual([]);
      });

    it('a county centre sees only its county in every order', async () => {
      const e = env();
      for (const sort of TICKET_SORTS) {
        const got = await walk(c.agentCx, `view=centre&status=${ALL.join(',')}&sort=${sort}`, 2);
        expect(got).toEqual(await expected(e, sort, { statuses: ALL, regionPrefix: '371721' }));
      }
    });

    it('协办: the unit assists on six, listed in every order', async () => {
      const e = env();
      const statuses: TicketStatus[] = ['dispatched', 'in_progress', 'replied', 'closed'];
      for (const sort of TICKET_SORTS) {
        const got = await walk(c.handlerCg, `view=assist&status=${statuses.join(',')}&sort=${sort}`, 1);
        const want = await expected(e, sort, { statuses, ids: mine.slice(3, 9) });
        expect(got).toEqual(want);
      }
    });
  });

  describe('bad input', () => {
    it('an unknown sort is a 400 with a Chinese message, never a 500', async () => {
      for (const sort of ['number', 'DEADLINE', 'created;drop', '', '-', '--created']) {
        const r = await c.dispatcher.get(`/api/tickets?view=centre&sort=${encodeURIComponent(sort)}`);
        expect(r.status, sort).toBe(400);
        expect(JSON.stringify(r.body), sort).toContain('未知排序方式');
      }
    });

    it('a cursor of another order is refused (its position means nothing there); a forged one too', async () => {
      const q = `view=centre&status=${ALL.join(',')}&limit=2`;
      const first = expectStatus(await c.dispatcher.get(`/api/tickets?${q}&sort=-created`), 200);
      expect(first.next).toBeTruthy();
      const other = await c.dispatcher.get(`/api/tickets?${q}&sort=created&after=${first.next}`);
      expect(other.status).toBe(400);
      expect(JSON.stringify(other.body)).toContain('排序方式');
      const forged = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
      for (const after of [
        'xyz',
        forged(['k1', '-created', 'yesterday', 1]),
        forged(['k1', '-created', null, 1]),
        forged(['k1', '-created', '2025-06-01T00:00:00Z', -1]),
        forged(['k1', '-created', '2025-13-01T00:00:00Z', 1]),
      ]) {
        const r = await c.dispatcher.get(`/api/tickets?${q}&sort=-created&after=${after}`);
        expect(r.status, after).toBe(400);
      }
    });

    it('a cursor handed out before lists could be sorted still pages the deadline order', async () => {
      const e = env();
      const want = await expected(e, 'deadline', { statuses: ALL, regionPrefix: '3717' });
      const at = want.findIndex((id) => id === mine[1]);
      const row = await e.db
        .selectFrom('tickets')
        .select(['id', 'due_at'])
        .where('id', '=', mine[1]!)
        .executeTakeFirstOrThrow();
      const legacy = Buffer.from(JSON.stringify([row.due_at!.toISOString(), row.id])).toString('base64url');
      const page = expectStatus(
        await c.dispatcher.get(`/api/tickets?view=centre&status=${ALL.join(',')}&limit=3&after=${legacy}`),
        200,
      );
      expect(page.items.map((t: { id: number }) => t.id)).toEqual(want.slice(at + 1, at + 4));
    });
  });

  describe('export and saved views keep the order', () => {
    it("工单查询's export lists the rows in the screen's order", async () => {
      const e = env();
      const body = { format: 'csv', status: [...ALL], sort: '-created' };
      const res = await e.app.inject({
        method: 'POST',
        url: '/api/exports/tickets',
        payload: body,
        headers: { cookie: (c.dispatcher as unknown as { cookie: string }).cookie },
      });
      expect(res.statusCode).toBe(200);
      const onScreen = await walk(c.dispatcher, `view=centre&status=${ALL.join(',')}&sort=-created`, 50);
      const numbers = await e.db.selectFrom('tickets').select(['id', 'number']).where('id', 'in', onScreen).execute();
      const numberOf = new Map(numbers.map((r) => [r.id, r.number]));
      // the number opens each row (a row may hold quoted line breaks, so rows are found by their first cell)
      const text = res.rawPayload.toString('utf8');
      const rowNumbers = [...text.matchAll(/(?:^|\r\n)\uFEFF?"?(HZ[0-9A-Z]+-?\d+)"?,/g)].map((m) => m[1]);
      expect(rowNumbers).toEqual(onScreen.map((id) => numberOf.get(id)));
      // with the search box the order is the search's own (newest first): a sort there is a 400
      const bad = await c.dispatcher.post('/api/exports/tickets', { format: 'csv', q: '路灯', sort: 'created' });
      expect(bad.status).toBe(400);
      const unknown = await c.dispatcher.post('/api/exports/tickets', { format: 'csv', sort: 'number' });
      expect(unknown.status).toBe(400);
    });

    it('a saved view stores the sort with the filters', async () => {
      const v = expectStatus(
        await c.callback.post('/api/saved-views', {
          screen: 'callback-queue',
          name: '最新受理',
          params: { regionCode: '371702', sort: '-created' },
        }),
        201,
      );
      const list = expectStatus(await c.callback.get('/api/saved-views?screen=callback-queue'), 200);
      expect(list.items).toEqual([
        expect.objectContaining({ id: v.id, params: { regionCode: '371702', sort: '-created' } }),
      ]);
    });
  });
});

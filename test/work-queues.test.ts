import { beforeAll, expect, it } from 'vitest';
import type { TicketStatus } from '../src/server/db/schema.js';
import { ALL_STATUSES } from '../src/shared/domain/transitions.js';
import { ApiClient, expectStatus } from './helpers/api.js';
import { describeEachDb, type TestEnv } from './helpers/test-env.js';

// Work queues (第十四、十五条: units see and answer their tickets in deadline order). Every page must follow the
// order (deadline first, tickets without a deadline last, then id) with no row lost or repeated across pages,
// whatever the mix of statuses — the paging is keyset, per status branch, so this checks the merge.
describeEachDb('work queues: keyset pages over every status mix', (env) => {
  let handler: ApiClient;
  let countyAgent: ApiClient;
  const units: Record<string, number> = {};

  /** Tickets written straight to the table: many statuses, shared deadlines, finished ones without one. */
  async function seedTickets(e: TestEnv) {
    const base = Date.parse('2025-03-10T09:00:00+08:00');
    const rows = [];
    for (let i = 0; i < 46; i++) {
      const status = ALL_STATUSES[i % ALL_STATUSES.length]!;
      const finished = status === 'closed' || status === 'terminated';
      // four deadlines shared by many tickets (ties are broken by id), and some finished tickets keep theirs
      const due = finished && i % 4 !== 0 ? null : new Date(base + (i % 4) * 3_600_000);
      rows.push({
        number: `Q${String(i).padStart(4, '0')}`,
        request_type: 'complaint' as const,
        category_id: e.ids.categories['CX-SZ']!,
        urgency: 'normal' as const,
        region_code: i % 3 === 0 ? '371721001' : '371702001',
        title: `队列测试 ${i}`,
        content: '队列测试',
        status,
        centre_unit_id: e.ids.units['centre']!,
        lead_unit_id: i % 5 === 4 ? e.ids.units['cgj']! : e.ids.units['rsj']!,
        created_by: e.ids.users['agent']!,
        created_at: new Date(base - 86_400_000),
        updated_at: new Date(base - 86_400_000),
        due_at: due,
      });
    }
    const inserted = await e.db.insertInto('tickets').values(rows).returning(['id', 'lead_unit_id']).execute();
    // 人社局 assists on the tickets 城管局 leads; two of those assignments have ended
    const assisted = inserted.filter((t) => t.lead_unit_id === e.ids.units['cgj']);
    await e.db
      .insertInto('ticket_assignments')
      .values(
        assisted.map((t, k) => ({
          ticket_id: t.id,
          unit_id: e.ids.units['rsj']!,
          role: 'assist' as const,
          status: k < 2 ? ('ended' as const) : ('active' as const),
          dispatched_at: new Date(base - 86_400_000),
        })),
      )
      .execute();
  }

  async function expected(
    where: { lead?: number; assist?: number; region?: string },
    statuses: readonly TicketStatus[],
  ) {
    const e = env();
    let q = e.db
      .selectFrom('tickets')
      .select(['id', 'due_at'])
      .where('status', 'in', [...statuses]);
    if (where.lead) q = q.where('lead_unit_id', '=', where.lead);
    if (where.region) q = q.where('region_code', 'like', `${where.region}%`);
    if (where.assist) {
      q = q.where(
        'id',
        'in',
        e.db
          .selectFrom('ticket_assignments')
          .select('ticket_id')
          .where('unit_id', '=', where.assist)
          .where('role', '=', 'assist')
          .where('status', '=', 'active'),
      );
    }
    const rows = await q.execute();
    const key = (d: Date | null) => (d ? d.getTime() : Number.POSITIVE_INFINITY);
    return rows.sort((a, b) => key(a.due_at) - key(b.due_at) || a.id - b.id).map((r) => r.id);
  }

  async function readAll(client: ApiClient, query: string, limit: number) {
    const ids: number[] = [];
    let after: string | null = null;
    for (let page = 0; page < 100; page++) {
      const body = expectStatus(
        await client.get(`/api/tickets?${query}&limit=${limit}${after ? `&after=${after}` : ''}`),
        200,
      ) as { items: Array<{ id: number }>; next: string | null };
      expect(body.items.length).toBeLessThanOrEqual(limit);
      ids.push(...body.items.map((t) => t.id));
      if (!body.next) return ids;
      after = body.next;
    }
    throw new Error('the queue never ended');
  }

  beforeAll(async () => {
    const e = env();
    Object.assign(units, e.ids.units);
    await seedTickets(e);
    handler = await ApiClient.login(e, 'handler_rs');
    countyAgent = await ApiClient.login(e, 'agent_cx');
  });

  it('a unit queue without a status filter lists every ticket it leads, finished ones last', async () => {
    const want = await expected({ lead: units['rsj'] }, ALL_STATUSES);
    expect(want.length).toBeGreaterThan(30);
    for (const limit of [1, 3, 7, 200]) expect(await readAll(handler, 'view=lead', limit)).toEqual(want);
  });

  it('a queue over several open statuses merges them in deadline order', async () => {
    const statuses = ['dispatched', 'in_progress', 'replied'] as const;
    expect(await readAll(handler, `view=lead&status=${statuses.join(',')}`, 4)).toEqual(
      await expected({ lead: units['rsj'] }, statuses),
    );
  });

  it('a queue mixing open and finished statuses reaches the tickets without a deadline', async () => {
    const statuses = ['in_progress', 'closed', 'terminated'] as const;
    const want = await expected({ lead: units['rsj'] }, statuses);
    expect(await readAll(handler, `view=lead&status=${statuses.join(',')}`, 2)).toEqual(want);
    expect(await readAll(handler, 'view=lead&status=closed', 2)).toEqual(
      await expected({ lead: units['rsj'] }, ['closed']),
    );
  });

  it('a county centre sees only its own county, in order', async () => {
    const want = await expected({ region: '371721' }, ALL_STATUSES);
    expect(want.length).toBeGreaterThan(10);
    expect(await readAll(countyAgent, 'view=centre', 5)).toEqual(want);
    expect(await readAll(countyAgent, 'view=centre&status=pending_dispatch,closed', 3)).toEqual(
      await expected({ region: '371721' }, ['pending_dispatch', 'closed']),
    );
  });

  it('the assist queue lists only active assist assignments', async () => {
    const want = await expected({ assist: units['rsj'] }, ALL_STATUSES);
    expect(want.length).toBeGreaterThan(3);
    expect(await readAll(handler, 'view=assist', 2)).toEqual(want);
  });

  it('a queue row carries an excerpt, not the full text and reply (the ticket page has them)', async () => {
    const e = env();
    const long = '小区东门外的道路上有一个很深的坑，'.repeat(10);
    const [t] = await e.db
      .insertInto('tickets')
      .values({
        number: 'Q-EXCERPT',
        request_type: 'complaint',
        category_id: e.ids.categories['CX-SZ']!,
        urgency: 'normal',
        region_code: '371702001',
        title: '道路坑洼',
        content: long,
        status: 'replied',
        centre_unit_id: e.ids.units['centre']!,
        lead_unit_id: e.ids.units['rsj']!,
        created_by: e.ids.users['agent']!,
        created_at: new Date('2025-03-01T00:00:00Z'),
        updated_at: new Date('2025-03-01T00:00:00Z'),
        due_at: new Date('2025-03-01T00:00:00Z'),
        reply_result: '已修复',
        reply_explanation: null,
      })
      .returning('id')
      .execute();
    const page = expectStatus(await handler.get('/api/tickets?view=lead&status=replied&limit=1'), 200);
    expect(page.items[0]).toMatchObject({
      id: t!.id,
      title: '道路坑洼',
      excerpt: `${long.slice(0, 80)}…`,
      hasReply: true,
    });
    expect(page.items[0]).not.toHaveProperty('content');
    expect(page.items[0]).not.toHaveProperty('reply');
    const dispatcher = await ApiClient.login(e, 'dispatcher');
    const view = expectStatus(await dispatcher.get(`/api/tickets/${t!.id}`), 200);
    expect(view).toMatchObject({ content: long, reply: { result: '已修复' } });
  });

  it('a cursor that is not ours is refused with a structured error', async () => {
    const res = await handler.get('/api/tickets?view=lead&after=not-a-cursor');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('bad_request');
  });
});

import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { MattersQuery, MatterTasksQuery } from '../../../shared/contracts/matters.js';
import { regionPrefix, type Actor } from '../auth/actor.js';
import { inRegions, searchWordsOf } from '../tickets/tickets.repository.js';

// 第二十五、二十六条 专题治理: the queries. Every list is a keyset over an index (matters_region / matters_status /
// matters_lead, matter_tasks_owner), every figure reads the links of one matter (bounded by MATTER_MAX_TICKETS).

export async function findMatter(db: Kysely<DB>, id: number) {
  return db.selectFrom('matters').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A matter row locked for its step (one transaction per step). */
export async function lockMatter(trx: Transaction<DB>, id: number) {
  return trx.selectFrom('matters').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function insertMatterEvent(
  trx: Transaction<DB>,
  e: {
    matterId: number;
    action: string;
    from?: string | null;
    to?: string | null;
    note?: string | null;
    data?: Record<string, unknown>;
    actorId: number;
    at: Date;
  },
) {
  await trx
    .insertInto('matter_events')
    .values({
      matter_id: e.matterId,
      action: e.action,
      from_status: e.from ?? null,
      to_status: e.to ?? null,
      note: e.note ?? null,
      data: e.data ? JSON.stringify(e.data) : null,
      actor_user_id: e.actorId,
      at: e.at,
    })
    .execute();
}

/**
 * The register, newest first by keyset (`before`). Centre staff: their regions (a prefix match on an indexed
 * column); a unit: the matters it leads, coordinates on or owns a task of. Never a count of the table.
 */
export async function listMatters(db: Kysely<DB>, actor: Actor, q: MattersQuery, centre: boolean) {
  let query = db
    .selectFrom('matters as m')
    .innerJoin('units as u', 'u.id', 'm.lead_unit_id')
    .innerJoin('regions as r', 'r.code', 'm.region_code')
    .leftJoin('categories as c', 'c.id', 'm.category_id')
    .select([
      'm.id',
      'm.title',
      'm.status',
      'm.region_code',
      'r.name as region_name',
      'm.category_id',
      'c.name as category_name',
      'm.lead_unit_id',
      'u.name as lead_unit_name',
      'm.ticket_count',
      'm.joint_field',
      'm.created_at',
      'm.updated_at',
      sql<number>`(SELECT count(*) FROM matter_tasks t WHERE t.matter_id = m.id)::int`.as('task_count'),
      sql<number>`(SELECT count(*) FROM matter_tasks t WHERE t.matter_id = m.id AND t.status = 'done')::int`.as(
        'tasks_done',
      ),
    ])
    .orderBy('m.id', 'desc')
    .limit(q.limit);
  if (centre) query = query.where((eb) => eb.or(actor.regionPrefixes.map((p) => eb('m.region_code', 'like', `${p}%`))));
  else
    query = query.where((eb) =>
      eb.or([
        eb('m.lead_unit_id', '=', actor.unitId),
        eb.exists(
          eb
            .selectFrom('matter_units as mu')
            .select('mu.unit_id')
            .whereRef('mu.matter_id', '=', 'm.id')
            .where('mu.unit_id', '=', actor.unitId),
        ),
        eb.exists(
          eb
            .selectFrom('matter_tasks as mt')
            .select('mt.id')
            .whereRef('mt.matter_id', '=', 'm.id')
            .where('mt.owner_unit_id', '=', actor.unitId),
        ),
      ]),
    );
  if (q.status === 'open') query = query.where('m.status', '!=', 'archived');
  else if (q.status) query = query.where('m.status', '=', q.status);
  if (q.regionCode) query = query.where('m.region_code', 'like', `${regionPrefix(q.regionCode)}%`);
  if (q.leadUnitId) query = query.where('m.lead_unit_id', '=', q.leadUnitId);
  // 第二十六条第二款: one field, or every jointly coordinated matter
  if (q.jointField === 'any') query = query.where('m.joint_field', 'is not', null);
  else if (q.jointField) query = query.where('m.joint_field', '=', q.jointField);
  if (q.before) query = query.where('m.id', '<', q.before);
  return query.execute();
}

/** The live links of a matter with their tickets (bounded: MATTER_MAX_TICKETS). */
export async function linkedTickets(db: Kysely<DB>, matterId: number, limit: number) {
  return db
    .selectFrom('matter_tickets as mt')
    .innerJoin('tickets as t', 't.id', 'mt.ticket_id')
    .leftJoin('units as u', 'u.id', 't.lead_unit_id')
    .innerJoin('regions as r', 'r.code', 't.region_code')
    .select([
      't.id',
      't.number',
      't.title',
      't.status',
      't.created_at',
      't.region_code',
      'r.name as region_name',
      'u.name as lead_unit_name',
      'mt.linked_at',
    ])
    .where('mt.matter_id', '=', matterId)
    .where('mt.unlinked_at', 'is', null)
    .orderBy('mt.ticket_created_at', 'desc')
    .orderBy('t.id', 'desc')
    .limit(limit)
    .execute();
}

/** The category and every category below it (the categories table is small: a few hundred rows). */
export async function categorySubtree(db: Kysely<DB>, categoryId: number): Promise<number[]> {
  const { rows } = await sql<{ id: number }>`
    WITH RECURSIVE sub(id) AS (
      SELECT id FROM categories WHERE id = ${categoryId}
      UNION ALL
      SELECT c.id FROM categories c JOIN sub ON c.parent_id = sub.id
    )
    SELECT id FROM sub LIMIT 1000`.execute(db);
  return rows.map((r) => Number(r.id));
}

/**
 * Candidate tickets for a matter: in the actor's regions, the region subtree and the category subtree, created
 * since `since`, not merged, not held by an open matter; ranked by full-text match (GIN over search_vector) when
 * there are words, newest first otherwise. Bounded by `cap`; the service ranks these by word similarity.
 */
export async function candidateTickets(
  db: Kysely<DB>,
  actor: Actor,
  p: { categoryIds: number[] | null; regionPrefix: string | null; since: Date; query: string | null; cap: number },
) {
  let q = db
    .selectFrom('tickets')
    .innerJoin('regions as r', 'r.code', 'tickets.region_code')
    .innerJoin('categories as c', 'c.id', 'tickets.category_id')
    .select([
      'tickets.id',
      'tickets.number',
      'tickets.title',
      'tickets.content',
      'tickets.status',
      'tickets.category_id',
      'c.name as category_name',
      'tickets.region_code',
      'r.name as region_name',
      'tickets.created_at',
      searchWordsOf(sql.ref('tickets.search_vector')).as('search_words'),
    ])
    .where(inRegions(actor.regionPrefixes))
    .where('tickets.created_at', '>=', p.since)
    .where('tickets.merged_into_id', 'is', null)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('matter_tickets as mt')
            .select('mt.id')
            .whereRef('mt.ticket_id', '=', 'tickets.id')
            .where('mt.unlinked_at', 'is', null)
            .where('mt.matter_open', '=', true),
        ),
      ),
    )
    .limit(p.cap);
  if (p.categoryIds) q = q.where('tickets.category_id', 'in', p.categoryIds);
  if (p.regionPrefix) q = q.where('tickets.region_code', 'like', `${p.regionPrefix}%`);
  if (p.query)
    return q
      .where(sql<boolean>`tickets.search_vector @@ to_tsquery('simple', ${p.query})`)
      .orderBy(sql`ts_rank(tickets.search_vector, to_tsquery('simple', ${p.query}))`, 'desc')
      .orderBy('tickets.id', 'desc')
      .execute();
  return q.orderBy('tickets.created_at', 'desc').orderBy('tickets.id', 'desc').execute();
}

/** 数据对比: the live links of one matter per local month of the ticket's creation (bounded by the matter's links). */
export async function monthlyLinkCounts(db: Kysely<DB>, matterId: number) {
  const { rows } = await sql<{ month: string; tickets: number }>`
    SELECT to_char((ticket_created_at AT TIME ZONE 'UTC') + interval '8 hours', 'YYYY-MM') AS month,
           count(*)::int AS tickets
      FROM matter_tickets
     WHERE matter_id = ${matterId} AND unlinked_at IS NULL
     GROUP BY 1
     ORDER BY 1`.execute(db);
  return rows.map((r) => ({ month: r.month, tickets: Number(r.tickets) }));
}

/** 专题任务: the tasks a unit owns, open ones first by deadline, keyset by id within a status filter. */
export async function unitTasks(db: Kysely<DB>, unitId: number, q: MatterTasksQuery) {
  let query = db
    .selectFrom('matter_tasks as t')
    .innerJoin('matters as m', 'm.id', 't.matter_id')
    .innerJoin('units as lu', 'lu.id', 'm.lead_unit_id')
    .select([
      't.id',
      't.matter_id',
      'm.title as matter_title',
      'm.status as matter_status',
      'lu.name as lead_unit_name',
      't.title',
      't.due_on',
      't.status',
      't.result',
      't.version',
      't.created_at',
      't.updated_at',
    ])
    .where('t.owner_unit_id', '=', unitId)
    .orderBy('t.id', 'desc')
    .limit(q.limit);
  if (q.status === 'active') query = query.where('t.status', 'in', ['open', 'in_progress']);
  else query = query.where('t.status', '=', q.status);
  if (q.before) query = query.where('t.id', '<', q.before);
  return query.execute();
}

export async function matterEvents(db: Kysely<DB>, matterId: number) {
  return db
    .selectFrom('matter_events as e')
    .leftJoin('users as u', 'u.id', 'e.actor_user_id')
    .select(['e.id', 'e.action', 'e.from_status', 'e.to_status', 'e.note', 'e.at', 'u.display_name as actor_name'])
    .where('e.matter_id', '=', matterId)
    .orderBy('e.id', 'desc')
    .limit(500)
    .execute();
}

/** The ticket's side of a link or unlink: one event per ticket, in one statement (a batch is at most 200). */
export async function insertTicketEvents(
  trx: Transaction<DB>,
  actor: Actor,
  ticketIds: number[],
  kind: 'matter_linked' | 'matter_unlinked',
  at: Date,
  data: Record<string, unknown>,
  reason?: string,
) {
  if (!ticketIds.length) return;
  await trx
    .insertInto('ticket_events')
    .values(
      ticketIds.map((ticketId) => ({
        ticket_id: ticketId,
        kind,
        at,
        actor_user_id: actor.userId,
        actor_unit_id: actor.unitId,
        from_status: null,
        to_status: null,
        reason: reason ?? null,
        data: JSON.stringify(data),
        request_id: actor.requestId ?? null,
      })),
    )
    .execute();
}

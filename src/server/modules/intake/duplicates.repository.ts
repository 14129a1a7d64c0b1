import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB, Ticket } from '../../db/schema.js';
import { OPEN_STATUSES } from '../../../shared/domain/transitions.js';
import type { MergeSnapshot } from '../../../shared/domain/unmerge.js';
import * as tickets from '../tickets/tickets.repository.js';

// The SQL of duplicate detection, 并单 and 撤销并单 (duplicates.service.ts holds the rules).

export interface CandidateFilter {
  /** the actor's region prefixes (第三十条: only tickets they may see) */
  scope: string[];
  excludeTicketId?: number;
}

const candidateBase = (db: Kysely<DB>, f: CandidateFilter) => {
  let b = db
    .selectFrom('tickets')
    .select([
      'id',
      'number',
      'title',
      'content',
      'status',
      'category_id',
      'region_code',
      'address_enc',
      'created_at',
      tickets.searchWordsOf(sql.ref('search_vector')).as('search_words'),
      'requester_id',
    ])
    .where('status', 'in', OPEN_STATUSES)
    .where('merged_into_id', 'is', null)
    .where(tickets.inRegions(f.scope));
  if (f.excludeTicketId) b = b.where('id', '!=', f.excludeTicketId);
  return b;
};

/** Open tickets the requester raised or joined, newest first. */
export function openTicketsOfRequester(db: Kysely<DB>, f: CandidateFilter, requesterId: number, limit: number) {
  return candidateBase(db, f)
    .where(tickets.raisedOrJoinedBy(requesterId))
    .orderBy('created_at', 'desc')
    .limit(limit)
    .execute();
}

/**
 * Open tickets since `since` whose words match the tsquery (GIN index on search_vector), best ranked first; of
 * the category and under the region prefix when given.
 */
export function similarOpenTickets(
  db: Kysely<DB>,
  f: CandidateFilter,
  q: { tsquery: string; since: Date; categoryId?: number | null; regionPrefix?: string | null; limit: number },
) {
  let s = candidateBase(db, f)
    .select(sql<number>`ts_rank(search_vector, to_tsquery('simple', ${q.tsquery}))`.as('rank'))
    .where(sql<boolean>`search_vector @@ to_tsquery('simple', ${q.tsquery})`)
    .where('created_at', '>=', q.since);
  if (q.categoryId) s = s.where('category_id', '=', q.categoryId);
  if (q.regionPrefix) s = s.where('region_code', 'like', `${q.regionPrefix}%`);
  return s.orderBy('rank', 'desc').limit(q.limit).execute();
}

export type DuplicateCandidate = Awaited<ReturnType<typeof openTicketsOfRequester>>[number];

/** What duplicate detection reads of a recorded contact. */
export function contactText(db: Kysely<DB>, contactId: number) {
  return db
    .selectFrom('contacts')
    .select(['content', 'requester_id', 'ticket_id'])
    .where('id', '=', contactId)
    .executeTakeFirstOrThrow();
}

/**
 * 并单: the source ticket's requesters join the target (each marked with the ticket it came from, so 撤销并单 can
 * take exactly them out again); a requester already on the target stays as it was. Returns how many there were.
 */
export async function addRequestersOfMerged(trx: Transaction<DB>, sourceId: number, targetId: number, at: Date) {
  const movers = await trx
    .selectFrom('ticket_requesters')
    .select(['requester_id', 'contact_id'])
    .where('ticket_id', '=', sourceId)
    .execute();
  for (const m of movers) {
    await trx
      .insertInto('ticket_requesters')
      .values({
        ticket_id: targetId,
        requester_id: m.requester_id,
        contact_id: m.contact_id,
        source_ticket_id: sourceId,
        added_at: at,
      })
      .onConflict((oc) => oc.columns(['ticket_id', 'requester_id']).doNothing())
      .execute();
  }
  return movers.length;
}

/** 撤销并单: the requesters the merge added to the surviving ticket leave it (the merged ticket kept its own). */
export function removeRequestersOfMerged(trx: Transaction<DB>, sourceId: number, targetId: number) {
  return trx
    .deleteFrom('ticket_requesters')
    .where('ticket_id', '=', targetId)
    .where('source_ticket_id', '=', sourceId)
    .returning('requester_id')
    .execute();
}

/** The ticket's latest 'merged_into' event: when it was merged and what the merge took (its snapshot). */
export function lastMergedEvent(trx: Transaction<DB>, ticketId: number) {
  return trx
    .selectFrom('ticket_events')
    .select(['at', 'data'])
    .where('ticket_id', '=', ticketId)
    .where('kind', '=', 'merged_into')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** The state a merge is about to take from a ticket (written on its 'merged_into' event for 撤销并单). */
export async function mergeSnapshot(trx: Transaction<DB>, ticket: Ticket): Promise<MergeSnapshot> {
  const [assignments, deadlines] = await Promise.all([
    trx
      .selectFrom('ticket_assignments')
      .select(['id', 'status'])
      .where('ticket_id', '=', ticket.id)
      .where('status', '!=', 'ended')
      .orderBy('id')
      .execute(),
    trx
      .selectFrom('deadlines')
      .select('id')
      .where('ticket_id', '=', ticket.id)
      .where('met_at', 'is', null)
      .where('cancelled_at', 'is', null)
      .orderBy('id')
      .execute(),
  ]);
  return {
    status: ticket.status,
    dueAt: ticket.due_at ? new Date(ticket.due_at).toISOString() : null,
    assignments: assignments.map((a) => ({ id: a.id, status: a.status as 'active' | 'submitted' })),
    deadlineIds: deadlines.map((d) => d.id),
  };
}

/** 撤销并单: the assignments and deadlines the merge ended come back as the snapshot recorded them. */
export async function restoreMergeSnapshot(trx: Transaction<DB>, ticketId: number, snapshot: MergeSnapshot) {
  for (const a of snapshot.assignments) {
    await trx
      .updateTable('ticket_assignments')
      .set({ status: a.status, ended_at: null })
      .where('id', '=', a.id)
      .where('ticket_id', '=', ticketId)
      .execute();
  }
  if (snapshot.deadlineIds.length)
    await trx
      .updateTable('deadlines')
      .set({ cancelled_at: null })
      .where('id', 'in', snapshot.deadlineIds)
      .where('ticket_id', '=', ticketId)
      .execute();
}

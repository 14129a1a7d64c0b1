import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import { COUNTER_COLUMNS } from '../../domain/assessment-indicators.js';
import { factDelta, ticketFacts, type Counters, type FactInput, type UnitFact } from '../../domain/assessment-facts.js';

// 第二十四条: keeps assessment_facts (per ticket × unit) and assessment_daily (per unit × day) in step with a ticket's
// state. Always inside the caller's transaction, together with whatever made the facts change (an event read by
// the rollup cursor, or an accepted appeal).

/** Whether supervision cases (migration 0026) exist in this database; without them 督办次数 counts 0. */
export async function hasSupervisionCases(db: Kysely<DB>): Promise<boolean> {
  const r = await sql<{ t: string | null }>`SELECT to_regclass('supervision_case_tickets')::text AS t`.execute(db);
  return r.rows[0]?.t != null;
}

/** What a fact row says of its ticket besides the counters: its matter and requester (0048, 第二十八条(一)). */
interface FactSubject {
  categoryId: number;
  requesterId: number | null;
}

async function loadInput(
  trx: Transaction<DB>,
  ticketId: number,
  supervision: boolean,
): Promise<(FactInput & { subject: FactSubject }) | null> {
  const ticket = await trx
    .selectFrom('tickets')
    .select(['status', 'lead_unit_id', 'replied_at', 'rework_count', 'merged_into_id', 'category_id', 'requester_id'])
    .where('id', '=', ticketId)
    .executeTakeFirst();
  if (!ticket) return null;
  const [leadAssignments, deadlines, lastCallback, applications, exclusions] = await Promise.all([
    trx
      .selectFrom('ticket_assignments')
      .select(['unit_id', 'dispatched_at'])
      .where('ticket_id', '=', ticketId)
      .where('role', '=', 'lead')
      .execute(),
    trx
      .selectFrom('deadlines')
      .select(['unit_id', 'kind', 'met_at', 'breached_at', 'cancelled_at'])
      .where('ticket_id', '=', ticketId)
      .where('kind', 'in', ['accept', 'first_contact', 'reply', 'rework'])
      .execute(),
    trx
      .selectFrom('callbacks')
      .select(['satisfaction', 'resolved'])
      .where('ticket_id', '=', ticketId)
      .orderBy('at', 'desc')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst(),
    trx.selectFrom('applications').select(['unit_id', 'kind', 'status']).where('ticket_id', '=', ticketId).execute(),
    trx
      .selectFrom('assessment_appeals')
      .select(['unit_id', 'indicator'])
      .where('ticket_id', '=', ticketId)
      .where('status', '=', 'accepted')
      .execute(),
  ]);
  const cases = supervision
    ? (
        await sql<{ unit_id: number; cases: number }>`
          SELECT c.unit_id, count(*)::int AS cases FROM supervision_case_tickets ct
          JOIN supervision_cases c ON c.id = ct.case_id
          WHERE ct.ticket_id = ${ticketId} AND c.status NOT IN ('proposed', 'dismissed')
          GROUP BY c.unit_id`.execute(trx)
      ).rows
    : [];
  return {
    ticket,
    subject: {
      categoryId: ticket.category_id,
      requesterId: ticket.requester_id === null ? null : Number(ticket.requester_id),
    },
    leadAssignments,
    deadlines,
    lastCallback: lastCallback ?? null,
    applications,
    supervision: cases,
    exclusions,
  };
}

const dayText = (d: unknown) => (d instanceof Date ? d.toISOString().slice(0, 10) : String(d).slice(0, 10));

/** The facts stored now for a ticket (rows locked: two passes on the same ticket wait for each other). */
export async function storedFacts(trx: Transaction<DB>, ticketId: number): Promise<Array<UnitFact & FactSubject>> {
  const rows = await trx
    .selectFrom('assessment_facts')
    .selectAll()
    .where('ticket_id', '=', ticketId)
    .forUpdate()
    .execute();
  return rows.map((r) => ({
    unitId: r.unit_id,
    day: dayText(r.day),
    counters: Object.fromEntries(COUNTER_COLUMNS.map((c) => [c, Number(r[c])])) as Counters,
    categoryId: r.category_id,
    requesterId: r.requester_id === null ? null : Number(r.requester_id),
  }));
}

/** Recomputes one ticket's facts and moves the daily counters by the difference. Returns the changed rows. */
export async function refreshTicketFacts(trx: Transaction<DB>, ticketId: number, supervision: boolean) {
  const before = await storedFacts(trx, ticketId);
  const input = await loadInput(trx, ticketId, supervision);
  const after = input ? ticketFacts(input) : [];
  const delta = factDelta(before, after);
  // the rows also carry the ticket's matter and requester (the unit's month analysis groups by them): a ticket
  // recategorised (返回中心后更正分类) rewrites its rows even when no counter moved
  const ticket = input?.subject ?? null;
  const sameTicket = before.every(
    (f) => ticket !== null && f.categoryId === ticket.categoryId && f.requesterId === ticket.requesterId,
  );
  if (delta.length === 0 && before.length === after.length && sameTicket) return 0;
  await trx.deleteFrom('assessment_facts').where('ticket_id', '=', ticketId).execute();
  if (after.length && ticket)
    await trx
      .insertInto('assessment_facts')
      .values(
        after.map((f) => ({
          ticket_id: ticketId,
          unit_id: f.unitId,
          day: f.day,
          category_id: ticket.categoryId,
          requester_id: ticket.requesterId,
          ...f.counters,
        })),
      )
      .execute();
  for (const d of delta) {
    await trx
      .insertInto('assessment_daily')
      .values({ unit_id: d.unitId, day: d.day, ...d.counters })
      .onConflict((oc) =>
        oc
          .columns(['unit_id', 'day'])
          .doUpdateSet(
            Object.fromEntries(
              COUNTER_COLUMNS.map((c) => [c, sql<number>`assessment_daily.${sql.ref(c)} + ${d.counters[c]}`]),
            ),
          ),
      )
      .execute();
  }
  return delta.length;
}

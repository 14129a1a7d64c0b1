import {
  sql,
  type ExpressionBuilder,
  type Insertable,
  type Kysely,
  type SqlBool,
  type RawBuilder,
  type Expression,
  type Transaction,
  type Updateable,
} from 'kysely';
import type { DB, DeadlineKind, Ticket, TicketsTable, TicketStatus } from '../../db/schema.js';
import type { ResolvedTicketFilters } from './ticket-list-filters.js';
import { endSubDispatches } from './sub-dispatch.repository.js';
import { SUMMARY_COLUMNS, type TicketSummaryRow } from './tickets.presenter.js';

// The only place that writes SQL for tickets, their events, assignments and deadlines.

export async function lockTicket(trx: Transaction<DB>, id: number) {
  return trx.selectFrom('tickets').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function findTicket(db: Kysely<DB>, id: number) {
  return db.selectFrom('tickets').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * Tickets in a centre's regions (region codes under any of the prefixes), as a where() condition on any query
 * that reads tickets. A prefix LIKE is a range on region_code's text_pattern_ops index, never a leading wildcard.
 */
export function inRegions(prefixes: string[]) {
  return regionCodeUnder(sql.ref('tickets.region_code'), prefixes);
}

/** inRegions for any region-code column, e.g. of a subquery in raw SQL (classification.repository.ts). */
export function regionCodeUnder(column: Expression<unknown>, prefixes: string[]): RawBuilder<SqlBool> {
  if (!prefixes.length) return sql<SqlBool>`false`;
  return sql<SqlBool>`(${sql.join(
    prefixes.map((p) => sql`${column} LIKE ${`${p}%`}`),
    sql` OR `,
  )})`;
}

/**
 * A ticket's search words (text-tokens.ts searchTokens, space-separated) as the tsvector stored in search_vector: the
 * 'simple' configuration the searches' to_tsquery('simple', …) match against. Since 0053 the words are stored only so.
 */
export function searchVectorOf(words: string): RawBuilder<string> {
  return sql<string>`to_tsvector('simple', ${words}::text)`;
}

/** The words of a search_vector column (`vector`) read back, for the similarity that re-ranks a few candidates. */
export function searchWordsOf(vector: Expression<unknown>): RawBuilder<string[] | null> {
  return sql<string[] | null>`tsvector_to_array(${vector})`;
}

/**
 * The tickets a requester raised or joined (并单), as a where() condition. Written as `id = ANY(ARRAY(…))` so
 * PostgreSQL can OR two index scans (tickets_requester, ticket_requesters_requester → pkey); `id IN (subquery)`
 * inside an OR cannot use an index and reads the whole tickets table.
 */
export function raisedOrJoinedBy(requesterId: number) {
  return (eb: ExpressionBuilder<DB, 'tickets'>) =>
    eb.or([
      eb('tickets.requester_id', '=', requesterId),
      sql<SqlBool>`tickets.id = ANY(ARRAY(SELECT ticket_id FROM ticket_requesters WHERE requester_id = ${requesterId}))`,
    ]);
}

/** Where the ticket's number goes in the receipt text given to insertNewTicket (the number is made by the INSERT). */
export const TICKET_NUMBER_SLOT = '{number}';

export interface NewTicketExtras {
  /** The text's search words (searchTokens): stored as the ticket's search_vector, to_tsvector('simple', …) */
  searchWords: string;
  /** The SMS receipt, sent when the requester has a phone on record; TICKET_NUMBER_SLOT marks the number. */
  receipt: string;
  /** The `created` event; its data gets the number too. */
  event: {
    actor_user_id: number | null;
    actor_unit_id: number | null;
    request_id: string | null;
    data: Record<string, unknown>;
  };
  /**
   * 第二十七条: the sensitive-word warning the text raises (sensitive-intake.ts), written by the same statement with
   * its `raised` event — title with TICKET_NUMBER_SLOT, evidence whose ticketIds and ticketNumber the statement fills.
   */
  warning?: { kind: string; level: string; title: string; evidence: Record<string, unknown>; keyPrefix: string } | null;
}

/**
 * Creates a ticket in one statement: the ticket numbered like HZ20250101-000123 (the local day, then
 * ticket_number_seq — migration 0013, no row every creation locks), its requester link, the SMS receipt to the
 * requester's phone when one is on record, and the `created` event. Only if the category is active and the
 * region exists — checked by the same statement, so creation needs no look-ups before it; undefined otherwise
 * (nothing written, no number used).
 */
export async function insertNewTicket(
  trx: Transaction<DB>,
  localDay: string,
  row: Omit<Insertable<TicketsTable>, 'number' | 'search_vector'>,
  x: NewTicketExtras,
): Promise<Ticket | undefined> {
  const { requester_id, ...rest } = row;
  const id = requester_id ?? null;
  return insertTicketStatement(
    trx,
    localDay,
    rest,
    x,
    sql`req AS (
      SELECT id, phone_enc FROM requesters WHERE id = ${id}::bigint
      UNION ALL SELECT NULL::bigint, NULL::text WHERE ${id}::bigint IS NULL
    )`,
  );
}

/** The requester of a new ticket as insertNewTicketWithRequester takes it: keyed phone hash and ciphertexts. */
export interface NewRequester {
  /** the phone's hash under the current key (a new row's) */
  phoneHash: string | null;
  /** the phone's hash under every configured key version, current first (第六条: found during a key rotation too) */
  phoneHashes: string[];
  /** the current key version, recorded on a new row */
  keyVersion: number;
  phoneEnc: string | null;
  nameEnc: string | null;
  hasName: boolean;
}

/**
 * insertNewTicket with the requester resolved by the same statement (POST /api/tickets, issue 8: one round trip
 * and no BEGIN/COMMIT — a single statement is its own transaction, the `created` event included): the requester
 * found by keyed phone hash, else inserted (name and phone only, as resolveRequester does for them); no
 * requester when `who` is null (anonymous). Writes nothing and returns undefined when the category is not active,
 * the region does not exist, the requester found lacks the name given (resolveRequester adds it) or a concurrent
 * first contact from the same number inserted the requester meanwhile — the caller then takes the
 * transactional path, which names the refusal or resolves the requester. A 举报's reported unit must exist too.
 */
export async function insertNewTicketWithRequester(
  db: Kysely<DB>,
  localDay: string,
  row: Omit<Insertable<TicketsTable>, 'number' | 'requester_id' | 'search_vector'>,
  x: NewTicketExtras,
  who: NewRequester | null,
): Promise<TicketSummaryRow | undefined> {
  const requester = who
    ? sql`found AS (
      SELECT id, phone_enc, name_enc FROM requesters WHERE phone_hash = ANY(${sql.val(who.phoneHashes)}::text[])
      ORDER BY phone_hash = ${who.phoneHash}::text DESC LIMIT 1
    ), ins AS (
      INSERT INTO requesters (name_enc, phone_enc, phone_hash, key_version, created_at)
      SELECT ${who.nameEnc}::text, ${who.phoneEnc}::text, ${who.phoneHash}::text, ${who.keyVersion}::integer, ${row.created_at}::timestamptz
      WHERE NOT EXISTS (SELECT 1 FROM found) AND (SELECT ok FROM ok)
      ON CONFLICT DO NOTHING
      RETURNING id, phone_enc
    ), req AS (
      SELECT id, phone_enc FROM found WHERE NOT (${who.hasName}::boolean AND name_enc IS NULL)
      UNION ALL SELECT id, phone_enc FROM ins
    )`
    : sql`req AS (SELECT NULL::bigint AS id, NULL::text AS phone_enc)`;
  // issue 8: what the answer shows, not the whole row — its search words and their tsvector would be formatted by
  // PostgreSQL and parsed here on every ticket for nothing
  return insertTicketStatement(db, localDay, row, x, requester, newTicketAnswer());
}

// built on first use: the presenter and this module import each other
let answerColumns: RawBuilder<unknown> | null = null;
const newTicketAnswer = () =>
  (answerColumns ??= sql.join(SUMMARY_COLUMNS.map((c) => sql.ref(c.replace('tickets.', 't.')))));

/**
 * The one statement behind both: `ok` (category active, region known, a 举报's reported unit known), then the
 * caller's `req` CTE (the requester's id and phone ciphertext, or NULLs), then the ticket, its requester link,
 * the SMS receipt and the `created` event. Nothing is written when `ok` is false or `req` has no row.
 */
async function insertTicketStatement<R = Ticket>(
  db: Kysely<DB>,
  localDay: string,
  row: Omit<Insertable<TicketsTable>, 'number' | 'requester_id' | 'search_vector'>,
  x: NewTicketExtras,
  requester: RawBuilder<unknown>,
  answer: RawBuilder<unknown> = sql`t.*`,
): Promise<R | undefined> {
  const cols = (Object.keys(row) as Array<keyof typeof row>).filter((c) => row[c] !== undefined);
  const number = sql<string>`'HZ' || ${localDay.replaceAll('-', '')} || '-' || lpad(nextval('ticket_number_seq')::text, 6, '0')`;
  const r = await sql<R>`
    WITH ok AS (
      SELECT EXISTS (SELECT 1 FROM categories WHERE id = ${row.category_id} AND active)
        AND EXISTS (SELECT 1 FROM regions WHERE code = ${row.region_code})
        -- 第二十九条: a retired grid takes no new tickets (grid-admin.service.ts); its old ones keep it
        AND NOT EXISTS (SELECT 1 FROM grid_cells WHERE code = ${row.region_code} AND retired_at IS NOT NULL)
        AND (${row.reported_unit_id ?? null}::bigint IS NULL OR EXISTS (SELECT 1 FROM units WHERE id = ${row.reported_unit_id ?? null}::bigint)) AS ok
    ), ${requester}, t AS (
      INSERT INTO tickets (${sql.join(cols.map((c) => sql.ref(c)))}, search_vector, requester_id, number)
      SELECT ${sql.join(cols.map((c) => sql`${row[c]}`))}, ${searchVectorOf(x.searchWords)}, req.id, ${number}
      FROM req WHERE (SELECT ok FROM ok)
      RETURNING *
    ), link AS (
      INSERT INTO ticket_requesters (ticket_id, requester_id, contact_id, added_at)
      SELECT id, requester_id, contact_id, created_at FROM t WHERE requester_id IS NOT NULL
    ), receipt AS (
      INSERT INTO outbound_messages (channel, to_enc, purpose, ticket_id, contact_id, created_at, body)
      SELECT 'sms', req.phone_enc, 'receipt', t.id, t.contact_id, t.created_at, replace(${x.receipt}, ${TICKET_NUMBER_SLOT}, t.number)
      FROM t CROSS JOIN req WHERE req.phone_enc IS NOT NULL
    ), event AS (
      INSERT INTO ticket_events (ticket_id, kind, at, actor_user_id, actor_unit_id, to_status, data, request_id)
      SELECT t.id, 'created', t.created_at, ${x.event.actor_user_id}, ${x.event.actor_unit_id}, t.status,
        jsonb_set(${JSON.stringify(x.event.data)}::jsonb, '{number}', to_jsonb(t.number)), ${x.event.request_id}
      FROM t
    )${x.warning ? warningStatement(x.warning) : sql``}
    SELECT ${answer} FROM t`.execute(db);
  return r.rows[0];
}

/**
 * The warning of a new ticket with a sensitive-risk word and its `raised` event, as raiseWarning writes them: one
 * warning per ticket (cause and dedupe key the prefix and the new ticket's id, so no open warning can hold them).
 */
function warningStatement(w: NonNullable<NewTicketExtras['warning']>) {
  return sql`, warning AS (
      INSERT INTO warnings (kind, level, region_code, category_id, window_start, window_end, title, evidence, cause_key, dedupe_key, raised_at, updated_at)
      SELECT ${w.kind}, ${w.level}, t.region_code, t.category_id, t.created_at, t.created_at,
        replace(${w.title}, ${TICKET_NUMBER_SLOT}, t.number),
        jsonb_set(jsonb_set(${JSON.stringify(w.evidence)}::jsonb, '{ticketIds}', jsonb_build_array(t.id)), '{ticketNumber}', to_jsonb(t.number)),
        ${w.keyPrefix} || t.id, ${w.keyPrefix} || t.id, t.created_at, t.created_at
      FROM t
      RETURNING id, title, raised_at
    ), warning_event AS (
      INSERT INTO warning_events (warning_id, action, to_status, note, actor_user_id, at)
      SELECT id, 'raised', 'new', title, NULL, raised_at FROM warning
    )`;
}

export async function insertTicket(trx: Transaction<DB>, row: Insertable<TicketsTable>) {
  return trx.insertInto('tickets').values(row).returningAll().executeTakeFirstOrThrow();
}

/** Applies a change and bumps the version the optimistic-concurrency check compares against. */
export async function updateTicket(trx: Transaction<DB>, id: number, patch: Updateable<TicketsTable>) {
  return trx
    .updateTable('tickets')
    .set({ ...patch, version: sql<number>`version + 1` })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export interface EventInput {
  ticket_id: number;
  kind: string;
  at: Date;
  actor_user_id: number | null;
  actor_unit_id: number | null;
  from_status?: TicketStatus | null;
  to_status?: TicketStatus | null;
  reason?: string | null;
  data?: Record<string, unknown>;
  request_id?: string | null;
}

export async function insertEvent(trx: Transaction<DB>, e: EventInput) {
  return trx
    .insertInto('ticket_events')
    .values({
      ...e,
      from_status: e.from_status ?? null,
      to_status: e.to_status ?? null,
      reason: e.reason ?? null,
      data: JSON.stringify(e.data ?? {}),
      request_id: e.request_id ?? null,
    })
    .returning(['id'])
    .executeTakeFirstOrThrow();
}

export async function listEvents(db: Kysely<DB>, ticketId: number) {
  return db
    .selectFrom('ticket_events')
    .leftJoin('users', 'users.id', 'ticket_events.actor_user_id')
    .leftJoin('units', 'units.id', 'ticket_events.actor_unit_id')
    .select([
      'ticket_events.id',
      'ticket_events.kind',
      'ticket_events.at',
      'ticket_events.from_status',
      'ticket_events.to_status',
      'ticket_events.reason',
      'ticket_events.data',
      'ticket_events.actor_user_id',
      'users.display_name as actor_name',
      'ticket_events.actor_unit_id',
      'units.name as actor_unit_name',
    ])
    .where('ticket_events.ticket_id', '=', ticketId)
    .orderBy('ticket_events.id')
    .execute();
}

// ---- assignments (第十六条 lead and assisting units)

export async function insertAssignment(
  trx: Transaction<DB>,
  row: { ticket_id: number; unit_id: number; role: 'lead' | 'assist'; dispatched_at: Date },
) {
  return trx
    .insertInto('ticket_assignments')
    .values({ ...row, status: 'active' })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function listAssignments(db: Kysely<DB>, ticketId: number) {
  return db
    .selectFrom('ticket_assignments')
    .innerJoin('units', 'units.id', 'ticket_assignments.unit_id')
    .selectAll('ticket_assignments')
    .select('units.name as unit_name')
    .where('ticket_id', '=', ticketId)
    .orderBy('ticket_assignments.id')
    .execute();
}

export async function findActiveAssignment(db: Kysely<DB>, ticketId: number, unitId: number, role?: 'lead' | 'assist') {
  let q = db
    .selectFrom('ticket_assignments')
    .selectAll()
    .where('ticket_id', '=', ticketId)
    .where('unit_id', '=', unitId)
    .where('status', '!=', 'ended');
  if (role) q = q.where('role', '=', role);
  return q.executeTakeFirst();
}

export async function updateAssignment(trx: Transaction<DB>, id: number, patch: Updateable<DB['ticket_assignments']>) {
  await trx.updateTable('ticket_assignments').set(patch).where('id', '=', id).execute();
}

/** Ends every live assignment of a ticket (return approved, consultation decided a new unit). */
export async function endAssignments(trx: Transaction<DB>, ticketId: number, at: Date) {
  await trx
    .updateTable('ticket_assignments')
    .set({ status: 'ended', ended_at: at })
    .where('ticket_id', '=', ticketId)
    .where('status', '!=', 'ended')
    .execute();
  // 二级派单: what the lead unit passed down ends with its part in the ticket (the sub-unit no longer reads it)
  await endSubDispatches(trx, ticketId, at, '工单已不由原主办单位承办');
}

// ---- deadlines

export async function insertDeadline(
  trx: Transaction<DB>,
  row: {
    ticket_id: number;
    unit_id: number | null;
    kind: DeadlineKind;
    starts_at: Date;
    due_at: Date;
    warn_at: Date;
    calendar_unconfirmed?: boolean;
  },
) {
  return trx.insertInto('deadlines').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function openDeadlines(trx: Kysely<DB>, ticketId: number, kinds: DeadlineKind[]) {
  return trx
    .selectFrom('deadlines')
    .selectAll()
    .where('ticket_id', '=', ticketId)
    .where('kind', 'in', kinds)
    .where('met_at', 'is', null)
    .where('cancelled_at', 'is', null)
    .orderBy('id')
    .execute();
}

/** Marks open deadlines of these kinds as met (a late step is still met; breached_at keeps the lateness). */
export async function settleDeadlines(
  trx: Transaction<DB>,
  ticketId: number,
  kinds: DeadlineKind[],
  at: Date,
  unitId?: number,
) {
  let q = trx
    .updateTable('deadlines')
    .set({ met_at: at })
    .where('ticket_id', '=', ticketId)
    .where('kind', 'in', kinds)
    .where('met_at', 'is', null)
    .where('cancelled_at', 'is', null);
  if (unitId !== undefined) q = q.where('unit_id', '=', unitId);
  await q.execute();
}

/** Cancels open deadlines that no longer apply (the unit changed, the ticket was terminated). */
export async function cancelDeadlines(trx: Transaction<DB>, ticketId: number, kinds: DeadlineKind[] | 'all', at: Date) {
  let q = trx
    .updateTable('deadlines')
    .set({ cancelled_at: at })
    .where('ticket_id', '=', ticketId)
    .where('met_at', 'is', null)
    .where('cancelled_at', 'is', null);
  if (kinds !== 'all') q = q.where('kind', 'in', kinds);
  await q.execute();
}

export async function listDeadlines(db: Kysely<DB>, ticketId: number) {
  return db
    .selectFrom('deadlines')
    .leftJoin('units', 'units.id', 'deadlines.unit_id')
    .selectAll('deadlines')
    .select('units.name as unit_name')
    .where('ticket_id', '=', ticketId)
    .orderBy('deadlines.id')
    .execute();
}

/** A ticket's requesters other than its own (those a merge brought), oldest first; bounded like any list. */
export function listCoRequesters(db: Kysely<DB>, ticketId: number, ownRequesterId: number | null) {
  let q = db
    .selectFrom('ticket_requesters as tr')
    .innerJoin('requesters as r', 'r.id', 'tr.requester_id')
    .leftJoin('tickets as s', 's.id', 'tr.source_ticket_id')
    .select(['r.id', 'r.name_enc', 'r.phone_enc', 's.number as source_number', 'tr.added_at'])
    .where('tr.ticket_id', '=', ticketId);
  if (ownRequesterId !== null) q = q.where('tr.requester_id', '!=', ownRequesterId);
  return q.orderBy('tr.added_at').orderBy('r.id').limit(100).execute();
}

/**
 * A list's filters (issue 14) as a where() on any query that reads tickets. They narrow the queue's index range
 * scans (each ordered by due_at and limited), so a page still reads a bounded range; "即将超期" is a live deadline
 * the sweeper has warned about and not yet breached.
 */
export function matchingFilters(f: ResolvedTicketFilters) {
  return (eb: ExpressionBuilder<DB, 'tickets'>) => {
    const c: Expression<SqlBool>[] = [];
    if (f.fromAt) c.push(eb('tickets.created_at', '>=', f.fromAt));
    if (f.toAt) c.push(eb('tickets.created_at', '<', f.toAt));
    if (f.categoryIds) c.push(eb('tickets.category_id', 'in', f.categoryIds));
    if (f.regionPrefix) c.push(eb(sql.ref<string>('tickets.region_code'), 'like', `${f.regionPrefix}%`));
    if (f.channel) c.push(eb('tickets.channel', '=', f.channel));
    if (f.deadline === 'overdue') c.push(eb('tickets.due_at', '<', f.now));
    if (f.deadline === 'warning')
      c.push(
        eb.and([
          eb('tickets.due_at', '>=', f.now),
          eb.exists(
            eb
              .selectFrom('deadlines as d')
              .select('d.id')
              .whereRef('d.ticket_id', '=', 'tickets.id')
              .where('d.warned_at', 'is not', null)
              .where('d.breached_at', 'is', null)
              .where('d.met_at', 'is', null)
              .where('d.cancelled_at', 'is', null),
          ),
        ]),
      );
    return eb.and(c);
  };
}

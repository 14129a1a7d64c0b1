import { sql, type SelectQueryBuilder, type SqlBool } from 'kysely';
import type { DB, TicketStatus } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import { ALL_STATUSES, allowedActions } from '../../../shared/domain/transitions.js';
import { CENTRE_ROLES, hasRole, UNIT_ROLES, type Actor } from '../auth/actor.js';
import { assertCanView, identityWithheld, PII_REVEAL_ROLES } from './tickets.policy.js';
import {
  presentDeadline,
  presentQueueItem,
  presentRequesterMasked,
  presentTicketSummary,
  SUMMARY_COLUMNS,
  type TicketSummaryRow,
} from './tickets.presenter.js';
import * as repo from './tickets.repository.js';
import { CENTRE_ONLY_EVENT_KINDS } from '../../../shared/domain/referrals.js';
import type { ServiceDeps } from './ticket-workflow.js';
import type { TicketService } from './tickets.service.js';
import { originalTicketText } from '../../security/free-text.js';
import { ticketAttachments } from '../intake/attachments.query.js';
import { presentReplyContact, replyContactState } from './reply-contact.js';
import { AccessLogService } from '../sharing/access-log.service.js';
import type { TicketListFilters } from '../../../shared/contracts/tickets.js';
import { hasFilters, resolveTicketFilters } from './ticket-list-filters.js';
import {
  DEFAULT_TICKET_SORT,
  ticketSortSpec,
  type TicketSort,
  type TicketSortSpec,
} from '../../../shared/domain/ticket-sort.js';
import { decodeListCursor, encodeListCursor, type ListCursor } from '../../domain/list-cursor.js';

/** Centre staff read every event of a ticket in their regions; a unit's people not the centre-only ones. */
const centreStaff = (actor: Actor) => actor.scope === 'region' && hasRole(actor, ...CENTRE_ROLES);

export interface QueueQuery extends TicketListFilters {
  status?: TicketStatus[];
  /** 'lead': tickets my unit leads; 'assist': tickets my unit assists on; 'centre': my centre's regions; 'mine': the lead tickets my manager named me for. */
  view: 'lead' | 'assist' | 'centre' | 'mine';
  unitId?: number;
  /** issue 14: the list's order (default: deadline, soonest first) */
  sort?: TicketSort;
  after?: string;
  limit: number;
}

/** A list row with its sort key as the database holds it (to the microsecond), for the next page's cursor. */
type SortedRow = TicketSummaryRow & { sort_key: string | null };
type TicketSelect = SelectQueryBuilder<DB, 'tickets', SortedRow>;

/** The sort column as exact UTC text: the cursor must hold the key to the microsecond (domain/list-cursor.ts). */
const sortKeyOf = (spec: TicketSortSpec) =>
  sql<
    string | null
  >`to_char(${sql.ref(`tickets.${spec.column}`)} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`.as('sort_key');

function decodeCursor(c: string, sort: TicketSort): ListCursor {
  const r = decodeListCursor(c, sort);
  if (r.ok) return r.cursor;
  throw new AppError(
    'bad_request',
    r.reason === 'other_sort' ? '分页游标与排序方式不符，请从第一页重新加载' : '分页游标无效',
    { field: 'after' },
  );
}

/** "(key, id) is past the cursor" in the order's direction: a row comparison, an index condition on (…, key, id). */
const pastCursor = (spec: TicketSortSpec, c: { value: string; id: number }) =>
  sql<SqlBool>`(${sql.ref(`tickets.${spec.column}`)}, tickets.id) ${sql.raw(spec.desc ? '<' : '>')} (${c.value}::timestamptz, ${c.id})`;

// Reads: one ticket with everything about it, and work queues sized for ten million tickets.
export class TicketQueries {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly tickets: TicketService,
  ) {}

  async view(actor: Actor, id: number) {
    const { db, cipher, clock } = this.deps;
    const ticket = await repo.findTicket(db, id);
    await assertCanView(db, actor, ticket);
    const t = ticket!;
    const now = clock.now();
    const [
      requester,
      assignments,
      deadlines,
      events,
      applications,
      callbacks,
      consultations,
      evaluation,
      message,
      attachments,
      coRequesters,
    ] = await Promise.all([
      t.requester_id
        ? db
            .selectFrom('requesters')
            .select(['id', 'name_enc', 'phone_enc'])
            .where('id', '=', t.requester_id)
            .executeTakeFirst()
        : undefined,
      repo.listAssignments(db, id),
      repo.listDeadlines(db, id),
      repo.listEvents(db, id),
      db.selectFrom('applications').selectAll().where('ticket_id', '=', id).orderBy('id').execute(),
      db.selectFrom('callbacks').selectAll().where('ticket_id', '=', id).orderBy('id').execute(),
      db.selectFrom('consultations').selectAll().where('ticket_id', '=', id).orderBy('id').execute(),
      db
        .selectFrom('evaluations')
        .select(['satisfaction', 'comment', 'via', 'at'])
        .where('ticket_id', '=', id)
        .executeTakeFirst(),
      t.contact_id
        ? db.selectFrom('contacts').select('content_enc').where('id', '=', t.contact_id).executeTakeFirst()
        : undefined,
      ticketAttachments(db, id),
      repo.listCoRequesters(db, id, t.requester_id),
    ]);
    // 第三十三条: the unit a 举报 is about never learns who made it, not even masked.
    const withheld = identityWithheld(actor, t);
    const suggestion =
      t.status === 'pending_dispatch' && hasRole(actor, 'dispatcher') ? await this.tickets.suggestDispatch(t) : null;
    // 第十五条: while the unit handles it, whether it may reply without having reached the requester, and why not
    const replyContact =
      t.status === 'in_progress' && !t.first_contact_at ? presentReplyContact(await replyContactState(db, t)) : null;
    return {
      ...presentTicketSummary(t, cipher, actor),
      requester: withheld ? null : presentRequesterMasked(requester, cipher),
      // 第十七条: a merged ticket's other requesters (并单), each to be told the result at callback — masked
      coRequesters: withheld
        ? []
        : coRequesters.map((r) => ({
            ...presentRequesterMasked(r, cipher)!,
            sourceTicketNumber: r.source_number,
            addedAt: r.added_at,
          })),
      identityWithheld: withheld,
      // 第六条: numbers in the text (or in the message it came from) are masked; the reveal shows the original
      textMasked: !withheld && (!!t.original_enc || !!message?.content_enc),
      // state-allowed actions, less a return after the window has closed (第十四条)
      allowedActions: allowedActions(t.status).filter(
        (a) => a !== 'apply_return' || !t.return_until || now <= t.return_until,
      ),
      serverTime: now,
      assignments: assignments.map((a) => ({
        id: a.id,
        unitId: a.unit_id,
        unitName: a.unit_name,
        role: a.role,
        status: a.status,
        dispatchedAt: a.dispatched_at,
        acceptedAt: a.accepted_at,
        result: a.result,
        submittedAt: a.submitted_at,
        endedAt: a.ended_at,
      })),
      deadlines: deadlines.map((d) => presentDeadline(d, now)),
      // 第二十三条: a referral to the discipline body is the centre's; the unit does not see it on its ticket
      events: events
        .filter((e) => centreStaff(actor) || !CENTRE_ONLY_EVENT_KINDS.includes(e.kind))
        .map((e) => ({
          id: e.id,
          kind: e.kind,
          at: e.at,
          fromStatus: e.from_status,
          toStatus: e.to_status,
          reason: e.reason,
          data: e.data,
          actorUserId: e.actor_user_id,
          actorName: e.actor_name,
          actorUnitId: e.actor_unit_id,
          actorUnitName: e.actor_unit_name,
        })),
      applications: applications.map((a) => ({
        id: a.id,
        kind: a.kind,
        unitId: a.unit_id,
        reason: a.reason,
        materials: a.materials,
        requestedDays: a.requested_days,
        progress: a.progress,
        terminationCase: a.termination_case,
        status: a.status,
        reviewNote: a.review_note,
        createdAt: a.created_at,
        decidedAt: a.decided_at,
      })),
      callbacks: callbacks.map((c) => ({
        id: c.id,
        satisfaction: c.satisfaction,
        resolved: c.resolved,
        reasonable: c.reasonable,
        outcome: c.outcome,
        note: c.note,
        at: c.at,
      })),
      // 第九条: the pictures, voice, video and documents the requester sent with the matter — not to the unit a
      // 举报 is about (第三十三条): a photo or a voice is the requester's own, as their words are
      attachments: withheld ? [] : attachments,
      // 第九条: the requester's own evaluation (portal or SMS survey), which the callback agent starts from (第十七条)
      evaluation: evaluation ? { ...evaluation, comment: withheld ? null : evaluation.comment } : null,
      consultations: consultations.map((c) => ({
        id: c.id,
        participantUnitIds: c.participant_unit_ids,
        record: c.record,
        decidedUnitId: c.decided_unit_id,
        assistUnitIds: c.assist_unit_ids,
        heldAt: c.held_at,
      })),
      replyContact,
      dispatchSuggestion: suggestion && {
        leadUnitId: suggestion.leadUnitId,
        leadUnitName: suggestion.leadUnitName,
        assistUnitIds: suggestion.assistUnitIds,
        ruleId: suggestion.rule.id,
        basis: suggestion.rule.basis,
        explanation: suggestion.explanation,
      },
    };
  }

  /**
   * A work queue page in the asked order (issue 14; default by deadline then id), with keyset pagination and no
   * count over the table.
   *
   * Sized for ten million tickets: the lead and centre views read one index range per status — by deadline
   * ((lead_unit_id, status, due_at, id) or (status, due_at, id)), by 受理时间 the created_at twins of those
   * (migration 0045) — each ordered and limited on its own, and merge them. A single query over several statuses
   * would have to sort the unit's whole set on every page, and a cursor written as "(due_at, id) > … OR due_at IS
   * NULL" cannot be an index condition; here the NULL tail of tickets without a deadline (finished ones) is a
   * branch of its own, last in both directions.
   */
  async queue(actor: Actor, q: QueueQuery) {
    const { db } = this.deps;
    const spec = ticketSortSpec(q.sort ?? DEFAULT_TICKET_SORT);
    const statuses = q.status?.length ? [...new Set(q.status)] : ALL_STATUSES;
    const cursor = q.after ? decodeCursor(q.after, spec.sort) : null;
    const take = q.limit + 1;
    // issue 14: the list's filters narrow every branch (and the assist view) the same way
    const filters = await resolveTicketFilters(db, q, this.deps.clock.now());
    const narrow = <B extends TicketSelect>(b: B) => (hasFilters(filters) ? b.where(repo.matchingFilters(filters)) : b);
    let scoped: (b: TicketSelect) => TicketSelect;
    if (q.view === 'centre') {
      if (actor.scope !== 'region' || !hasRole(actor, ...CENTRE_ROLES))
        throw new AppError('forbidden', '仅热线工作机构人员可查看全局队列');
      const prefixes = actor.regionPrefixes;
      if (prefixes.length === 0) return { items: [], next: null };
      scoped = (b) => {
        b = narrow(b.where(repo.inRegions(prefixes)));
        return q.unitId !== undefined ? b.where('tickets.lead_unit_id', '=', q.unitId) : b;
      };
    } else {
      if (!hasRole(actor, ...UNIT_ROLES)) throw new AppError('forbidden', '仅承办单位人员可查看本单位队列');
      if (q.view === 'assist' || q.view === 'mine')
        return this.assistQueue(actor, statuses, spec, cursor, q.limit, q.view, narrow);
      scoped = (b) => narrow(b.where('tickets.lead_unit_id', '=', actor.unitId));
    }
    const col = `tickets.${spec.column}` as const;
    const dir = spec.desc ? 'desc' : 'asc';
    const base = (status: TicketStatus) =>
      scoped(
        db.selectFrom('tickets').select(SUMMARY_COLUMNS).select(sortKeyOf(spec)).where('tickets.status', '=', status),
      );
    const branches: TicketSelect[] = [];
    for (const status of statuses) {
      // the rows with a key, from the cursor on (none left once the cursor is in the NULL tail)
      if (cursor?.value !== null) {
        let b = base(status);
        if (spec.nullable) b = b.where(col, 'is not', null);
        if (cursor) b = b.where(pastCursor(spec, { value: cursor.value, id: cursor.id }));
        branches.push(b.orderBy(col, dir).orderBy('tickets.id', dir).limit(take));
      }
      // The NULL tail (finished tickets have no deadline) is its own index range; for open statuses it is
      // empty and costs one index probe, cheaper than trusting that every open ticket has a deadline.
      // It is ordered by (due_at, id) although due_at is NULL throughout: that is the index's own order, so
      // the planner reads the range; "ORDER BY id" alone made it walk the primary key and filter the table.
      if (spec.nullable) {
        let tail = base(status).where(col, 'is', null);
        if (cursor?.value === null) tail = tail.where('tickets.id', spec.desc ? '<' : '>', cursor.id);
        branches.push(tail.orderBy(col, dir).orderBy('tickets.id', dir).limit(take));
      }
    }
    const parts = branches.map((b, i) => db.selectFrom(b.as(`b${i}`)).selectAll());
    const merged = parts.slice(1).reduce((u, p) => u.unionAll(p), parts[0]!);
    const rows = await db
      .selectFrom(merged.as('q'))
      .selectAll()
      .orderBy(`q.${spec.column}`, (ob) => (spec.desc ? ob.desc() : ob.asc()).nullsLast())
      .orderBy('q.id', dir)
      .limit(take)
      .execute();
    return this.page(rows, q.limit, actor, spec);
  }

  /**
   * Tickets my unit assists on. Driven from the unit's active assist assignments (a small set, read first
   * through ticket_assignments_unit_active) and then looked up by id: probing the assignments of every
   * ticket in a status is what made this view slow at a million tickets. The set is small, so it is sorted
   * whole in any order.
   */
  private async assistQueue(
    actor: Actor,
    statuses: TicketStatus[],
    spec: TicketSortSpec,
    cursor: ListCursor | null,
    limit: number,
    source: 'assist' | 'mine',
    narrow: (b: TicketSelect) => TicketSelect,
  ) {
    const { db } = this.deps;
    // 'mine' (issue 14): the tickets the unit manager named this handler for, still led by the unit
    const mine =
      source === 'mine'
        ? db
            .selectFrom('ticket_handlers as h')
            .select('h.ticket_id')
            .where('h.handler_id', '=', actor.userId)
            .where('h.unit_id', '=', actor.unitId)
        : db
            .selectFrom('ticket_assignments as a')
            .select('a.ticket_id')
            .where('a.unit_id', '=', actor.unitId)
            .where('a.role', '=', 'assist')
            .where('a.status', '=', 'active');
    let query = narrow(
      db
        .selectFrom('tickets')
        .select(SUMMARY_COLUMNS)
        .select(sortKeyOf(spec))
        .where(sql<boolean>`tickets.id = ANY(ARRAY(${mine}))`)
        .where('tickets.status', 'in', statuses),
    );
    if (source === 'mine') query = query.where('tickets.lead_unit_id', '=', actor.unitId);
    const col = `tickets.${spec.column}` as const;
    if (cursor) {
      const { value, id } = cursor;
      query =
        value === null
          ? query.where((eb) => eb.and([eb(col, 'is', null), eb('tickets.id', spec.desc ? '<' : '>', id)]))
          : query.where((eb) =>
              eb.or([pastCursor(spec, { value, id }), ...(spec.nullable ? [eb(col, 'is', null)] : [])]),
            );
    }
    const rows = await query
      .orderBy(col, (ob) => (spec.desc ? ob.desc() : ob.asc()).nullsLast())
      .orderBy('tickets.id', spec.desc ? 'desc' : 'asc')
      .limit(limit + 1)
      .execute();
    return this.page(rows, limit, actor, spec);
  }

  private page(rows: SortedRow[], limit: number, actor: Actor, spec: TicketSortSpec) {
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return {
      items: items.map((t) => presentQueueItem(t, this.deps.cipher, actor)),
      next: rows.length > limit && last ? encodeListCursor(spec.sort, last.sort_key, last.id) : null,
    };
  }

  /** 第六、三十条: clear personal data for someone whose work needs it, written to the access audit. */
  async revealRequester(actor: Actor, ticketId: number, purpose: string, coRequesterId?: number) {
    const { db, cipher } = this.deps;
    if (!hasRole(actor, ...PII_REVEAL_ROLES)) throw new AppError('forbidden', '当前角色无权查看诉求人个人信息');
    const ticket = await repo.findTicket(db, ticketId);
    await assertCanView(db, actor, ticket);
    const t = ticket!;
    if (identityWithheld(actor, t)) throw new AppError('forbidden', '举报人信息依法对被举报单位保密（第三十三条）');
    if (coRequesterId !== undefined && coRequesterId !== t.requester_id)
      return this.revealCoRequester(actor, t, coRequesterId, purpose);
    const [requester, contact] = await Promise.all([
      t.requester_id
        ? db.selectFrom('requesters').selectAll().where('id', '=', t.requester_id).executeTakeFirst()
        : undefined,
      t.contact_id
        ? db.selectFrom('contacts').select('content_enc').where('id', '=', t.contact_id).executeTakeFirst()
        : undefined,
    ]);
    // The original words, where numbers in them were masked (第六条): the ticket's own text and the message it
    // came from (an agent's ticket text is often the message, already masked when it was received).
    const original = originalTicketText(cipher, t.original_enc);
    const message = cipher.decrypt(contact?.content_enc ?? null);
    const fields = ['name', 'phone', 'address', ...(original ? ['text'] : []), ...(message ? ['message'] : [])];
    const clear = {
      name: cipher.decrypt(requester?.name_enc ?? null),
      phone: cipher.decrypt(requester?.phone_enc ?? null),
      address: cipher.decrypt(t.address_enc),
      originalText: original,
      originalMessage: message,
    };
    await this.auditReveal(actor, t.id, requester?.id ?? null, fields, purpose, 'ticket_requester', clear);
    return clear;
  }

  /** Every reveal's two records: the reveal audit (pii_access_log) and 第三十条第二款's chained access log. */
  private async auditReveal(
    actor: Actor,
    ticketId: number,
    requesterId: number | null,
    fields: string[],
    purpose: string,
    target: 'ticket_requester' | 'ticket_co_requester',
    clear: object,
  ) {
    const { db, clock } = this.deps;
    await db
      .insertInto('pii_access_log')
      .values({
        user_id: actor.userId,
        ticket_id: ticketId,
        requester_id: requesterId,
        fields,
        purpose,
        at: clock.now(),
        request_id: actor.requestId ?? null,
      })
      .execute();
    await new AccessLogService(db, clock).recordPerson(actor, {
      kind: 'reveal',
      ticketIds: [ticketId],
      filter: { fields, purpose, target },
      rowCount: 1,
      content: JSON.stringify(clear),
    });
  }

  /**
   * 第十七条: a merged ticket's other requester, to call back: only their name and phone (the address and the
   * words are the ticket's own requester's), audited like every reveal. One who is not on the ticket is 404.
   */
  private async revealCoRequester(actor: Actor, t: { id: number }, requesterId: number, purpose: string) {
    const { db, cipher } = this.deps;
    const requester = await db
      .selectFrom('ticket_requesters as tr')
      .innerJoin('requesters as r', 'r.id', 'tr.requester_id')
      .select(['r.id', 'r.name_enc', 'r.phone_enc'])
      .where('tr.ticket_id', '=', t.id)
      .where('tr.requester_id', '=', requesterId)
      .executeTakeFirst();
    if (!requester) throw new AppError('not_found', '该诉求人不属于本工单');
    const clear = {
      name: cipher.decrypt(requester.name_enc),
      phone: cipher.decrypt(requester.phone_enc),
      address: null,
      originalText: null,
      originalMessage: null,
    };
    await this.auditReveal(actor, t.id, requester.id, ['name', 'phone'], purpose, 'ticket_co_requester', clear);
    return clear;
  }
}

export { identityWithheld };

import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import type { Clock } from '../clock.js';
import { localDateOf, localInstant, addDays } from '../domain/calendar.js';
import { shanghaiDay } from '../domain/knowledge-workflow.js';
import {
  collectiveRequests,
  knowledgeNoticeRipe,
  knowledgeNotUpdated,
  overdueDecision,
  refusalByRejectedReturn,
  refusalByRepeatedApplications,
  repeatedBySameRequester,
  ruleInForce,
  windowOf,
  type Firing,
  type RuleVersion,
} from '../domain/supervision-triggers.js';
import type {
  KnowledgeThresholds,
  OverdueThresholds,
  RefusalThresholds,
  RepeatedThresholds,
  SupervisionTrigger,
} from '../../shared/domain/supervision.js';
import { openCase } from '../modules/supervision/case-opening.js';
import { loadRules } from '../modules/supervision/supervision.repository.js';

// 第二十二条 热线督办: the scheduler's trigger job. It reads the event history incrementally — a cursor over
// ticket_events by id and one over knowledge_notices, never a scan of all tickets — and each batch is one
// transaction that locks its cursor row FOR UPDATE SKIP LOCKED, acts and advances the cursor: a second scheduler
// skips the batch another one is doing, and a cause already opened is not opened again (supervision_cases.cause_key
// is unique), so running the job twice or on several schedulers opens each case once.
//
// Ids of a serial column are taken before commit, so a transaction still running can commit an event with an id
// below one already read. The cursor therefore only passes events older than SETTLE_MS (by their own time): events
// younger than that are acted on now and read again next pass, which changes nothing (cause keys, card keys), and
// an event committed late by a transaction shorter than SETTLE_MS is never skipped.
export const SETTLE_MS = 120_000;

const KINDS = [
  'return_rejected',
  'return_applied',
  'dispute_applied',
  'deadline_warned',
  'deadline_breached',
  'repeat_contact',
  'merged_from',
  'created',
  'dispatched',
] as const;

// a type, not an interface: the scheduler's passes return Record<string, number>
export type TriggerPassResult = {
  /** events read (those still settling are read again by the next pass) */
  events: number;
  cards: number;
  cases: number;
  proposals: number;
};

interface EventRow {
  id: number;
  ticket_id: number;
  kind: string;
  at: Date;
  actor_unit_id: number | null;
  data: Record<string, unknown>;
  number: string;
  region_code: string;
  category_id: number;
  lead_unit_id: number | null;
  requester_id: number | null;
  status: string;
  resolved: boolean | null;
}

export async function runSupervisionTriggers(
  db: Kysely<DB>,
  clock: Clock,
  opts: { batchSize?: number; maxBatches?: number } = {},
): Promise<TriggerPassResult & { knowledge: number }> {
  const batchSize = opts.batchSize ?? 500;
  const result = { events: 0, cards: 0, cases: 0, proposals: 0, knowledge: 0 };
  const rules = await loadRules(db);
  for (let i = 0; i < (opts.maxBatches ?? 20); i++) {
    const r = await eventBatch(db, clock, rules, batchSize);
    if (r === null) break;
    result.events += r.events;
    result.cards += r.cards;
    result.cases += r.cases;
    result.proposals += r.proposals;
    if (r.events < batchSize || !r.advanced) break;
  }
  result.knowledge = await knowledgeBatch(db, clock, rules, batchSize);
  return result;
}

async function lockCursor(trx: Transaction<DB>, name: string): Promise<number | null> {
  const row = await sql<{ last_id: string | number }>`
    SELECT last_id FROM supervision_cursors WHERE name = ${name} FOR UPDATE SKIP LOCKED`.execute(trx);
  return row.rows[0] ? Number(row.rows[0].last_id) : null;
}

async function advanceCursor(trx: Transaction<DB>, name: string, lastId: number, now: Date) {
  await trx
    .updateTable('supervision_cursors')
    .set({ last_id: lastId, updated_at: now })
    .where('name', '=', name)
    .execute();
}

/** One batch of ticket events; null when another scheduler holds the cursor. */
async function eventBatch(
  db: Kysely<DB>,
  clock: Clock,
  rules: RuleVersion[],
  batchSize: number,
): Promise<(TriggerPassResult & { advanced: boolean }) | null> {
  return db.transaction().execute(async (trx) => {
    const last = await lockCursor(trx, 'ticket_events');
    if (last === null) return null;
    const rows = (await trx
      .selectFrom('ticket_events as e')
      .innerJoin('tickets as t', 't.id', 'e.ticket_id')
      .select([
        'e.id',
        'e.ticket_id',
        'e.kind',
        'e.at',
        'e.actor_unit_id',
        'e.data',
        't.number',
        't.region_code',
        't.category_id',
        't.lead_unit_id',
        't.requester_id',
        't.status',
        't.resolved',
      ])
      .where('e.id', '>', last)
      .where('e.kind', 'in', KINDS)
      .orderBy('e.id')
      .limit(batchSize)
      .execute()) as unknown as EventRow[];
    const out = { events: rows.length, cards: 0, cases: 0, proposals: 0, advanced: false };
    const now = clock.now();
    const fire = async (code: SupervisionTrigger, at: Date, f: Firing | null) => {
      const rule = ruleInForce(rules, code, at);
      if (!f || !rule) return;
      // a cause already opened (e.g. an event read again while settling): nothing to do, and nothing to compute
      const known = await trx
        .selectFrom('supervision_cases')
        .select('id')
        .where('cause_key', '=', f.causeKey)
        .executeTakeFirst();
      if (known) return;
      const c = await openCase(trx, f, { rule, mode: rule.mode, actor: null, now });
      if (c) out[c.status === 'open' ? 'cases' : 'proposals']++;
    };
    const rule = <T>(code: SupervisionTrigger, at: Date) =>
      (ruleInForce(rules, code, at)?.thresholds as unknown as T | undefined) ?? null;
    const clustersSeen = new Set<string>();
    for (const e of rows) {
      const at = new Date(e.at);
      switch (e.kind) {
        case 'return_rejected': {
          const app = await trx
            .selectFrom('applications')
            .select(['id', 'unit_id', 'review_note'])
            .where('id', '=', Number(e.data.applicationId))
            .executeTakeFirst();
          if (app)
            await fire(
              'refusal',
              at,
              refusalByRejectedReturn({
                ticketId: e.ticket_id,
                ticketNumber: e.number,
                unitId: app.unit_id,
                applicationId: app.id,
                eventId: e.id,
                at,
                reviewNote: app.review_note,
              }),
            );
          break;
        }
        case 'return_applied':
        case 'dispute_applied': {
          const t = rule<RefusalThresholds>('refusal', at);
          if (!t || e.actor_unit_id === null) break;
          const apps = await trx
            .selectFrom('applications')
            .select('id')
            .where('ticket_id', '=', e.ticket_id)
            .where('unit_id', '=', e.actor_unit_id)
            .where('kind', 'in', ['return', 'dispute'])
            .orderBy('id')
            .execute();
          await fire(
            'refusal',
            at,
            refusalByRepeatedApplications(
              {
                ticketId: e.ticket_id,
                ticketNumber: e.number,
                unitId: e.actor_unit_id,
                applicationIds: apps.map((a) => a.id),
                eventId: e.id,
              },
              t,
            ),
          );
          break;
        }
        case 'deadline_warned':
        case 'deadline_breached': {
          const deadlineId = Number(e.data.deadlineId);
          const dueAt = new Date(String(e.data.dueAt));
          const mark = e.kind === 'deadline_warned' ? 'warned' : 'breached';
          const d = overdueDecision(
            {
              eventId: e.id,
              mark,
              deadlineId,
              deadlineKind: String(e.data.deadlineKind),
              ticketId: e.ticket_id,
              ticketNumber: e.number,
              unitId: e.actor_unit_id,
              dueAt,
              at,
            },
            rule<OverdueThresholds>('overdue', at),
          );
          const card = await trx
            .insertInto('supervision_cards')
            .values({
              ticket_id: e.ticket_id,
              unit_id: e.actor_unit_id,
              deadline_id: deadlineId,
              colour: d.card,
              deadline_kind: String(e.data.deadlineKind),
              due_at: dueAt,
              at,
            })
            .onConflict((oc) => oc.columns(['deadline_id', 'colour']).doNothing())
            .returning('id')
            .executeTakeFirst();
          if (card) out.cards++;
          await fire('overdue', at, d.firing);
          break;
        }
        case 'repeat_contact':
        case 'merged_from': {
          const t = rule<RepeatedThresholds>('repeated', at);
          if (!t) break;
          const requesterId = await requesterOf(trx, e);
          if (requesterId === null) break;
          const times = await timesRaised(trx, e.ticket_id, requesterId);
          await fire(
            'repeated',
            at,
            repeatedBySameRequester(
              {
                ticketId: e.ticket_id,
                ticketNumber: e.number,
                unitId: e.lead_unit_id,
                requesterId,
                times,
                resolved: isResolved(e),
                eventId: e.id,
              },
              t,
            ),
          );
          break;
        }
        case 'created':
        case 'dispatched': {
          const t = rule<RepeatedThresholds>('repeated', at);
          if (!t) break;
          const window = windowOf(localDateOf(at), t.windowDays);
          const key = `${e.region_code}:${e.category_id}:${window.start}`;
          if (clustersSeen.has(key)) break;
          clustersSeen.add(key);
          const tickets = await clusterTickets(trx, e.region_code, e.category_id, window);
          await fire(
            'repeated',
            at,
            collectiveRequests({ regionCode: e.region_code, categoryId: e.category_id, window, tickets }, t),
          );
          break;
        }
      }
    }
    // the cursor passes the leading run of settled events only
    const settled = (at: Date) => now.getTime() - new Date(at).getTime() >= SETTLE_MS;
    let upTo = last;
    let young = false;
    for (const e of rows) {
      if (!settled(e.at)) {
        young = true;
        break;
      }
      upTo = e.id;
    }
    // every visible event of the kinds above is in `rows`: the events of other kinds after them are passed too
    // (while settled), so the next pass does not walk them again
    if (!young && rows.length < batchSize) {
      const after = await trx
        .selectFrom('ticket_events')
        .select(['id', 'at'])
        .where('id', '>', upTo)
        .orderBy('id')
        .limit(batchSize * 10)
        .execute();
      for (const e of after) {
        if (!settled(e.at)) break;
        upTo = e.id;
      }
    }
    if (upTo > last) {
      await advanceCursor(trx, 'ticket_events', upTo, now);
      out.advanced = true;
    }
    return out;
  });
}

function isResolved(t: { status: string; resolved: boolean | null }): boolean {
  return (t.status === 'closed' && t.resolved !== false) || t.status === 'terminated';
}

/** Who raised it again: the repeat contact's requester, or the merged ticket's. */
async function requesterOf(trx: Transaction<DB>, e: EventRow): Promise<number | null> {
  if (e.kind === 'repeat_contact') {
    const c = await trx
      .selectFrom('contacts')
      .select('requester_id')
      .where('id', '=', Number(e.data.contactId))
      .executeTakeFirst();
    return c?.requester_id ?? null;
  }
  const t = await trx
    .selectFrom('tickets')
    .select('requester_id')
    .where('id', '=', Number(e.data.fromTicketId))
    .executeTakeFirst();
  return t?.requester_id ?? null;
}

/**
 * How often one requester raised the matter: the ticket, tickets merged into it (and not taken back out by 撤销并单)
 * and repeat contacts — all read through the ticket's own events (the ticket_events_ticket index), never a scan of
 * tickets.
 */
async function timesRaised(trx: Transaction<DB>, ticketId: number, requesterId: number): Promise<number> {
  const r = await sql<{ n: number }>`
    SELECT (SELECT count(*) FROM tickets WHERE id = ${ticketId} AND requester_id = ${requesterId})
         + (SELECT count(DISTINCT s.id) FROM ticket_events e JOIN tickets s ON s.id = (e.data->>'fromTicketId')::int
             WHERE e.ticket_id = ${ticketId} AND e.kind = 'merged_from' AND s.requester_id = ${requesterId}
               AND s.merged_into_id = ${ticketId})
         + (SELECT count(*) FROM ticket_events e JOIN contacts c ON c.id = (e.data->>'contactId')::int
             WHERE e.ticket_id = ${ticketId} AND e.kind = 'repeat_contact' AND c.requester_id = ${requesterId}) AS n`.execute(
    trx,
  );
  return Number(r.rows[0]?.n ?? 0);
}

/**
 * The tickets of one region and category created in a window (merged ones counted in the ticket they joined), with
 * every requester linked to each (ticket_requesters: the first, repeat contacts, merged requesters). Bounded by
 * the (region_code, created_at) index and a cap.
 */
async function clusterTickets(
  trx: Transaction<DB>,
  regionCode: string,
  categoryId: number,
  window: { start: string; end: string },
) {
  const rows = await trx
    .selectFrom('tickets as t')
    .leftJoin('ticket_requesters as tr', 'tr.ticket_id', 't.id')
    .select(['t.id', 't.lead_unit_id', 't.status', 't.resolved', 't.requester_id', 'tr.requester_id as linked'])
    .where('t.region_code', '=', regionCode)
    .where('t.category_id', '=', categoryId)
    .where('t.created_at', '>=', localInstant(window.start))
    .where('t.created_at', '<', localInstant(addDays(window.end, 1)))
    .where('t.merged_into_id', 'is', null)
    .orderBy('t.id')
    .limit(5000)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    requesterId: r.linked ?? r.requester_id,
    leadUnitId: r.lead_unit_id,
    resolved: isResolved(r),
  }));
}

/** 第二十二条(四): notices of expired or stale articles whose grace has passed, in id order; stops at the first unripe. */
async function knowledgeBatch(db: Kysely<DB>, clock: Clock, rules: RuleVersion[], batchSize: number) {
  return db.transaction().execute(async (trx) => {
    const last = await lockCursor(trx, 'knowledge_notices');
    if (last === null) return 0;
    const now = clock.now();
    const rule = ruleInForce(rules, 'knowledge', now);
    const grace = (rule?.thresholds as unknown as KnowledgeThresholds | undefined)?.graceDays ?? 0;
    const rows = await trx
      .selectFrom('knowledge_notices as n')
      .innerJoin('knowledge_articles as a', 'a.id', 'n.article_id')
      .select([
        'n.id',
        'n.kind',
        'n.created_at',
        'n.unit_id',
        'a.id as article_id',
        'a.title',
        'a.status',
        'a.expires_on',
        'a.reviewed_at',
      ])
      .where('n.id', '>', last)
      .where('n.kind', 'in', ['expired', 'stale'])
      .orderBy('n.id')
      .limit(batchSize)
      .execute();
    const today = shanghaiDay(now);
    let opened = 0;
    let upTo = last;
    for (const n of rows) {
      const noticeAt = new Date(n.created_at);
      if (rule && !knowledgeNoticeRipe(noticeAt, grace, now)) break;
      upTo = n.id;
      if (!rule) continue;
      const stillOutstanding =
        n.status === 'published' &&
        (n.kind === 'expired'
          ? n.expires_on !== null && String(n.expires_on) <= today
          : n.reviewed_at === null || new Date(n.reviewed_at).getTime() <= noticeAt.getTime());
      const f = knowledgeNotUpdated(
        {
          noticeId: n.id,
          noticeKind: n.kind as 'expired' | 'stale',
          noticeAt,
          articleId: n.article_id,
          articleTitle: n.title ?? '',
          unitId: n.unit_id,
          stillOutstanding,
        },
        { graceDays: grace },
        now,
      );
      if (f) {
        const c = await openCase(trx, f, { rule, mode: rule.mode, actor: null, now });
        if (c) opened++;
      }
    }
    if (upTo > last) await advanceCursor(trx, 'knowledge_notices', upTo, now);
    return opened;
  });
}

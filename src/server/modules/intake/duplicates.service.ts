import { AppError } from '../../errors.js';
import { anyWordQuery, similarity, tokenize } from '../../domain/text-tokens.js';
import { OPEN_STATUSES, STATUS_LABELS } from '../../../shared/domain/transitions.js';
import { maskAddress } from '../../domain/masking.js';
import { regionPrefix, requireRole, type Actor } from '../auth/actor.js';
import { regionChain } from '../config/config.repository.js';
import { loadVisibleContact } from './contacts.policy.js';
import { assertCanView, canViewTicket } from '../tickets/tickets.policy.js';
import {
  readMergeSnapshot,
  UNMERGE_REFUSAL_TEXT,
  unmergeRefusal,
  unmergeUntil,
  type UnmergeRefusal,
} from '../../../shared/domain/unmerge.js';
import * as repo from '../tickets/tickets.repository.js';
import * as dups from './duplicates.repository.js';
import { runStep, unassignUnits, type ServiceDeps } from '../tickets/ticket-workflow.js';

export interface DuplicateQuery {
  text: string;
  requesterId?: number | null;
  categoryId?: number | null;
  regionCode?: string | null;
  excludeTicketId?: number;
}

export const DUPLICATE_RULES = { windowDays: 30, candidates: 40, shown: 5, minScore: 0.2, queryWords: 16 };

// Likely the same matter: open tickets of the same requester, or of the same category near the same place
// with similar text in the last 30 days. Enough detail is returned for a person to judge; nothing is merged
// automatically.
export class DuplicateService {
  constructor(private readonly deps: ServiceDeps) {}

  async suggest(actor: Actor, q: DuplicateQuery) {
    requireRole(actor, 'agent', 'dispatcher', 'supervisor');
    const { db, clock, cipher } = this.deps;
    const now = clock.now();
    const since = new Date(now.getTime() - DUPLICATE_RULES.windowDays * 86_400_000);
    const words = tokenize(q.text);
    // Longer words first: they are rarer, so the index narrows faster and ranking means more.
    const query = anyWordQuery(
      [...words].sort((a, b) => b.length - a.length),
      DUPLICATE_RULES.queryWords,
    );
    const scope = actor.regionPrefixes;
    const nearPrefix = q.regionCode ? await this.nearbyPrefix(q.regionCode) : null;

    const filter = { scope, excludeTicketId: q.excludeTicketId };
    const [sameRequester, similar] = await Promise.all([
      q.requesterId ? dups.openTicketsOfRequester(db, filter, q.requesterId, DUPLICATE_RULES.candidates) : [],
      query && scope.length
        ? dups.similarOpenTickets(db, filter, {
            tsquery: query,
            since,
            categoryId: q.categoryId,
            regionPrefix: nearPrefix,
            limit: DUPLICATE_RULES.candidates,
          })
        : [],
    ]);

    const byId = new Map<number, { t: dups.DuplicateCandidate; reasons: string[]; score: number }>();
    // The same requester counts most (a caller's open ticket is the likeliest match), and among those the
    // more similar text ranks first, so a caller with many open tickets still sees the right one on top.
    for (const t of sameRequester) {
      const sim = similarity(words, t.search_words ?? []);
      byId.set(t.id, { t, reasons: ['同一诉求人的未办结工单'], score: 1 + sim });
    }
    for (const t of similar) {
      const sim = similarity(words, t.search_words ?? []);
      const entry = byId.get(t.id) ?? { t, reasons: [], score: 0 };
      entry.score = Math.max(
        entry.score,
        sim +
          (q.categoryId && t.category_id === q.categoryId ? 0.1 : 0) +
          (q.regionCode && t.region_code === q.regionCode ? 0.1 : 0),
      );
      entry.reasons.push(`内容相似度 ${Math.round(sim * 100)}%`);
      if (q.categoryId && t.category_id === q.categoryId) entry.reasons.push('同一事项分类');
      if (q.regionCode && t.region_code === q.regionCode) entry.reasons.push('同一区域');
      byId.set(t.id, entry);
    }
    return [...byId.values()]
      .filter((e) => e.score >= DUPLICATE_RULES.minScore)
      .sort((a, b) => b.score - a.score)
      .slice(0, DUPLICATE_RULES.shown)
      .map(({ t, reasons, score }) => ({
        id: t.id,
        number: t.number,
        title: t.title,
        excerpt: t.content.slice(0, 120),
        status: t.status,
        statusLabel: STATUS_LABELS[t.status],
        categoryId: t.category_id,
        regionCode: t.region_code,
        address: maskAddress(cipher.decrypt(t.address_enc)),
        createdAt: t.created_at,
        score: Math.round(score * 100) / 100,
        reasons,
      }));
  }

  /** Duplicates for a recorded contact, from its own text and requester. */
  async suggestForContact(actor: Actor, contactId: number, hint: { categoryId?: number; regionCode?: string } = {}) {
    requireRole(actor, 'agent', 'dispatcher', 'supervisor');
    await loadVisibleContact(this.deps.db, actor, contactId);
    const c = await dups.contactText(this.deps.db, contactId);
    return this.suggest(actor, {
      text: c.content,
      requesterId: c.requester_id,
      categoryId: hint.categoryId,
      regionCode: hint.regionCode,
      excludeTicketId: c.ticket_id ?? undefined,
    });
  }

  /**
   * 并单: the source ticket is closed into the target; its requesters join the target so each is told the
   * result and counted, its open deadlines lapse. Both tickets get an event.
   */
  async merge(actor: Actor, sourceId: number, input: { intoTicketId: number; note?: string }) {
    requireRole(actor, 'dispatcher');
    if (sourceId === input.intoTicketId) throw new AppError('bad_request', '不能与自身并单');
    return runStep(this.deps, actor, sourceId, 'merge_into', undefined, async (ctx) => {
      const target = await repo.lockTicket(ctx.trx, input.intoTicketId);
      // 第三十条: the target must be a ticket the dispatcher may see, like the source (answered as if it did not exist)
      if (
        !target ||
        !(await canViewTicket(ctx.trx, actor, target)) ||
        !(OPEN_STATUSES as string[]).includes(target.status) ||
        target.merged_into_id
      ) {
        throw new AppError('bad_request', '目标工单不存在或已办结，不能并单', { field: 'intoTicketId' });
      }
      const requestersAdded = await dups.addRequestersOfMerged(ctx.trx, sourceId, target.id, ctx.now);
      // 撤销并单: what the merge takes from this ticket is written on its event, so an undo puts exactly that back
      const restore = await dups.mergeSnapshot(ctx.trx, ctx.ticket);
      await unassignUnits(ctx);
      await repo.cancelDeadlines(ctx.trx, sourceId, 'all', ctx.now);
      await ctx.event('merged_into', { intoTicketId: target.id, intoNumber: target.number, restore }, input.note);
      await repo.insertEvent(ctx.trx, {
        ticket_id: target.id,
        kind: 'merged_from',
        at: ctx.now,
        actor_user_id: actor.userId,
        actor_unit_id: actor.unitId,
        data: { fromTicketId: sourceId, fromNumber: ctx.ticket.number, requestersAdded },
        reason: input.note ?? null,
        request_id: actor.requestId ?? null,
      });
      await repo.updateTicket(ctx.trx, target.id, { updated_at: ctx.now });
      return repo.updateTicket(ctx.trx, sourceId, {
        status: ctx.to,
        merged_into_id: target.id,
        closed_at: ctx.now,
        due_at: null,
        updated_at: ctx.now,
      });
    });
  }

  /**
   * 撤销并单 (issue 14): within 24 hours of the merge and while the surviving ticket has not been answered, the centre
   * takes the merged ticket back out. It returns to the state the merge found it in — status, due time, its units'
   * assignments and the deadlines the merge cancelled (their due times unchanged: the time limits of 第十四、十五条
   * run from the dispatch, and a day's merge does not extend them) — or 待派单 when the merge recorded no snapshot.
   * Its requesters leave the surviving ticket. One transaction, an event on each ticket.
   */
  async unmerge(actor: Actor, ticketId: number, input: { note?: string; expectedVersion?: number }) {
    requireRole(actor, 'dispatcher');
    const { db, clock } = this.deps;
    return db.transaction().execute(async (trx) => {
      const source = await repo.lockTicket(trx, ticketId);
      await assertCanView(trx, actor, source);
      const t = source!;
      if (input.expectedVersion !== undefined && input.expectedVersion !== t.version) {
        throw new AppError('version_conflict', '工单已被他人修改，请刷新后重试', {
          currentVersion: t.version,
          status: t.status,
        });
      }
      const now = clock.now();
      const mergedEvent = t.merged_into_id ? await dups.lastMergedEvent(trx, t.id) : undefined;
      const mergedAt = mergedEvent ? new Date(mergedEvent.at) : null;
      const refuse = (why: UnmergeRefusal, extra: Record<string, unknown> = {}): never => {
        throw new AppError('conflict', UNMERGE_REFUSAL_TEXT[why], {
          reason: why,
          status: t.status,
          ...(mergedAt ? { unmergeUntil: unmergeUntil(mergedAt).toISOString() } : {}),
          ...extra,
        });
      };
      const early = unmergeRefusal({ status: t.status, mergedIntoId: t.merged_into_id, mergedAt, now });
      if (early) refuse(early);
      // the surviving ticket is locked after the merged one, in the same order as the merge itself took them
      const target = (await repo.lockTicket(trx, t.merged_into_id!))!;
      const why = unmergeRefusal({
        status: t.status,
        mergedIntoId: t.merged_into_id,
        mergedAt,
        now,
        target: { status: target.status, repliedAt: target.replied_at ? new Date(target.replied_at) : null },
      });
      if (why) refuse(why, { targetStatus: target.status });

      const snapshot = readMergeSnapshot(mergedEvent!.data);
      const status = snapshot?.status ?? 'pending_dispatch';
      if (snapshot) await dups.restoreMergeSnapshot(trx, t.id, snapshot);
      // the link moves back: the requesters the merge added to the surviving ticket leave it (this ticket kept its own)
      const removed = await dups.removeRequestersOfMerged(trx, t.id, target.id);
      const restored = snapshot ? 'exact' : 'pending_dispatch';
      await repo.insertEvent(trx, {
        ticket_id: t.id,
        kind: 'unmerged',
        at: now,
        actor_user_id: actor.userId,
        actor_unit_id: actor.unitId,
        from_status: t.status,
        to_status: status,
        reason: input.note ?? null,
        data: { fromTicketId: target.id, fromNumber: target.number, restored },
        request_id: actor.requestId ?? null,
      });
      await repo.insertEvent(trx, {
        ticket_id: target.id,
        kind: 'unmerged_from',
        at: now,
        actor_user_id: actor.userId,
        actor_unit_id: actor.unitId,
        reason: input.note ?? null,
        data: { ticketId: t.id, number: t.number, requestersRemoved: removed.length },
        request_id: actor.requestId ?? null,
      });
      await repo.updateTicket(trx, target.id, { updated_at: now });
      return repo.updateTicket(trx, t.id, {
        status,
        merged_into_id: null,
        closed_at: null,
        // without a snapshot the ticket waits for a new dispatch, as after a recall (第十四条): no unit leads it
        ...(snapshot
          ? { due_at: snapshot.dueAt ? new Date(snapshot.dueAt) : null }
          : { due_at: now, lead_unit_id: null, dispatch_rule_id: null, return_until: null }),
        updated_at: now,
      });
    });
  }

  /** "Nearby" for a duplicate search: the county (district) of the given region. */
  private async nearbyPrefix(code: string): Promise<string | null> {
    const chain = await regionChain(this.deps.db, code);
    const county = chain.length >= 2 ? chain[chain.length - 2]! : chain[0];
    return county ? regionPrefix(county) : null;
  }
}

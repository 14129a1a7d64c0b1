import { sql } from 'kysely';

import { AppError } from '../../errors.js';
import { anyWordQuery, similarity, tokenize } from '../../domain/text-tokens.js';
import { OPEN_STATUSES, STATUS_LABELS } from '../../../shared/domain/transitions.js';
import { maskAddress } from '../../domain/masking.js';
import { regionPrefix, requireRole, type Actor } from '../auth/actor.js';
import { regionChain } from '../config/config.repository.js';
import { loadVisibleContact } from './contacts.policy.js';
import { canViewTicket } from '../tickets/tickets.policy.js';
import * as repo from '../tickets/tickets.repository.js';
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

    const base = () => {
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
          'search_tokens',
          'requester_id',
        ])
        .where('status', 'in', OPEN_STATUSES)
        .where('merged_into_id', 'is', null)
        .where(repo.inRegions(scope));
      if (q.excludeTicketId) b = b.where('id', '!=', q.excludeTicketId);
      return b;
    };
    const [sameRequester, similar] = await Promise.all([
      q.requesterId
        ? base()
            .where(repo.raisedOrJoinedBy(q.requesterId))
            .orderBy('created_at', 'desc')
            .limit(DUPLICATE_RULES.candidates)
            .execute()
        : [],
      query && scope.length
        ? (() => {
            let s = base()
              .select(sql<number>`ts_rank(search_vector, to_tsquery('simple', ${query}))`.as('rank'))
              .where(sql<boolean>`search_vector @@ to_tsquery('simple', ${query})`)
              .where('created_at', '>=', since);
            if (q.categoryId) s = s.where('category_id', '=', q.categoryId);
            if (nearPrefix) s = s.where('region_code', 'like', `${nearPrefix}%`);
            return s.orderBy('rank', 'desc').limit(DUPLICATE_RULES.candidates).execute();
          })()
        : [],
    ]);

    const byId = new Map<number, { t: (typeof sameRequester)[number]; reasons: string[]; score: number }>();
    // The same requester counts most (a caller's open ticket is the likeliest match), and among those the
    // more similar text ranks first, so a caller with many open tickets still sees the right one on top.
    for (const t of sameRequester) {
      const sim = similarity(words, (t.search_tokens ?? '').split(' '));
      byId.set(t.id, { t, reasons: ['同一诉求人的未办结工单'], score: 1 + sim });
    }
    for (const t of similar) {
      const sim = similarity(words, (t.search_tokens ?? '').split(' '));
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
    const c = await this.deps.db
      .selectFrom('contacts')
      .select(['content', 'requester_id', 'ticket_id'])
      .where('id', '=', contactId)
      .executeTakeFirstOrThrow();
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
      const movers = await ctx.trx
        .selectFrom('ticket_requesters')
        .select(['requester_id', 'contact_id'])
        .where('ticket_id', '=', sourceId)
        .execute();
      for (const m of movers) {
        await ctx.trx
          .insertInto('ticket_requesters')
          .values({
            ticket_id: target.id,
            requester_id: m.requester_id,
            contact_id: m.contact_id,
            source_ticket_id: sourceId,
            added_at: ctx.now,
          })
          .onConflict((oc) => oc.columns(['ticket_id', 'requester_id']).doNothing())
          .execute();
      }
      await unassignUnits(ctx);
      await repo.cancelDeadlines(ctx.trx, sourceId, 'all', ctx.now);
      await ctx.event('merged_into', { intoTicketId: target.id, intoNumber: target.number }, input.note);
      await repo.insertEvent(ctx.trx, {
        ticket_id: target.id,
        kind: 'merged_from',
        at: ctx.now,
        actor_user_id: actor.userId,
        actor_unit_id: actor.unitId,
        data: { fromTicketId: sourceId, fromNumber: ctx.ticket.number, requestersAdded: movers.length },
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

  /** "Nearby" for a duplicate search: the county (district) of the given region. */
  private async nearbyPrefix(code: string): Promise<string | null> {
    const chain = await regionChain(this.deps.db, code);
    const county = chain.length >= 2 ? chain[chain.length - 2]! : chain[0];
    return county ? regionPrefix(county) : null;
  }
}

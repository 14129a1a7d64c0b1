import { sql } from 'kysely';
import { AppError } from '../../errors.js';
import { allTermsQuery, classifySearch } from '../../domain/ticket-search.js';
import { CENTRE_ROLES, hasRole, type Actor } from '../auth/actor.js';
import { presentQueueItem, SUMMARY_COLUMNS } from './tickets.presenter.js';
import type { ServiceDeps } from './ticket-workflow.js';
import * as repo from './tickets.repository.js';
import { AccessLogService } from '../sharing/access-log.service.js';
import { maskPhone } from '../../domain/masking.js';

/** Words search the last year: older matters are found by their number, which the citizen was given. */
export const TEXT_SEARCH_DAYS = 366;

/**
 * 工单查询 for centre staff: one box for a ticket number, the number a citizen calls from, or words of the
 * matter (第九条: a requester asking about progress is answered from this). Each kind is one index look-up —
 * tickets.number (unique), requesters.phone_hash → tickets_requester / ticket_requesters, or the GIN index over
 * search_vector — limited to the actor's regions and to `limit` rows, newest first.
 */
export class TicketSearch {
  constructor(private readonly deps: ServiceDeps) {}

  /**
   * The tickets a search matches, as a query not yet ordered or limited (the screen takes the newest 50, an
   * export walks them all by keyset), or null when nothing can match. A phone search writes the PII access audit.
   */
  async matching(actor: Actor, q: string) {
    if (actor.scope !== 'region' || !hasRole(actor, ...CENTRE_ROLES))
      throw new AppError('forbidden', '仅热线工作机构人员可查询工单');
    const intent = classifySearch(q);
    if (!intent)
      throw new AppError('bad_request', '请输入工单号、留言编号、来电号码或至少两个字的关键词', { field: 'q' });
    const { db, cipher, clock } = this.deps;
    const prefixes = actor.regionPrefixes;
    if (prefixes.length === 0) return { intent, query: null };
    const now = clock.now();
    let query = db.selectFrom('tickets').select(SUMMARY_COLUMNS).where(repo.inRegions(prefixes));

    if (intent.kind === 'number') query = query.where('tickets.number', '=', intent.number);
    else if (intent.kind === 'reference') {
      // the ticket the message opened, or joined as a repeat or a merge: both are the contact's ticket_id (two
      // primary-key look-ups; tickets.contact_id has no index and is not needed)
      const contactId = intent.contactId;
      query = query.where('tickets.id', '=', (eb) =>
        eb.selectFrom('contacts').select('contacts.ticket_id').where('contacts.id', '=', contactId),
      );
    } else if (intent.kind === 'phone') {
      // 第六条 key rotation: the number's hash under every configured key version, the current key's first
      const hashes = cipher.phoneHashes(intent.phone);
      const requester = hashes.length
        ? await db
            .selectFrom('requesters')
            .select('id')
            .where('phone_hash', 'in', hashes)
            .orderBy(sql`phone_hash = ${hashes[0]}`, 'desc')
            .executeTakeFirst()
        : undefined;
      // Whose tickets these are is personal data: the search is written to the access audit, found or not (第六条).
      await db
        .insertInto('pii_access_log')
        .values({
          user_id: actor.userId,
          ticket_id: null,
          requester_id: requester?.id ?? null,
          fields: ['phone'],
          purpose: '按来电号码查询工单',
          at: now,
          request_id: actor.requestId ?? null,
        })
        .execute();
      if (!requester) return { intent, query: null };
      query = query.where(repo.raisedOrJoinedBy(requester.id));
    } else {
      query = query
        .where(sql<boolean>`tickets.search_vector @@ to_tsquery('simple', ${allTermsQuery(intent.terms)})`)
        .where('tickets.created_at', '>=', new Date(now.getTime() - TEXT_SEARCH_DAYS * 86_400_000));
    }
    return { intent, query };
  }

  async search(actor: Actor, input: { q: string; limit: number }) {
    const { db, cipher, clock } = this.deps;
    const { intent, query } = await this.matching(actor, input.q);
    if (!query) return { kind: intent.kind, items: [], more: false };
    const rows = await query
      .orderBy('tickets.created_at', 'desc')
      .orderBy('tickets.id', 'desc')
      .limit(input.limit + 1)
      .execute();
    const result = {
      kind: intent.kind,
      items: rows.slice(0, input.limit).map((t) => presentQueueItem(t, cipher, actor)),
      more: rows.length > input.limit,
    };
    // 第三十条第二款: a search is a read beyond one's work screens; the number searched for is kept masked
    await new AccessLogService(db, clock).recordPerson(actor, {
      kind: 'search',
      ticketIds: result.items.map((t) => t.id),
      filter: {
        searchKind: intent.kind,
        q: intent.kind === 'phone' ? maskPhone(intent.phone) : input.q,
        limit: input.limit,
      },
      rowCount: result.items.length,
      content: JSON.stringify(result),
    });
    return result;
  }
}

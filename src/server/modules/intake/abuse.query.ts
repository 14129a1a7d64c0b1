import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { PiiCipher } from '../../security/pii-cipher.js';
import { readJson } from '../../db/json.js';
import { maskName, maskPhone } from '../../domain/masking.js';

// Read side of 第十一、三十四条 review: what an admin needs to judge a flag — who (masked), which contact set it
// off, what the requester has been flagged and warned for before, and the contacts around it as evidence.
// Everything personal is masked; reviewing a flag discloses nothing and so writes no PII access record.

export type FlagStatus = 'open' | 'warned' | 'dismissed';

/** Contacts shown as evidence: the requester's contacts in this window before the flag (and the day after). */
export const EVIDENCE_DAYS = 7;
export const EVIDENCE_LIMIT = 20;
const EXCERPT = 120;

export function excerpt(text: string, max = EXCERPT): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

function callSeconds(meta: unknown): number | null {
  const m = readJson<{ durationSeconds?: unknown } | null>(meta);
  return typeof m?.durationSeconds === 'number' ? m.durationSeconds : null;
}

function flagRows(db: Kysely<DB>) {
  return db
    .selectFrom('requester_flags as f')
    .innerJoin('requesters as r', 'r.id', 'f.requester_id')
    .leftJoin('contacts as c', 'c.id', 'f.contact_id')
    .leftJoin('users as ru', 'ru.id', 'f.raised_by')
    .leftJoin('users as vu', 'vu.id', 'f.reviewed_by')
    .select([
      'f.id',
      'f.requester_id',
      'f.kind',
      'f.detail',
      'f.source',
      'f.status',
      'f.created_at',
      'f.reviewed_at',
      'f.review_note',
      'f.contact_id',
      'ru.display_name as raised_by_name',
      'vu.display_name as reviewed_by_name',
      'r.name_enc',
      'r.phone_enc',
      'r.wechat_hash',
      'r.weibo_hash',
      'c.channel as c_channel',
      'c.received_at as c_received_at',
      'c.content as c_content',
      'c.meta as c_meta',
      // what this requester was warned for before this flag, and how often flagged at all: repeat offenders stand out
      sql<number>`(SELECT count(*)::int FROM requester_flags p WHERE p.requester_id = f.requester_id AND p.status = 'warned' AND p.id <> f.id)`.as(
        'warned_before',
      ),
      sql<number>`(SELECT count(*)::int FROM requester_flags p WHERE p.requester_id = f.requester_id)`.as(
        'flags_total',
      ),
    ]);
}
type FlagRow = Awaited<ReturnType<ReturnType<typeof flagRows>['execute']>>[number];

export class AbuseQuery {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly cipher: PiiCipher,
  ) {}

  /**
   * Open flags oldest first (a review queue, keyset `after`), reviewed ones newest first (keyset `before`).
   * Flags are few (a handful a day next to thousands of contacts), so walking the primary key is enough; the
   * per-requester counts use requester_flags_requester.
   */
  async list(q: { status: FlagStatus; after?: number; before?: number; limit: number }) {
    let query = flagRows(this.db).where('f.status', '=', q.status);
    if (q.status === 'open') {
      if (q.after) query = query.where('f.id', '>', q.after);
      query = query.orderBy('f.id', 'asc');
    } else {
      if (q.before) query = query.where('f.id', '<', q.before);
      query = query.orderBy('f.id', 'desc');
    }
    const rows = await query.limit(q.limit + 1).execute();
    const items = rows.slice(0, q.limit).map((r) => this.present(r));
    return { items, next: rows.length > q.limit ? items[items.length - 1]!.id : null };
  }

  async one(id: number) {
    const row = await flagRows(this.db).where('f.id', '=', id).executeTakeFirst();
    if (!row) return undefined;
    const from = new Date(row.created_at.getTime() - EVIDENCE_DAYS * 86_400_000);
    const to = new Date(row.created_at.getTime() + 86_400_000);
    const contacts = await this.db
      .selectFrom('contacts')
      .select(['id', 'channel', 'received_at', 'content', 'meta', 'disposition', 'ticket_id'])
      .where('requester_id', '=', row.requester_id)
      .where('received_at', '>=', from)
      .where('received_at', '<=', to)
      .orderBy('received_at', 'desc')
      .limit(EVIDENCE_LIMIT)
      .execute();
    return {
      ...this.present(row),
      evidence: contacts.map((c) => ({
        id: c.id,
        channel: c.channel,
        receivedAt: c.received_at,
        excerpt: excerpt(c.content),
        callSeconds: callSeconds(c.meta),
        disposition: c.disposition,
        ticketId: c.ticket_id,
        isFlagged: c.id === row.contact_id,
      })),
    };
  }

  private present(r: FlagRow) {
    const name = maskName(this.cipher.decrypt(r.name_enc));
    const phone = maskPhone(this.cipher.decrypt(r.phone_enc));
    const via = r.wechat_hash ? '微信用户' : r.weibo_hash ? '微博用户' : '匿名';
    return {
      id: r.id,
      kind: r.kind,
      detail: r.detail,
      source: r.source,
      status: r.status,
      createdAt: r.created_at,
      raisedBy: r.raised_by_name,
      requester: {
        id: r.requester_id,
        label: [name, phone].filter(Boolean).join(' · ') || via,
        masked: true as const,
        warnedBefore: r.warned_before,
        flagsTotal: r.flags_total,
      },
      contact:
        r.contact_id && r.c_channel
          ? {
              id: r.contact_id,
              channel: r.c_channel,
              receivedAt: r.c_received_at,
              excerpt: excerpt(r.c_content ?? ''),
              callSeconds: callSeconds(r.c_meta),
            }
          : null,
      review: r.reviewed_at ? { by: r.reviewed_by_name, at: r.reviewed_at, note: r.review_note } : null,
    };
  }
}

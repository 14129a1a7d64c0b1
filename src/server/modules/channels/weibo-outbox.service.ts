import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import type { Clock } from '../../clock.js';
import type { DB } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import { claimOutbound, recordDelivery } from '../../jobs/outbox.js';
import type { PiiCipher } from '../../security/pii-cipher.js';

/** Attempts before a private message is given up (as for SMS, OUTBOX_MAX_ATTEMPTS' default). */
export const WEIBO_MAX_ATTEMPTS = 10;
/** How long the gateway has to send what it fetched before the messages are handed out again. */
const WEIBO_LEASE_MS = 5 * 60_000;

// 第九、十三条 for Weibo users. The Weibo gateway holds the account's Weibo credentials, so it sends the private
// messages itself: it fetches what is due (each message claimed with a lease, so several gateway instances never
// send one twice while they run) and reports each result; the outbox's own rules decide retry or failure.
export class WeiboOutbox {
  constructor(
    private readonly deps: { db: Kysely<DB>; clock: Clock; cipher: PiiCipher },
    private readonly log: Pick<FastifyBaseLogger, 'info' | 'warn' | 'error'>,
  ) {}

  async fetch(limit: number) {
    const { db, clock, cipher } = this.deps;
    const items = [];
    const taken: number[] = [];
    while (items.length < limit) {
      const m = await claimOutbound(db, 'weibo', clock.now(), taken, WEIBO_LEASE_MS);
      if (!m) break;
      taken.push(m.id);
      items.push({
        id: m.id,
        toUid: cipher.decrypt(m.to_enc),
        text: m.body,
        purpose: m.purpose,
        createdAt: m.created_at,
        attempt: m.attempts,
      });
    }
    return { items };
  }

  async report(id: number, r: { delivered: boolean; providerId?: string; error?: string; permanent?: boolean }) {
    const { db, clock } = this.deps;
    const msg = await db
      .selectFrom('outbound_messages')
      .select(['id', 'attempts', 'purpose', 'channel', 'status'])
      .where('id', '=', id)
      .where('channel', '=', 'weibo')
      .executeTakeFirst();
    if (!msg) throw new AppError('not_found', '私信不存在');
    if (msg.status !== 'sending') throw new AppError('conflict', '该私信未被领取或已有结果', { status: msg.status });
    const outcome = r.delivered
      ? { ok: true as const, providerId: r.providerId ?? null }
      : { ok: false as const, error: r.error ?? '网关未说明原因', permanent: r.permanent ?? false };
    const result = await recordDelivery(
      db,
      this.log,
      msg,
      outcome,
      clock.now(),
      { maxAttempts: WEIBO_MAX_ATTEMPTS },
      'weibo-gateway',
    );
    return { id, status: result === 'retried' ? 'pending' : result };
  }
}

import { startRecurringJob } from './scheduler.js';
import type { Kysely } from 'kysely';
import type { FastifyBaseLogger } from 'fastify';
import type { DB } from '../db/schema.js';
import type { Clock } from '../clock.js';
import type { PiiCipher } from '../security/pii-cipher.js';
import { PermanentSendError, scrubDigits, type MessageSender } from '../modules/channels/sms-sender.js';

// Delivers outbound_messages (receipts with ticket number and tracking code, disposition phrases, reply
// notices, abuse warnings). Rows were written in the same transaction as the step that caused them, so a
// failing SMS gateway never rolls that step back; this job retries until maxAttempts, then marks the row
// 'failed' with the last error for a person to look at.
//
// A message is claimed in a short transaction (FOR UPDATE SKIP LOCKED, then status 'sending' with a lease),
// the gateway is called outside any transaction — so a slow gateway never holds a database connection, which
// on PGlite is the only one — and the outcome is written in a second short transaction. Any number of
// processes can deliver together without sending a message twice; delivery is at least once (a worker that
// dies after the gateway accepted but before recording it sends that message again when its lease runs out).

export interface OutboxOptions {
  maxAttempts: number;
  /** the outbound channel this worker delivers: SMS (default) or WeChat customer-service messages */
  channel?: 'sms' | 'wechat';
  /** messages per pass; the rest waits for the next pass */
  batchSize?: number;
  /** first retry delay; doubles per attempt up to maxBackoffMs */
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  sendTimeoutMs?: number;
}

export interface OutboxPass {
  sent: number;
  retried: number;
  failed: number;
}

type Log = Pick<FastifyBaseLogger, 'info' | 'warn' | 'error'>;

const LEASE_MS = 2 * 60_000;

export class OutboxWorker {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: Clock,
    private readonly cipher: PiiCipher,
    private readonly sender: MessageSender,
    private readonly log: Log,
    private readonly opts: OutboxOptions,
  ) {}

  /** One pass: every message that is due gets at most one attempt. */
  async runOnce(): Promise<OutboxPass> {
    const pass: OutboxPass = { sent: 0, retried: 0, failed: 0 };
    const limit = this.opts.batchSize ?? 100;
    const tried = new Set<number>();
    for (let n = 0; n < limit; n++) {
      const msg = await this.claim(tried);
      if (!msg) break;
      tried.add(msg.id);
      pass[await this.deliver(msg)] += 1;
    }
    return pass;
  }

  private claim(tried: Set<number>) {
    return claimOutbound(this.db, this.opts.channel ?? 'sms', this.clock.now(), [...tried]);
  }

  private async deliver(msg: ClaimedMessage): Promise<keyof OutboxPass> {
    try {
      const to = this.cipher.decrypt(msg.to_enc);
      if (!to) throw new Error('message has no recipient');
      const { providerId } = await withTimeout(this.sender.send(to, msg.body), this.opts.sendTimeoutMs ?? 10_000);
      return await recordDelivery(
        this.db,
        this.log,
        msg,
        { ok: true, providerId },
        this.clock.now(),
        this.opts,
        this.sender.name,
      );
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      return recordDelivery(
        this.db,
        this.log,
        msg,
        { ok: false, error, permanent: err instanceof PermanentSendError },
        this.clock.now(),
        this.opts,
        this.sender.name,
      );
    }
  }
}

export interface ClaimedMessage {
  id: number;
  to_enc: string;
  body: string;
  attempts: number;
  purpose: string;
  channel: string;
  created_at: Date;
}

/**
 * Claims the oldest due message of a channel (or one whose lease ran out): FOR UPDATE SKIP LOCKED, then
 * 'sending' with a lease, in one short transaction. Used by the workers that send, and by the Weibo gateway
 * that fetches its messages to send itself.
 */
export function claimOutbound(
  db: Kysely<DB>,
  channel: 'sms' | 'wechat' | 'weibo',
  now: Date,
  exclude: number[] = [],
  leaseMs = LEASE_MS,
) {
  return db.transaction().execute(async (trx) => {
    let q = trx
      .selectFrom('outbound_messages')
      .select(['id', 'to_enc', 'body', 'attempts', 'purpose', 'channel', 'created_at'])
      .where('channel', '=', channel)
      .where((eb) =>
        eb.or([
          eb.and([
            eb('status', '=', 'pending'),
            eb.or([eb('next_attempt_at', 'is', null), eb('next_attempt_at', '<=', now)]),
          ]),
          eb.and([eb('status', '=', 'sending'), eb('lease_until', '<', now)]),
        ]),
      );
    if (exclude.length) q = q.where('id', 'not in', exclude);
    const msg = await q.orderBy('created_at').orderBy('id').limit(1).forUpdate().skipLocked().executeTakeFirst();
    if (!msg) return undefined;
    await trx
      .updateTable('outbound_messages')
      .set({ status: 'sending', lease_until: new Date(now.getTime() + leaseMs), attempts: msg.attempts + 1 })
      .where('id', '=', msg.id)
      .execute();
    return { ...msg, attempts: msg.attempts + 1 };
  });
}

export type DeliveryOutcome =
  { ok: true; providerId?: string | null } | { ok: false; error: string; permanent: boolean };

/** Writes what became of one attempt: sent; or retried later with backoff; or failed for good with the reason. */
export async function recordDelivery(
  db: Kysely<DB>,
  log: Log,
  msg: Pick<ClaimedMessage, 'id' | 'attempts' | 'purpose' | 'channel'>,
  outcome: DeliveryOutcome,
  at: Date,
  opts: Pick<OutboxOptions, 'maxAttempts' | 'baseBackoffMs' | 'maxBackoffMs'>,
  sender: string,
): Promise<keyof OutboxPass> {
  if (outcome.ok) {
    await db
      .updateTable('outbound_messages')
      .set({
        status: 'sent',
        sent_at: at,
        last_error: null,
        lease_until: null,
        provider_id: outcome.providerId ?? null,
      })
      .where('id', '=', msg.id)
      .execute();
    log.info(
      {
        job: 'outbox',
        channel: msg.channel,
        outboxId: msg.id,
        purpose: msg.purpose,
        sender,
        providerId: outcome.providerId,
      },
      'message sent',
    );
    return 'sent';
  }
  // the reason is stored and logged: long digit runs (numbers) are scrubbed first
  const error = scrubDigits(outcome.error).slice(0, 500);
  const failed = outcome.permanent || msg.attempts >= opts.maxAttempts;
  const backoff = Math.min((opts.baseBackoffMs ?? 30_000) * 2 ** (msg.attempts - 1), opts.maxBackoffMs ?? 30 * 60_000);
  await db
    .updateTable('outbound_messages')
    .set({
      last_error: error,
      status: failed ? 'failed' : 'pending',
      lease_until: null,
      next_attempt_at: failed ? null : new Date(at.getTime() + backoff),
    })
    .where('id', '=', msg.id)
    .execute();
  log.warn(
    {
      job: 'outbox',
      channel: msg.channel,
      outboxId: msg.id,
      purpose: msg.purpose,
      attempts: msg.attempts,
      error,
      final: failed,
    },
    failed ? 'message failed for good' : 'message attempt failed, will retry',
  );
  return failed ? 'failed' : 'retried';
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`sender did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/** Delivers the outbox every interval (see startRecurringJob). */
export function startOutbox(worker: OutboxWorker, intervalMs: number, log: FastifyBaseLogger, name = 'outbox') {
  return startRecurringJob(name, intervalMs, log, async () => ({ ...(await worker.runOnce()) }));
}

import { startRecurringJob } from './scheduler.js';
import type { Kysely } from 'kysely';
import type { FastifyBaseLogger } from 'fastify';
import type { DB } from '../db/schema.js';
import type { Clock } from '../clock.js';
import type { PiiCipher } from '../security/pii-cipher.js';
import { scrubDigits, type SmsSender } from '../modules/channels/sms-sender.js';

// Delivers outbound_messages (receipts with ticket number and tracking code, disposition phrases, reply
// notices, abuse warnings). Rows were written in the same transaction as the step that caused them, so a
// failing SMS gateway never rolls that step back; this job retries until maxAttempts, then marks the row
// 'failed' with the last error for a person to look at.
//
// Each message is claimed with FOR UPDATE SKIP LOCKED and its row stays locked while the gateway is called:
// any number of processes can deliver together without sending a message twice while they run. Delivery is
// at least once: a crash between the gateway's acceptance and the commit sends that one message again.
// On PGlite (one connection) the send holds the only connection, hence the short sender timeout.

export interface OutboxOptions {
  maxAttempts: number;
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

export class OutboxWorker {
  // Retry times live in memory because outbound_messages has no next-attempt column: after a restart a
  // waiting message is simply tried at once, which is harmless.
  private readonly notBefore = new Map<number, number>();

  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: Clock,
    private readonly cipher: PiiCipher,
    private readonly sender: SmsSender,
    private readonly log: Log,
    private readonly opts: OutboxOptions,
  ) {}

  /** One pass: every pending message that is due gets at most one attempt. */
  async runOnce(): Promise<OutboxPass> {
    const pass: OutboxPass = { sent: 0, retried: 0, failed: 0 };
    const now = this.clock.now().getTime();
    const skip = new Set<number>();
    for (const [id, t] of this.notBefore) if (t > now) skip.add(id);
    const limit = this.opts.batchSize ?? 100;
    for (let n = 0; n < limit; n++) {
      const outcome = await this.deliverOne(skip);
      if (!outcome) break;
      pass[outcome] += 1;
    }
    return pass;
  }

  private deliverOne(skip: Set<number>): Promise<keyof OutboxPass | null> {
    return this.db.transaction().execute(async (trx) => {
      let q = trx.selectFrom('outbound_messages').select(['id', 'to_enc', 'body', 'attempts', 'purpose'])
        .where('status', '=', 'pending').where('channel', '=', 'sms');
      if (skip.size) q = q.where('id', 'not in', [...skip]);
      const msg = await q.orderBy('created_at').orderBy('id').limit(1).forUpdate().skipLocked().executeTakeFirst();
      if (!msg) return null;
      skip.add(msg.id); // at most one attempt per message per pass
      const attempts = msg.attempts + 1;
      const at = this.clock.now();
      try {
        const to = this.cipher.decrypt(msg.to_enc);
        if (!to) throw new Error('message has no recipient');
        const { providerId } = await withTimeout(this.sender.send(to, msg.body), this.opts.sendTimeoutMs ?? 10_000);
        await trx.updateTable('outbound_messages').set({ status: 'sent', attempts, sent_at: at, last_error: null }).where('id', '=', msg.id).execute();
        this.notBefore.delete(msg.id);
        this.log.info({ job: 'outbox', outboxId: msg.id, purpose: msg.purpose, sender: this.sender.name, providerId }, 'sms sent');
        return 'sent';
      } catch (err) {
        const error = scrubDigits(err instanceof Error ? err.message : String(err)).slice(0, 500);
        const failed = attempts >= this.opts.maxAttempts;
        await trx.updateTable('outbound_messages').set({ attempts, last_error: error, status: failed ? 'failed' : 'pending' }).where('id', '=', msg.id).execute();
        if (failed) this.notBefore.delete(msg.id);
        else this.notBefore.set(msg.id, at.getTime() + this.backoffMs(attempts));
        this.log.warn({ job: 'outbox', outboxId: msg.id, purpose: msg.purpose, attempts, error, final: failed }, failed ? 'sms failed for good' : 'sms attempt failed, will retry');
        return failed ? 'failed' : 'retried';
      }
    });
  }

  private backoffMs(attempts: number): number {
    const base = this.opts.baseBackoffMs ?? 30_000;
    return Math.min(base * 2 ** (attempts - 1), this.opts.maxBackoffMs ?? 30 * 60_000);
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`sender did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/** Delivers the outbox every interval (see startRecurringJob). */
export function startOutbox(worker: OutboxWorker, intervalMs: number, log: FastifyBaseLogger) {
  return startRecurringJob('outbox', intervalMs, log, async () => ({ ...(await worker.runOnce()) }));
}

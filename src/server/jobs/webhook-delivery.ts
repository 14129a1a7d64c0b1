import { sql, type Kysely } from 'kysely';
import type { FastifyBaseLogger } from 'fastify';
import type { DB } from '../db/schema.js';
import type { Clock } from '../clock.js';
import type { PiiCipher } from '../security/pii-cipher.js';
import { signatureHeader } from '../domain/webhook-signature.js';
import {
  afterFailure,
  backoffDelayMs,
  DEFAULT_BACKOFF,
  isRetryableStatus,
  type BackoffPolicy,
} from '../domain/retry-backoff.js';
import { sha256Hex } from '../domain/access-chain.js';
import { SCHEMA_VERSION } from '../../shared/contracts/sharing.js';
import { feedRowsQuery, SharingPayloads } from '../modules/sharing/payload.js';
import { appendAccessRows } from '../modules/sharing/access-log.repository.js';

// 第三十条: pushes each unit's events to its subscriptions, following the outbox's pattern (jobs/outbox.ts):
// claim in a short transaction (FOR UPDATE SKIP LOCKED + a lease), call the receiver outside any transaction, record
// the outcome in another. Any number of scheduler processes can run it.
//
// - A subscription is claimed as a whole (a lease on its row) and its messages go one at a time, so a slow or dead
//   receiver occupies one slot of the bounded concurrency and never anyone else's; after a failure the whole
//   subscription backs off (backoff_until), so a receiver that is down costs one timeout per backoff, not one per
//   message.
// - Per ticket in order: a message waits while an earlier event of the same ticket for the same subscription is
//   still pending or being sent (delivered or dead-lettered ones no longer hold it back).
// - At least once: a worker that dies after the receiver answered sends again when the lease runs out; the
//   X-Hz-Event-Id header (the unit feed id) is the idempotency key that makes it exactly once for the receiver.
// - Every attempt that sent data is written to the access log (kind webhook_delivery, sha256 of the body).

export interface WebhookOptions {
  /** subscriptions served at once */
  concurrency: number;
  timeoutMs: number;
  /** messages per subscription per pass */
  perSubscription: number;
  /** messages claimed (and recorded) together; at most one per ticket */
  batchSize: number;
  /** a pass stops taking new messages of a subscription after this long */
  passBudgetMs: number;
  policy: BackoffPolicy;
  leaseMs: number;
  random: () => number;
}

export const DEFAULT_WEBHOOK_OPTIONS: WebhookOptions = {
  concurrency: 4,
  timeoutMs: 10_000,
  perSubscription: 200,
  batchSize: 20,
  passBudgetMs: 30_000,
  policy: DEFAULT_BACKOFF,
  leaseMs: 2 * 60_000,
  random: Math.random,
};

export interface DeliveryPass {
  delivered: number;
  retried: number;
  dead: number;
}

type Log = Pick<FastifyBaseLogger, 'info' | 'warn' | 'error'>;

interface ClaimedSubscription {
  id: number;
  unit_id: number;
  name: string;
  url: string;
  secret_enc: string;
  previous_secret_enc: string | null;
  previous_secret_until: Date | null;
  consecutive_failures: number;
}

interface ClaimedDelivery {
  id: number;
  feed_id: number | null;
  ticket_id: number | null;
  kind: string;
  attempts: number;
}

export type AttemptOutcome =
  { ok: true; status: number } | { ok: false; status: number | null; error: string; permanent: boolean };

export class WebhookDeliveryWorker {
  private readonly payloads: SharingPayloads;
  readonly opts: WebhookOptions;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: Clock,
    private readonly cipher: PiiCipher,
    private readonly log: Log,
    opts: Partial<WebhookOptions> = {},
  ) {
    this.opts = { ...DEFAULT_WEBHOOK_OPTIONS, ...opts };
    this.payloads = new SharingPayloads(db, cipher);
  }

  /** One pass: up to `concurrency` subscriptions at once, each given up to perSubscription messages. */
  async runOnce(): Promise<DeliveryPass> {
    const pass: DeliveryPass = { delivered: 0, retried: 0, dead: 0 };
    const subs = await this.claimSubscriptions(this.opts.concurrency);
    await Promise.all(
      subs.map(async (s) => {
        try {
          const r = await this.serve(s);
          pass.delivered += r.delivered;
          pass.retried += r.retried;
          pass.dead += r.dead;
        } finally {
          await this.db
            .updateTable('webhook_subscriptions')
            .set({ lease_until: null })
            .where('id', '=', s.id)
            .execute();
        }
      }),
    );
    return pass;
  }

  /** Passes until nothing is due (tests and the benchmark). */
  async drain(maxPasses = 1000): Promise<DeliveryPass> {
    const total: DeliveryPass = { delivered: 0, retried: 0, dead: 0 };
    for (let i = 0; i < maxPasses; i++) {
      const r = await this.runOnce();
      total.delivered += r.delivered;
      total.retried += r.retried;
      total.dead += r.dead;
      if (r.delivered + r.retried + r.dead === 0) break;
    }
    return total;
  }

  /** A test delivery (ping) sent now, outside the queue's order; its outcome is returned to the screen. */
  async deliverNow(deliveryId: number): Promise<AttemptOutcome | null> {
    const now = this.clock.now();
    const claimed = await this.db.transaction().execute(async (trx) => {
      const d = await trx
        .selectFrom('webhook_deliveries')
        .select(['id', 'subscription_id', 'feed_id', 'ticket_id', 'kind', 'attempts'])
        .where('id', '=', deliveryId)
        .where('status', '=', 'pending')
        .forUpdate()
        .skipLocked()
        .executeTakeFirst();
      if (!d) return undefined;
      await trx
        .updateTable('webhook_deliveries')
        .set({ status: 'sending', attempts: d.attempts + 1, lease_until: new Date(now.getTime() + this.opts.leaseMs) })
        .where('id', '=', d.id)
        .execute();
      const s = await trx
        .selectFrom('webhook_subscriptions')
        .select(SUB_COLUMNS)
        .where('id', '=', d.subscription_id)
        .executeTakeFirstOrThrow();
      return { d: { ...d, attempts: d.attempts + 1 }, s };
    });
    if (!claimed) return null;
    const [sent] = await this.sendBatch(claimed.s, [claimed.d]);
    await this.record(claimed.s, sent ? [sent] : [], [], false);
    return sent?.outcome ?? null;
  }

  private async claimSubscriptions(limit: number): Promise<ClaimedSubscription[]> {
    const now = this.clock.now();
    const leaseUntil = new Date(now.getTime() + this.opts.leaseMs);
    const r = await sql<ClaimedSubscription>`
      UPDATE webhook_subscriptions SET lease_until = ${leaseUntil}
      WHERE id IN (
        SELECT s.id FROM webhook_subscriptions s
        WHERE s.status = 'active'
          AND (s.lease_until IS NULL OR s.lease_until < ${now})
          AND (s.backoff_until IS NULL OR s.backoff_until <= ${now})
          AND EXISTS (SELECT 1 FROM webhook_deliveries d
                      WHERE d.subscription_id = s.id AND d.status IN ('pending','sending') AND d.next_attempt_at <= ${now})
        ORDER BY s.last_attempt_at NULLS FIRST, s.id
        LIMIT ${limit}
        FOR UPDATE SKIP LOCKED)
      RETURNING id, unit_id, name, url, secret_enc, previous_secret_enc, previous_secret_until, consecutive_failures`.execute(
      this.db,
    );
    return r.rows;
  }

  /**
   * Serves one subscription: batches of due messages, at most one per ticket in a batch (the first still open of
   * each ticket), sent one at a time in order; the batch's outcomes and access-log rows are recorded together.
   * The first failure ends the pass for this subscription (it backs off as a whole).
   */
  private async serve(s: ClaimedSubscription): Promise<DeliveryPass> {
    const r: DeliveryPass = { delivered: 0, retried: 0, dead: 0 };
    const started = Date.now(); // wall time bounds the pass; the injected clock may stand still in tests
    let done = 0;
    while (done < this.opts.perSubscription && Date.now() - started < this.opts.passBudgetMs) {
      const batch = await this.claimBatch(s.id, Math.min(this.opts.batchSize, this.opts.perSubscription - done));
      if (batch.length === 0) break;
      const sent = await this.sendBatch(s, batch);
      const unsent = batch.slice(sent.length);
      const results = await this.record(s, sent, unsent, true);
      for (const x of results) r[x] += 1;
      done += sent.length;
      if (sent.some((x) => !x.outcome.ok)) break;
      s = { ...s, consecutive_failures: 0 };
    }
    return r;
  }

  /** Due messages of the subscription whose ticket has no earlier event still open: claimed with a lease. */
  private async claimBatch(subscriptionId: number, limit: number): Promise<ClaimedDelivery[]> {
    const now = this.clock.now();
    return this.db.transaction().execute(async (trx) => {
      const r = await sql<ClaimedDelivery>`
        SELECT d.id, d.feed_id, d.ticket_id, d.kind, d.attempts FROM webhook_deliveries d
        WHERE d.subscription_id = ${subscriptionId}
          AND d.status IN ('pending','sending') AND d.next_attempt_at <= ${now}
          AND (d.status = 'pending' OR d.lease_until < ${now})
          AND NOT EXISTS (
            SELECT 1 FROM webhook_deliveries p
            WHERE p.subscription_id = d.subscription_id AND p.ticket_id = d.ticket_id
              AND p.status IN ('pending','sending') AND p.event_id < d.event_id)
        ORDER BY d.next_attempt_at, d.id
        LIMIT ${limit}
        FOR UPDATE SKIP LOCKED`.execute(trx);
      if (r.rows.length === 0) return [];
      await trx
        .updateTable('webhook_deliveries')
        .set((eb) => ({
          status: 'sending',
          attempts: eb('attempts', '+', 1),
          lease_until: new Date(now.getTime() + this.opts.leaseMs),
        }))
        .where(
          'id',
          'in',
          r.rows.map((d) => d.id),
        )
        .execute();
      return r.rows.map((d) => ({ ...d, attempts: d.attempts + 1 }));
    });
  }

  /** The bodies of a batch: one read of the feed rows, one payload build. */
  private async bodies(s: ClaimedSubscription, batch: ClaimedDelivery[]): Promise<Map<number, string>> {
    const out = new Map<number, string>();
    const feedIds = batch.filter((d) => d.feed_id !== null).map((d) => d.feed_id!);
    const rows = feedIds.length ? await feedRowsQuery(this.db).where('f.id', 'in', feedIds).execute() : [];
    const events = await this.payloads.events(rows);
    const byFeed = new Map(events.map((e) => [Number(e.id), JSON.stringify(e)]));
    for (const d of batch) {
      if (d.feed_id === null)
        out.set(
          d.id,
          JSON.stringify({
            schemaVersion: SCHEMA_VERSION,
            id: `ping-${d.id}`,
            type: 'ping',
            occurredAt: this.clock.now().toISOString(),
            unit: { id: s.unit_id },
            subscriptionId: s.id,
          }),
        );
      else if (byFeed.has(d.feed_id)) out.set(d.id, byFeed.get(d.feed_id)!);
    }
    return out;
  }

  private secrets(s: ClaimedSubscription, now: Date): string[] {
    const current = this.cipher.decrypt(s.secret_enc)!;
    const previous =
      s.previous_secret_enc && s.previous_secret_until && s.previous_secret_until > now
        ? this.cipher.decrypt(s.previous_secret_enc)
        : null;
    return previous ? [current, previous] : [current];
  }

  /** Sends the batch in order, stopping after the first failure; returns what was attempted. */
  private async sendBatch(s: ClaimedSubscription, batch: ClaimedDelivery[]): Promise<Sent[]> {
    const sent: Sent[] = [];
    let bodies: Map<number, string>;
    try {
      bodies = await this.bodies(s, batch);
    } catch (err) {
      return [
        {
          d: batch[0]!,
          body: null,
          outcome: { ok: false, status: null, error: `payload: ${msg(err)}`, permanent: false },
        },
      ];
    }
    for (const d of batch) {
      const body = bodies.get(d.id);
      if (body === undefined) {
        sent.push({
          d,
          body: null,
          outcome: { ok: false, status: null, error: 'payload: event not found', permanent: true },
        });
        continue;
      }
      const now = this.clock.now();
      const timestamp = Math.floor(now.getTime() / 1000);
      const outcome = await this.post(s.url, body, {
        'content-type': 'application/json; charset=utf-8',
        'user-agent': 'Heze12345-Webhook/1',
        'x-hz-timestamp': String(timestamp),
        'x-hz-signature': signatureHeader(this.secrets(s, now), timestamp, body),
        'x-hz-event-id': d.feed_id === null ? `ping-${d.id}` : String(d.feed_id),
        'x-hz-event-type': d.kind,
        'x-hz-schema-version': SCHEMA_VERSION,
        'x-hz-delivery-attempt': String(d.attempts),
      });
      sent.push({ d, body, outcome });
      if (!outcome.ok) break;
    }
    return sent;
  }

  private async post(url: string, body: string, headers: Record<string, string>): Promise<AttemptOutcome> {
    try {
      const res = await fetch(url, {
        method: 'POST',
        body,
        headers,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.opts.timeoutMs),
      });
      await res.body?.cancel().catch(() => undefined);
      if (res.status >= 200 && res.status < 300) return { ok: true, status: res.status };
      return {
        ok: false,
        status: res.status,
        error: `接收方返回 HTTP ${res.status}`,
        permanent: !isRetryableStatus(res.status),
      };
    } catch (err) {
      const timeout = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
      return {
        ok: false,
        status: null,
        error: timeout ? `接收方 ${this.opts.timeoutMs} 毫秒内未应答` : `无法连接接收方：${causeOf(err)}`,
        permanent: false,
      };
    }
  }

  /**
   * Writes what became of a batch in one transaction: delivered ones, the failed one (retry with backoff or dead
   * letter), the claimed but unsent ones back to the queue untouched, the subscription's state — and an access-log
   * row for every message that left the centre (whatever the receiver answered: the data was sent).
   */
  private async record(
    s: ClaimedSubscription,
    sent: Sent[],
    unsent: ClaimedDelivery[],
    backOffSubscription: boolean,
  ): Promise<Array<keyof DeliveryPass>> {
    const now = this.clock.now();
    return this.db.transaction().execute(async (trx) => {
      const results: Array<keyof DeliveryPass> = [];
      const delivered = sent.filter((x) => x.outcome.ok);
      if (delivered.length) {
        await trx
          .updateTable('webhook_deliveries')
          .set({
            status: 'delivered',
            delivered_at: now,
            lease_until: null,
            last_error: null,
            last_status_code: delivered[delivered.length - 1]!.outcome.status,
          })
          .where(
            'id',
            'in',
            delivered.map((x) => x.d.id),
          )
          .execute();
        results.push(...delivered.map(() => 'delivered' as const));
      }
      if (unsent.length)
        await trx
          .updateTable('webhook_deliveries')
          .set((eb) => ({ status: 'pending', attempts: eb('attempts', '-', 1), lease_until: null }))
          .where(
            'id',
            'in',
            unsent.map((d) => d.id),
          )
          .execute();
      const failed = sent.find((x) => !x.outcome.ok);
      let failures = s.consecutive_failures;
      if (failed && !failed.outcome.ok) {
        const o = failed.outcome;
        const decision = afterFailure(failed.d.attempts, this.opts.policy, this.opts.random, o.permanent);
        const error = o.error.slice(0, 500);
        await trx
          .updateTable('webhook_deliveries')
          .set({
            status: decision.kind === 'dead' ? 'dead' : 'pending',
            dead_at: decision.kind === 'dead' ? now : null,
            next_attempt_at: decision.kind === 'retry' ? new Date(now.getTime() + decision.delayMs) : now,
            lease_until: null,
            last_error: error,
            last_status_code: o.status,
          })
          .where('id', '=', failed.d.id)
          .execute();
        failures += 1;
        results.push(decision.kind === 'dead' ? 'dead' : 'retried');
        this.log.warn(
          {
            job: 'webhook-delivery',
            subscriptionId: s.id,
            deliveryId: failed.d.id,
            attempts: failed.d.attempts,
            status: o.status,
            final: decision.kind === 'dead',
          },
          decision.kind === 'dead' ? 'webhook message dead-lettered' : 'webhook attempt failed, will retry',
        );
        await trx
          .updateTable('webhook_subscriptions')
          .set({
            last_attempt_at: now,
            last_status_code: o.status,
            last_error: error,
            consecutive_failures: failures,
            ...(delivered.length ? { last_success_at: now } : {}),
            ...(backOffSubscription && !o.permanent
              ? {
                  backoff_until: new Date(now.getTime() + backoffDelayMs(failures, this.opts.policy, this.opts.random)),
                }
              : {}),
          })
          .where('id', '=', s.id)
          .execute();
      } else if (delivered.length) {
        await trx
          .updateTable('webhook_subscriptions')
          .set({
            last_attempt_at: now,
            last_success_at: now,
            last_status_code: delivered[delivered.length - 1]!.outcome.status,
            last_error: null,
            consecutive_failures: 0,
            backoff_until: null,
          })
          .where('id', '=', s.id)
          .execute();
      }
      // the data left the centre: accounted for (第三十条第二款)
      await appendAccessRows(
        trx,
        sent
          .filter((x) => x.body !== null)
          .map((x) => ({
            at: now,
            userId: null,
            unitId: s.unit_id,
            actorKind: 'system',
            actorLabel: `推送订阅「${s.name}」`,
            kind: 'webhook_delivery',
            ticketIds: x.d.ticket_id ? [x.d.ticket_id] : [],
            filter: {
              subscriptionId: s.id,
              deliveryId: x.d.id,
              eventId: x.d.feed_id === null ? `ping-${x.d.id}` : String(x.d.feed_id),
              attempt: x.d.attempts,
              outcome: x.outcome.ok ? 'delivered' : 'failed',
              httpStatus: x.outcome.status,
            },
            rowCount: x.d.feed_id === null ? 0 : 1,
            contentSha256: sha256Hex(x.body!),
            requestId: null,
          })),
      );
      return results;
    });
  }
}

interface Sent {
  d: ClaimedDelivery;
  body: string | null;
  outcome: AttemptOutcome;
}

const SUB_COLUMNS = [
  'id',
  'unit_id',
  'name',
  'url',
  'secret_enc',
  'previous_secret_enc',
  'previous_secret_until',
  'consecutive_failures',
] as const;

function msg(err: unknown) {
  return err instanceof Error ? err.message : String(err);
}

function causeOf(err: unknown): string {
  const cause = err instanceof Error && err.cause instanceof Error ? err.cause : err;
  const code = (cause as { code?: string }).code;
  return code ?? msg(cause);
}

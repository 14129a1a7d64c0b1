import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Clock } from '../../clock.js';
import type { PiiCipher } from '../../security/pii-cipher.js';
import { AppError } from '../../errors.js';
import { webhookUrlProblem } from '../../domain/webhook-url.js';
import { EVENT_GROUP_LABELS, type EventGroup } from '../../../shared/contracts/sharing.js';
import { hasRole, requireRole, type Actor } from '../auth/actor.js';
import { insertActorAudit } from '../audit/admin-audit.repository.js';
import type { WebhookDeliveryWorker } from '../../jobs/webhook-delivery.js';
import type { SharingSettings } from './sharing-settings.js';

// 第三十条: a unit's receiving systems (数据推送订阅). The admin manages every unit's; a unit's manager its own.
// The signing secret is generated here, shown once, stored encrypted (it must sign, so it cannot be hashed).

const newSecret = () => `whsec_${randomBytes(32).toString('base64url')}`;

export class SubscriptionService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: Clock,
    private readonly cipher: PiiCipher,
    private readonly settings: SharingSettings,
    private readonly worker: WebhookDeliveryWorker,
  ) {}

  /** admin: any unit; unit_manager: its own unit only (another unit's is answered 404, like a ticket) */
  private assertManages(actor: Actor, unitId: number) {
    if (hasRole(actor, 'admin')) return;
    requireRole(actor, 'admin', 'unit_manager');
    if (actor.unitId !== unitId) throw new AppError('not_found', '订阅不存在或无权查看');
  }

  private async load(actor: Actor, id: number) {
    requireRole(actor, 'admin', 'unit_manager');
    const s = await this.db.selectFrom('webhook_subscriptions').selectAll().where('id', '=', id).executeTakeFirst();
    if (!s) throw new AppError('not_found', '订阅不存在或无权查看');
    this.assertManages(actor, s.unit_id);
    return s;
  }

  private checkUrl(url: string) {
    const problem = webhookUrlProblem(url, { allowLoopbackHttp: this.settings.allowLoopbackHttp });
    if (problem) throw new AppError('bad_request', problem, { field: 'url' });
  }

  async list(actor: Actor, q: { unitId?: number }) {
    requireRole(actor, 'admin', 'unit_manager');
    const unitId = hasRole(actor, 'admin') ? q.unitId : actor.unitId;
    let query = this.db
      .selectFrom('webhook_subscriptions as s')
      .innerJoin('units', 'units.id', 's.unit_id')
      .selectAll('s')
      .select('units.name as unit_name');
    if (unitId) query = query.where('s.unit_id', '=', unitId);
    const subs = await query.orderBy('s.unit_id').orderBy('s.id').limit(500).execute();
    if (subs.length === 0) return { items: [] };
    // open and dead messages per subscription: partial indexes, counted up to 10 000 each
    const counts = await this.db
      .selectFrom('webhook_subscriptions as s')
      .select((eb) => [
        's.id',
        eb
          .selectFrom((sub) =>
            sub
              .selectFrom('webhook_deliveries')
              .select('id')
              .whereRef('subscription_id', '=', 's.id')
              .where('status', 'in', ['pending', 'sending'])
              .limit(10_000)
              .as('p'),
          )
          .select((e) => e.fn.countAll<number>().as('n'))
          .as('pending'),
        eb
          .selectFrom((sub) =>
            sub
              .selectFrom('webhook_deliveries')
              .select('id')
              .whereRef('subscription_id', '=', 's.id')
              .where('status', '=', 'dead')
              .limit(10_000)
              .as('x'),
          )
          .select((e) => e.fn.countAll<number>().as('n'))
          .as('dead'),
      ])
      .where(
        's.id',
        'in',
        subs.map((s) => s.id),
      )
      .execute();
    const byId = new Map(counts.map((c) => [c.id, c]));
    return {
      items: subs.map((s) => ({
        ...present(s),
        unitName: s.unit_name,
        pending: Number(byId.get(s.id)?.pending ?? 0),
        dead: Number(byId.get(s.id)?.dead ?? 0),
      })),
    };
  }

  async create(actor: Actor, input: { unitId: number; name: string; url: string; eventGroups: EventGroup[] }) {
    this.assertManages(actor, input.unitId);
    this.checkUrl(input.url);
    const now = this.clock.now();
    const secret = newSecret();
    return this.db.transaction().execute(async (trx) => {
      const unit = await trx.selectFrom('units').select('id').where('id', '=', input.unitId).executeTakeFirst();
      if (!unit) throw new AppError('bad_request', '单位不存在', { field: 'unitId' });
      const existing = await trx
        .selectFrom('webhook_subscriptions')
        .select('id')
        .where('unit_id', '=', input.unitId)
        .limit(this.settings.maxSubscriptionsPerUnit)
        .execute();
      if (existing.length >= this.settings.maxSubscriptionsPerUnit)
        throw new AppError('conflict', `每个单位最多 ${this.settings.maxSubscriptionsPerUnit} 个推送订阅`);
      const s = await trx
        .insertInto('webhook_subscriptions')
        .values({
          unit_id: input.unitId,
          name: input.name,
          url: input.url,
          event_groups: [...new Set(input.eventGroups)],
          secret_enc: this.cipher.encrypt(secret),
          status: 'active',
          created_by: actor.userId,
          created_at: now,
          updated_at: now,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await this.audit(trx, actor, s.id, 'create', null, auditView(s));
      // the secret is shown this once; the screen tells the admin to copy it into the receiving system
      return { ...present(s), secret };
    });
  }

  async update(
    actor: Actor,
    id: number,
    input: { name?: string; url?: string; eventGroups?: EventGroup[]; status?: 'active' | 'paused'; version: number },
  ) {
    const before = await this.load(actor, id);
    if (input.url !== undefined) this.checkUrl(input.url);
    const now = this.clock.now();
    return this.db.transaction().execute(async (trx) => {
      const s = await trx
        .updateTable('webhook_subscriptions')
        .set({
          ...(input.name !== undefined ? { name: input.name } : {}),
          ...(input.url !== undefined ? { url: input.url } : {}),
          ...(input.eventGroups !== undefined ? { event_groups: [...new Set(input.eventGroups)] } : {}),
          ...(input.status !== undefined ? { status: input.status } : {}),
          // resuming clears the backoff, so what queued meanwhile goes out at the next pass
          ...(input.status === 'active' ? { backoff_until: null, consecutive_failures: 0 } : {}),
          updated_at: now,
          version: before.version + 1,
        })
        .where('id', '=', id)
        .where('version', '=', input.version)
        .returningAll()
        .executeTakeFirst();
      if (!s)
        throw new AppError('version_conflict', '订阅已被他人修改，请刷新后重试', { currentVersion: before.version });
      await this.audit(trx, actor, id, 'update', auditView(before), auditView(s));
      return present(s);
    });
  }

  /** A new secret; the old one still signs (a second v1) for the grace period, so messages in flight verify. */
  async rotateSecret(actor: Actor, id: number) {
    const before = await this.load(actor, id);
    const now = this.clock.now();
    const secret = newSecret();
    const until = new Date(now.getTime() + this.settings.rotationGraceMs);
    return this.db.transaction().execute(async (trx) => {
      const s = await trx
        .updateTable('webhook_subscriptions')
        .set({
          secret_enc: this.cipher.encrypt(secret),
          // the column as it is now, not as read before: a PII key rotation may have re-encrypted it meanwhile
          previous_secret_enc: sql<string>`secret_enc`,
          previous_secret_until: until,
          updated_at: now,
          version: before.version + 1,
        })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow();
      await this.audit(trx, actor, id, 'rotate_secret', null, { previousValidUntil: until });
      return { ...present(s), secret, previousValidUntil: until };
    });
  }

  /** 测试推送: a ping to the receiver now; the answer is shown on the screen and kept in the delivery list. */
  async test(actor: Actor, id: number) {
    const s = await this.load(actor, id);
    const now = this.clock.now();
    const d = await this.db
      .insertInto('webhook_deliveries')
      .values({
        subscription_id: s.id,
        kind: 'ping',
        status: 'pending',
        next_attempt_at: now,
        created_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const outcome = await this.worker.deliverNow(d.id);
    return {
      deliveryId: d.id,
      ok: outcome?.ok ?? false,
      httpStatus: outcome?.status ?? null,
      error: outcome && !outcome.ok ? outcome.error : null,
    };
  }

  async deliveries(
    actor: Actor,
    id: number,
    q: { status?: 'pending' | 'sending' | 'delivered' | 'dead'; before?: number; limit: number },
  ) {
    await this.load(actor, id);
    let query = this.db
      .selectFrom('webhook_deliveries as d')
      .leftJoin('tickets', 'tickets.id', 'd.ticket_id')
      .select([
        'd.id',
        'd.feed_id',
        'd.event_id',
        'd.ticket_id',
        'tickets.number as ticket_number',
        'd.kind',
        'd.status',
        'd.attempts',
        'd.next_attempt_at',
        'd.last_error',
        'd.last_status_code',
        'd.replays',
        'd.created_at',
        'd.delivered_at',
        'd.dead_at',
      ])
      .where('d.subscription_id', '=', id);
    if (q.status) query = query.where('d.status', '=', q.status);
    if (q.before) query = query.where('d.id', '<', q.before);
    const rows = await query
      .orderBy('d.id', 'desc')
      .limit(q.limit + 1)
      .execute();
    const items = rows.slice(0, q.limit).map((d) => ({
      id: d.id,
      eventId: d.feed_id === null ? `ping-${d.id}` : String(d.feed_id),
      ticketId: d.ticket_id,
      ticketNumber: d.ticket_number,
      kind: d.kind,
      status: d.status,
      attempts: d.attempts,
      nextAttemptAt: d.status === 'pending' ? d.next_attempt_at : null,
      lastError: d.last_error,
      lastStatusCode: d.last_status_code,
      replays: d.replays,
      createdAt: d.created_at,
      deliveredAt: d.delivered_at,
      deadAt: d.dead_at,
    }));
    return { items, next: rows.length > q.limit ? items[items.length - 1]!.id : null };
  }

  /** 重新推送 a dead letter: queued again with fresh attempts, same idempotency key. */
  async replay(actor: Actor, deliveryId: number) {
    requireRole(actor, 'admin', 'unit_manager');
    const d = await this.db
      .selectFrom('webhook_deliveries')
      .select(['id', 'subscription_id', 'status'])
      .where('id', '=', deliveryId)
      .executeTakeFirst();
    if (!d) throw new AppError('not_found', '推送记录不存在或无权查看');
    await this.load(actor, d.subscription_id);
    const n = await this.requeue(actor, d.subscription_id, [deliveryId]);
    if (n === 0) throw new AppError('conflict', '只有进入死信的推送可以重新推送', { status: d.status });
    return { replayed: n };
  }

  /** 全部重新推送: every dead letter of the subscription (after a receiver's long outage). */
  async replayDead(actor: Actor, id: number) {
    await this.load(actor, id);
    return { replayed: await this.requeue(actor, id, null) };
  }

  private async requeue(actor: Actor, subscriptionId: number, ids: number[] | null) {
    const now = this.clock.now();
    return this.db.transaction().execute(async (trx) => {
      let q = trx
        .updateTable('webhook_deliveries')
        .set((eb) => ({
          status: 'pending',
          attempts: 0,
          next_attempt_at: now,
          dead_at: null,
          replays: eb('replays', '+', 1),
        }))
        .where('subscription_id', '=', subscriptionId)
        .where('status', '=', 'dead');
      if (ids) q = q.where('id', 'in', ids);
      const r = await q.executeTakeFirst();
      const n = Number(r.numUpdatedRows);
      if (n > 0) {
        await trx
          .updateTable('webhook_subscriptions')
          .set({ backoff_until: null })
          .where('id', '=', subscriptionId)
          .execute();
        await this.audit(trx, actor, subscriptionId, 'replay', null, { deliveries: ids ?? 'all_dead', count: n });
      }
      return n;
    });
  }

  private audit(trx: Kysely<DB>, actor: Actor, id: number, action: string, before: unknown, after: unknown) {
    return insertActorAudit(trx, actor, {
      entity: 'webhook_subscription',
      entityId: String(id),
      action,
      before,
      after,
      at: this.clock.now(),
    });
  }
}

type SubRow = {
  id: number;
  unit_id: number;
  name: string;
  url: string;
  event_groups: string[];
  status: 'active' | 'paused';
  version: number;
  created_at: Date;
  updated_at: Date;
  previous_secret_until: Date | null;
  backoff_until: Date | null;
  consecutive_failures: number;
  last_attempt_at: Date | null;
  last_success_at: Date | null;
  last_error: string | null;
  last_status_code: number | null;
};

function present(s: SubRow) {
  return {
    id: s.id,
    unitId: s.unit_id,
    name: s.name,
    url: s.url,
    eventGroups: s.event_groups,
    eventGroupLabels: s.event_groups.map((g) => EVENT_GROUP_LABELS[g as EventGroup] ?? g),
    status: s.status,
    version: s.version,
    createdAt: s.created_at,
    updatedAt: s.updated_at,
    previousSecretValidUntil: s.previous_secret_until,
    backoffUntil: s.backoff_until,
    consecutiveFailures: s.consecutive_failures,
    lastAttemptAt: s.last_attempt_at,
    lastSuccessAt: s.last_success_at,
    lastError: s.last_error,
    lastStatusCode: s.last_status_code,
  };
}

/** What the admin audit keeps of a subscription: never the secret. */
function auditView(s: SubRow) {
  return { unitId: s.unit_id, name: s.name, url: s.url, eventGroups: s.event_groups, status: s.status };
}

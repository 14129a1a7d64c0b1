import { timingSafeEqual } from 'node:crypto';
import type { Satisfaction } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import { PUBLIC_EVENTS } from '../../domain/public-events.js';
import { STATUS_LABELS } from '../../../shared/domain/transitions.js';
import * as repo from '../tickets/tickets.repository.js';
import type { ServiceDeps } from '../tickets/ticket-workflow.js';
import { recordEvaluation } from './evaluations.js';

// 第九条: a requester may know the progress and result, evaluate it, and complain about staff — with the
// ticket number and tracking code, no account. Answers never reveal personal data or staff names.

export class TrackingService {
  constructor(private readonly deps: ServiceDeps) {}

  /**
   * 第六条 key rotation: the code is compared under the key version its hash was made with (the code itself is not
   * stored, so no rotation can rehash it). A code used while its hash is on an older key is moved to the current
   * key then — the only moment its plaintext is at hand — so old keys are needed by ever fewer tickets.
   */
  private async find(number: string, code: string) {
    const { db, cipher } = this.deps;
    const t = await db
      .selectFrom('tickets')
      .selectAll()
      .where('number', '=', number.trim().toUpperCase())
      .executeTakeFirst();
    const given = code.trim().toUpperCase();
    const version = t?.tracking_key_version ?? 1;
    const configured = cipher.hasVersion(version);
    const expected = Buffer.from(t?.tracking_code_hash ?? 'x'.repeat(43));
    const computed = Buffer.from(cipher.keyedHashAt(configured ? version : cipher.currentVersion, 'tracking', given));
    const ok = t && configured && expected.length === computed.length && timingSafeEqual(expected, computed);
    // a version not configured cannot be checked: refused like a wrong code (the admin screen lists such versions)
    if (!ok) throw new AppError('not_found', '工单号或查询码不正确');
    // not a step of the ticket: its version (optimistic concurrency) is left alone, so no staff edit is disturbed
    if (version !== cipher.currentVersion)
      await db
        .updateTable('tickets')
        .set({ tracking_code_hash: cipher.keyedHash('tracking', given), tracking_key_version: cipher.currentVersion })
        .where('id', '=', t.id)
        .where('tracking_code_hash', '=', t.tracking_code_hash)
        .execute();
    return t;
  }

  async progress(number: string, code: string) {
    let t = await this.find(number, code);
    const mergedFrom = t.merged_into_id ? t.number : null;
    if (t.merged_into_id) t = (await repo.findTicket(this.deps.db, t.merged_into_id))!;
    const [events, unit, evaluation] = await Promise.all([
      repo.listEvents(this.deps.db, t.id),
      t.lead_unit_id
        ? this.deps.db.selectFrom('units').select('name').where('id', '=', t.lead_unit_id).executeTakeFirst()
        : undefined,
      this.deps.db
        .selectFrom('evaluations')
        .select(['satisfaction', 'comment', 'at'])
        .where('ticket_id', '=', t.id)
        .orderBy('id', 'desc')
        .executeTakeFirst(),
    ]);
    return {
      number: t.number,
      mergedFrom,
      title: t.title,
      status: t.status,
      statusLabel: STATUS_LABELS[t.status],
      createdAt: t.created_at,
      handlingUnit: unit?.name ?? null,
      timeline: events.filter((e) => PUBLIC_EVENTS[e.kind]).map((e) => ({ at: e.at, label: PUBLIC_EVENTS[e.kind]! })),
      reply: t.reply_result ? { result: t.reply_result, explanation: t.reply_explanation, at: t.replied_at } : null,
      evaluation: evaluation ?? null,
      canEvaluate: (t.status === 'replied' || t.status === 'closed') && !evaluation,
    };
  }

  async evaluate(number: string, code: string, input: { satisfaction: Satisfaction; comment?: string }) {
    const t = await this.find(number, code);
    if (t.status !== 'replied' && t.status !== 'closed')
      throw new AppError('conflict', '工单答复后方可评价', { status: t.status });
    return this.deps.db.transaction().execute(async (trx) => {
      const locked = (await repo.lockTicket(trx, t.id))!;
      const row = await recordEvaluation(
        trx,
        locked.id,
        { satisfaction: input.satisfaction, comment: input.comment, via: 'portal' },
        this.deps.clock.now(),
      );
      return { satisfaction: row.satisfaction, at: row.at };
    });
  }

  /** A complaint about a staff member goes to supervision (第九条、第二十二条), never to the unit itself first. */
  async complain(number: string, code: string, input: { content: string; againstStaff?: string }) {
    const t = await this.find(number, code);
    return this.deps.db.transaction().execute(async (trx) => {
      const now = this.deps.clock.now();
      const row = await trx
        .insertInto('staff_complaints')
        .values({
          ticket_id: t.id,
          against_unit_id: t.lead_unit_id,
          against_staff: input.againstStaff ?? null,
          content: input.content,
          created_at: now,
        })
        .returning(['id', 'created_at'])
        .executeTakeFirstOrThrow();
      await repo.insertEvent(trx, {
        ticket_id: t.id,
        kind: 'staff_complaint',
        at: now,
        actor_user_id: null,
        actor_unit_id: null,
        data: { complaintId: row.id },
      });
      return { id: row.id, receivedAt: row.created_at, message: '您的投诉已转交督办部门处理' };
    });
  }
}

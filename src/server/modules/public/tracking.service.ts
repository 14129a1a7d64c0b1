import { timingSafeEqual } from 'node:crypto';
import type { DeadlineKind, Satisfaction } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import { PUBLIC_EVENTS } from '../../domain/public-events.js';
import { STATUS_LABELS } from '../../../shared/domain/transitions.js';
import * as repo from '../tickets/tickets.repository.js';
import type { ServiceDeps } from '../tickets/ticket-workflow.js';
import { recordEvaluation } from './evaluations.js';
import { webReferenceId } from '../../domain/tracking-code.js';

/** The steps a requester waits for, by deadline kind (第十四至十七条), in the words of the track page. */
const PUBLIC_STEPS: Partial<Record<DeadlineKind, string>> = {
  accept: '承办单位签收',
  first_contact: '承办单位与您联系',
  reply: '办理并答复',
  rework: '重新办理并答复',
  callback: '回访',
};

/** 第九条: what a portal message's sender is told of it before it is a ticket (the contact's disposition). */
const CONTACT_STAGE: Record<string, string> = {
  new: '已收到，等待话务员受理',
  answered: '已直接答复',
  explained: '已解释说明',
  transferred: '已转紧急热线',
  redirected: '已告知依法处理的途径',
  admonished: '已提醒',
  not_accepted: '不予受理',
  repeat: '已并入原工单办理',
  merged: '已并入原工单办理',
  dispatched: '已形成工单',
};

// 第九条: a requester may know the progress and result, evaluate it, and complain about staff — with the
// ticket number and tracking code, no account. Answers never reveal personal data or staff names.

export class TrackingService {
  constructor(private readonly deps: ServiceDeps) {}

  /**
   * 第六条 key rotation: the code is compared under the key version its hash was made with (the code itself is not
   * stored, so no rotation can rehash it). A code used while its hash is on an older key is moved to the current
   * key then — the only moment its plaintext is at hand — so old keys are needed by ever fewer tickets and messages.
   * A version not configured cannot be checked: refused like a wrong code (the admin screen lists such versions).
   */
  private async codeMatches(
    table: 'tickets' | 'contacts',
    row: { id: number; tracking_code_hash: string | null; tracking_key_version: number | null } | undefined,
    code: string,
  ): Promise<boolean> {
    const { db, cipher } = this.deps;
    const given = code.trim().toUpperCase();
    const version = row?.tracking_key_version ?? 1;
    const configured = cipher.hasVersion(version);
    const expected = Buffer.from(row?.tracking_code_hash ?? 'x'.repeat(43));
    const computed = Buffer.from(cipher.keyedHashAt(configured ? version : cipher.currentVersion, 'tracking', given));
    const ok =
      !!row?.tracking_code_hash &&
      configured &&
      expected.length === computed.length &&
      timingSafeEqual(expected, computed);
    // not a step of the ticket: its version (optimistic concurrency) is left alone, so no staff edit is disturbed
    if (ok && version !== cipher.currentVersion)
      await db
        .updateTable(table)
        .set({ tracking_code_hash: cipher.keyedHash('tracking', given), tracking_key_version: cipher.currentVersion })
        .where('id', '=', row.id)
        .where('tracking_code_hash', '=', row.tracking_code_hash)
        .execute();
    return ok;
  }

  private async find(number: string, code: string) {
    const contactId = webReferenceId(number);
    if (contactId !== null) {
      const c = await this.findContact(contactId, code);
      const t = c.ticket_id ? await repo.findTicket(this.deps.db, c.ticket_id) : undefined;
      if (!t) throw new AppError('conflict', '留言尚未形成工单：形成工单并答复后方可评价或投诉', { reference: number });
      return t;
    }
    const t = await this.deps.db
      .selectFrom('tickets')
      .selectAll()
      .where('number', '=', number.trim().toUpperCase())
      .executeTakeFirst();
    // the hash is computed whether or not the number exists, so timing does not tell which numbers do
    const ok = await this.codeMatches('tickets', t, code);
    if (!t || !ok) throw new AppError('not_found', '工单号或查询码不正确');
    return t;
  }

  /** 第九条, issue 14: a portal message by its 留言编号 (WEB-<id>) and the code shown when it was sent. */
  private async findContact(id: number, code: string) {
    const c = await this.deps.db
      .selectFrom('contacts')
      .select(['id', 'status', 'disposition', 'reply_text', 'received_at', 'disposed_at', 'ticket_id'])
      .select(['tracking_code_hash', 'tracking_key_version', 'emergency_suggestion'])
      .where('id', '=', id)
      .where('channel', '=', 'web')
      .executeTakeFirst();
    const ok = await this.codeMatches('contacts', c, code);
    if (!c || !ok) throw new AppError('not_found', '留言编号或查询码不正确');
    return c;
  }

  async progress(number: string, code: string) {
    const contactId = webReferenceId(number);
    if (contactId !== null) {
      const c = await this.findContact(contactId, code);
      const reference = `WEB-${c.id}`;
      // once it is a ticket, the sender follows the ticket itself (and may evaluate it with this same code)
      if (c.ticket_id)
        return { ...(await this.ticketProgress((await repo.findTicket(this.deps.db, c.ticket_id))!)), reference };
      const stage = c.status === 'new' ? 'new' : (c.disposition ?? 'new');
      return {
        kind: 'message' as const,
        reference,
        stage: { label: CONTACT_STAGE[stage] ?? '已处理', receivedAt: c.received_at, handledAt: c.disposed_at },
        // 第十三条(一): said again here, in case the sender did not read it when sending
        emergencyLine: c.status === 'new' ? c.emergency_suggestion : null,
        answer: c.status === 'disposed' && c.reply_text ? { text: c.reply_text, at: c.disposed_at } : null,
      };
    }
    return this.ticketProgress(await this.find(number, code));
  }

  private async ticketProgress(found: NonNullable<Awaited<ReturnType<typeof repo.findTicket>>>) {
    let t = found;
    const mergedFrom = t.merged_into_id ? t.number : null;
    if (t.merged_into_id) t = (await repo.findTicket(this.deps.db, t.merged_into_id))!;
    const [events, unit, evaluation, next] = await Promise.all([
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
      // issue 14: the due date of the next step the requester waits for (the units' own internal steps are not shown)
      this.deps.db
        .selectFrom('deadlines')
        .select(['kind', 'due_at'])
        .where('ticket_id', '=', t.id)
        .where('met_at', 'is', null)
        .where('cancelled_at', 'is', null)
        .where('kind', 'in', Object.keys(PUBLIC_STEPS) as DeadlineKind[])
        .orderBy('due_at')
        .limit(1)
        .executeTakeFirst(),
    ]);
    return {
      kind: 'ticket' as const,
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
      nextStep: next ? { label: PUBLIC_STEPS[next.kind]!, dueAt: next.due_at } : null,
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

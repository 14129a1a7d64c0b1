import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import { maskPhone } from '../../domain/masking.js';
import { AppError, notFound } from '../../errors.js';
import {
  canEscalate,
  complaintActions,
  COMPLAINT_FINDING_LABELS,
  nextComplaintStatus,
  type ComplaintAction,
  type ComplaintFinding,
} from '../../../shared/domain/referrals.js';
import { insertActorAudit } from '../audit/admin-audit.repository.js';
import { inRegionScope, requireRole, type Actor } from '../auth/actor.js';
import type { ServiceDeps } from '../tickets/ticket-workflow.js';
import { insertComplaintStep, lockComplaint } from './staff-complaints.repository.js';

type Locked = NonNullable<Awaited<ReturnType<typeof lockComplaint>>>;
type Patch = Partial<{
  assignee_id: number;
  finding: ComplaintFinding;
  finding_text: string;
  reply_text: string;
  reply_sms: boolean;
  replied_at: Date;
  closed_at: Date;
}>;

// 第九条: a requester's complaint about the staff who handled the request (服务态度、工作效率和工作作风) is
// investigated by the centre's supervisors, found 属实/部分属实/不属实, answered to the requester (by SMS through the
// outbox when they left a phone) and closed — or escalated to a misconduct referral (ReferralService.create with
// complaintId). Each step is one transaction with its step row and the admin audit row.
export class StaffComplaintService {
  constructor(private readonly deps: ServiceDeps) {}

  async detail(actor: Actor, id: number) {
    requireRole(actor, 'supervisor');
    const { db, cipher } = this.deps;
    const c = await db
      .selectFrom('staff_complaints as c')
      .innerJoin('tickets as t', 't.id', 'c.ticket_id')
      .leftJoin('units as u', 'u.id', 'c.against_unit_id')
      .leftJoin('users as a', 'a.id', 'c.assignee_id')
      .leftJoin('requesters as r', 'r.id', 't.requester_id')
      .selectAll('c')
      .select([
        't.number as ticket_number',
        't.title as ticket_title',
        't.region_code',
        'u.name as against_unit_name',
        'a.display_name as assignee_name',
        'r.phone_enc',
      ])
      .where('c.id', '=', id)
      .executeTakeFirst();
    if (!c || !inRegionScope(actor, c.region_code)) throw notFound('投诉');
    const steps = await db
      .selectFrom('staff_complaint_steps as s')
      .leftJoin('users as u', 'u.id', 's.actor_user_id')
      .select(['s.id', 's.action', 's.note', 's.at', 'u.display_name as actor_name'])
      .where('s.complaint_id', '=', id)
      .orderBy('s.id')
      .execute();
    const { phone_enc, region_code: _region, ...rest } = c;
    return {
      ...rest,
      // 第六条: whether an SMS reply can be sent, and to which (masked) number — never the number itself
      complainantPhone: phone_enc ? maskPhone(cipher.decrypt(phone_enc)) : null,
      allowedActions: complaintActions(c.status).filter((a) => a !== 'escalate' || canEscalate(c.status, c.finding)),
      steps,
    };
  }

  /** 调查中: assign an investigator (a supervisor of the centre; the actor by default) with the first note. */
  async investigate(actor: Actor, id: number, input: { assigneeId?: number; note: string }) {
    return this.step(actor, id, 'investigate', async (trx) => {
      const assigneeId = input.assigneeId ?? actor.userId;
      const u = await trx
        .selectFrom('users')
        .select(['id', 'display_name', 'roles', 'active'])
        .where('id', '=', assigneeId)
        .executeTakeFirst();
      if (!u || !u.active || !u.roles.includes('supervisor'))
        throw new AppError('bad_request', '调查人应为在岗的督办员', { field: 'assigneeId' });
      return { patch: { assignee_id: assigneeId }, note: `调查人：${u.display_name}。${input.note}` };
    });
  }

  async note(actor: Actor, id: number, input: { note: string }) {
    return this.step(actor, id, 'note', async () => ({ patch: {}, note: input.note }));
  }

  async conclude(actor: Actor, id: number, input: { finding: ComplaintFinding; findingText: string }) {
    return this.step(actor, id, 'conclude', async () => ({
      patch: { finding: input.finding, finding_text: input.findingText },
      note: `调查结论：${COMPLAINT_FINDING_LABELS[input.finding]}。${input.findingText}`,
    }));
  }

  /** The answer to the requester: recorded always; sent by SMS (outbox) when the requester left a phone. */
  async reply(actor: Actor, id: number, input: { text: string }) {
    return this.step(actor, id, 'reply', async (trx, c, now) => {
      const requester = c.requester_id
        ? await trx.selectFrom('requesters').select('phone_enc').where('id', '=', c.requester_id).executeTakeFirst()
        : undefined;
      const to = requester?.phone_enc ?? null;
      const sms = to !== null;
      if (to)
        await trx
          .insertInto('outbound_messages')
          .values({
            channel: 'sms',
            to_enc: to,
            purpose: 'complaint_reply',
            ticket_id: c.ticket_id,
            created_at: now,
            body: `【菏泽12345】您对工单${c.number}有关工作人员的投诉已办理：${input.text}`,
          })
          .execute();
      return {
        patch: { reply_text: input.text, reply_sms: sms, replied_at: now },
        note: `${sms ? '已短信答复投诉人' : '投诉人未留电话，答复已记录'}：${input.text}`,
      };
    });
  }

  async close(actor: Actor, id: number, input: { note?: string }) {
    return this.step(actor, id, 'close', async (_trx, _c, now) => ({
      patch: { closed_at: now },
      note: input.note || '办结',
    }));
  }

  private async step(
    actor: Actor,
    id: number,
    action: Exclude<ComplaintAction, 'escalate'>,
    apply: (trx: Transaction<DB>, c: Locked, now: Date) => Promise<{ patch: Patch; note: string }>,
  ) {
    requireRole(actor, 'supervisor');
    const now = this.deps.clock.now();
    return this.deps.db.transaction().execute(async (trx) => {
      const c = await lockComplaint(trx, id);
      if (!c || !inRegionScope(actor, c.region_code)) throw notFound('投诉');
      const to = nextComplaintStatus(c.status, action);
      if (!to)
        throw new AppError('illegal_transition', '该投诉当前状态不能执行此操作', {
          status: c.status,
          action,
          allowedActions: complaintActions(c.status),
        });
      const { patch, note } = await apply(trx, c, now);
      const updated = await trx
        .updateTable('staff_complaints')
        .set((eb) => ({ ...patch, status: to, updated_at: now, version: eb('version', '+', 1) }))
        .where('id', '=', id)
        .returning(['id', 'status', 'finding', 'version'])
        .executeTakeFirstOrThrow();
      await insertComplaintStep(trx, id, action, note, actor, now);
      const { reply_text: _text, finding_text: _finding, ...auditable } = patch;
      await insertActorAudit(trx, actor, {
        entity: 'staff_complaint',
        entityId: String(id),
        action,
        before: { status: c.status },
        after: { status: to, ...auditable },
        at: now,
      });
      return updated;
    });
  }
}

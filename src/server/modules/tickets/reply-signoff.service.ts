import type { ReplySignoffItem, SignoffQueueItem, TicketSignoffs } from '../../../shared/contracts/unit-workflow.js';
import { AppError } from '../../errors.js';
import { insertActorAudit } from '../audit/admin-audit.repository.js';
import { requireRole, type Actor } from '../auth/actor.js';
import { findUnit } from '../config/config.repository.js';
import { assertCanView, assertLeadUnitStaff } from './tickets.policy.js';
import * as repo from './tickets.repository.js';
import { lockSignoff, pendingSignoff, signoffRequired } from './reply-signoff.repository.js';
import { runStep, type ServiceDeps, type StepContext } from './ticket-workflow.js';
import { claimWorkFiles } from '../work-files/work-files.claim.js';
import { filesOfOwners } from '../work-files/work-files.repository.js';
import type { TicketService } from './tickets.service.js';

const NOT_FOUND = '待审核答复不存在或无权查看';

/**
 * 第十五条 审核: in a unit that requires it (单位与区划, the admin's setting), a handler's reply goes to the unit
 * manager before it leaves the unit. The submission keeps the ticket 办理中 and its deadlines running; approval
 * writes the reply exactly as a direct reply does (TicketService.replyInStep); a return sends it back with a reason.
 */
export class ReplySignoffService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly tickets: TicketService,
  ) {}

  /** A handler submits the reply; everything a reply needs is checked now, and again on approval. */
  async submit(
    actor: Actor,
    ticketId: number,
    input: {
      result: string;
      explanation?: string | null;
      solved: boolean;
      unreachableNote?: string | null;
      fileIds?: number[];
      expectedVersion?: number;
    },
  ) {
    return runStep(this.deps, actor, ticketId, 'submit_reply', input.expectedVersion, async (ctx) => {
      await assertLeadUnitStaff(ctx.trx, actor, ctx.ticket);
      if (!(await signoffRequired(ctx.trx, ctx.ticket.lead_unit_id)))
        throw new AppError('conflict', '本单位的答复无需审核，请直接答复');
      if (await pendingSignoff(ctx.trx, ctx.ticket.id))
        throw new AppError('conflict', '该工单已有待审核的答复', { signoffPending: true });
      await this.tickets.checkReply(ctx, input);
      const row = await ctx.trx
        .insertInto('reply_signoffs')
        .values({
          ticket_id: ctx.ticket.id,
          unit_id: actor.unitId,
          result: input.result,
          explanation: input.explanation ?? null,
          solved: input.solved,
          unreachable_note: input.unreachableNote?.trim() || null,
          submitted_by: actor.userId,
          submitted_at: ctx.now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      // 第十五条: the photos of the result go with the submission, and with the reply once approved
      const files = await claimWorkFiles(
        ctx.trx,
        actor,
        input.fileIds ?? [],
        { kind: 'reply_signoff', id: row.id, ticketId: ctx.ticket.id },
        ctx.now,
      );
      await ctx.event('reply_submitted', {
        signoffId: row.id,
        result: input.result,
        solved: input.solved,
        explanation: input.explanation ?? null,
        files,
      });
      return repo.updateTicket(ctx.trx, ctx.ticket.id, { updated_at: ctx.now });
    });
  }

  /** The unit manager approves: the reply leaves the unit as a direct reply would (第十五条(四)). */
  async approve(actor: Actor, signoffId: number, input: { note?: string }) {
    requireRole(actor, 'unit_manager');
    const ticketId = await this.ticketOf(actor, signoffId);
    return runStep(this.deps, actor, ticketId, 'reply', undefined, async (ctx) => {
      const s = await this.lockPending(ctx, actor, signoffId);
      await ctx.trx
        .updateTable('reply_signoffs')
        .set({ status: 'approved', reviewer_id: actor.userId, reviewed_at: ctx.now, review_note: input.note ?? null })
        .where('id', '=', s.id)
        .execute();
      await ctx.event('reply_signed_off', { signoffId: s.id, submittedBy: s.submitted_by }, input.note ?? null);
      const files = (await filesOfOwners(ctx.trx, 'reply_signoff', [s.id])).get(s.id) ?? [];
      return this.tickets.replyInStep(ctx, {
        result: s.result,
        explanation: s.explanation,
        solved: s.solved,
        unreachableNote: s.unreachable_note,
        files: files.map((f) => ({ fileId: f.id, name: f.original_name, mime: f.mime, size: f.size })),
      });
    });
  }

  /** The unit manager returns the reply to the handler with a reason; the ticket stays 办理中. */
  async returnToHandler(actor: Actor, signoffId: number, input: { reason: string }) {
    requireRole(actor, 'unit_manager');
    const ticketId = await this.ticketOf(actor, signoffId);
    return runStep(this.deps, actor, ticketId, 'return_reply', undefined, async (ctx) => {
      const s = await this.lockPending(ctx, actor, signoffId);
      await ctx.trx
        .updateTable('reply_signoffs')
        .set({ status: 'returned', reviewer_id: actor.userId, reviewed_at: ctx.now, review_note: input.reason })
        .where('id', '=', s.id)
        .execute();
      await ctx.event('reply_returned', { signoffId: s.id, submittedBy: s.submitted_by }, input.reason);
      return repo.updateTicket(ctx.trx, ctx.ticket.id, { updated_at: ctx.now });
    });
  }

  /** 待审核: the unit's pending submissions, oldest first (keyset on id). */
  async queue(actor: Actor, q: { after?: number; limit: number }) {
    requireRole(actor, 'unit_manager');
    let query = this.deps.db
      .selectFrom('reply_signoffs as s')
      .innerJoin('tickets as t', 't.id', 's.ticket_id')
      .innerJoin('users as u', 'u.id', 's.submitted_by')
      .select([
        's.id',
        's.ticket_id',
        't.number',
        't.title',
        't.due_at',
        'u.display_name',
        's.submitted_at',
        's.result',
        's.solved',
      ])
      .where('s.unit_id', '=', actor.unitId)
      .where('s.status', '=', 'pending')
      .where('t.lead_unit_id', '=', actor.unitId)
      .orderBy('s.id')
      .limit(q.limit + 1);
    if (q.after !== undefined) query = query.where('s.id', '>', q.after);
    const rows = await query.execute();
    const items: SignoffQueueItem[] = rows.slice(0, q.limit).map((r) => ({
      id: Number(r.id),
      ticketId: Number(r.ticket_id),
      ticketNumber: r.number,
      ticketTitle: r.title,
      dueAt: r.due_at ? new Date(r.due_at).toISOString() : null,
      submittedByName: r.display_name,
      submittedAt: new Date(r.submitted_at).toISOString(),
      result: r.result,
      solved: r.solved,
    }));
    return { items, next: rows.length > q.limit ? items[items.length - 1]!.id : null };
  }

  /** The ticket's submissions (newest first) and whether its lead unit requires sign-off. */
  async forTicket(actor: Actor, ticketId: number): Promise<TicketSignoffs> {
    const ticket = await repo.findTicket(this.deps.db, ticketId);
    await assertCanView(this.deps.db, actor, ticket);
    const rows = await this.deps.db
      .selectFrom('reply_signoffs as s')
      .innerJoin('users as u', 'u.id', 's.submitted_by')
      .leftJoin('users as r', 'r.id', 's.reviewer_id')
      .selectAll('s')
      .select(['u.display_name as submitter', 'r.display_name as reviewer'])
      .where('s.ticket_id', '=', ticketId)
      .orderBy('s.id', 'desc')
      .limit(20)
      .execute();
    const items: ReplySignoffItem[] = rows.map((r) => ({
      id: Number(r.id),
      ticketId: Number(r.ticket_id),
      status: r.status,
      result: r.result,
      explanation: r.explanation,
      solved: r.solved,
      unreachableNote: r.unreachable_note,
      submittedByName: r.submitter,
      submittedAt: new Date(r.submitted_at).toISOString(),
      reviewerName: r.reviewer ?? null,
      reviewedAt: r.reviewed_at ? new Date(r.reviewed_at).toISOString() : null,
      reviewNote: r.review_note,
    }));
    return { required: await signoffRequired(this.deps.db, ticket!.lead_unit_id), items };
  }

  /** 单位与区划: the units that require sign-off. */
  async settings(actor: Actor) {
    requireRole(actor, 'admin');
    const rows = await this.deps.db
      .selectFrom('unit_workflow_settings')
      .select(['unit_id', 'reply_signoff'])
      .where('reply_signoff', '=', true)
      .orderBy('unit_id')
      .execute();
    return { replySignoffUnitIds: rows.map((r) => r.unit_id) };
  }

  /** The admin sets whether a unit's replies need its manager's sign-off; audited with before and after. */
  async setSetting(actor: Actor, unitId: number, input: { replySignoff: boolean }) {
    requireRole(actor, 'admin');
    return this.deps.db.transaction().execute(async (trx) => {
      const unit = await findUnit(trx, unitId);
      if (!unit) throw new AppError('not_found', '单位不存在');
      if (unit.kind === 'centre') throw new AppError('bad_request', '热线工作机构不承办工单，无需设置答复审核');
      const before = await signoffRequired(trx, unitId);
      const now = this.deps.clock.now();
      await trx
        .insertInto('unit_workflow_settings')
        .values({ unit_id: unitId, reply_signoff: input.replySignoff, updated_by: actor.userId, updated_at: now })
        .onConflict((oc) =>
          oc.column('unit_id').doUpdateSet({
            reply_signoff: input.replySignoff,
            updated_by: actor.userId,
            updated_at: now,
          }),
        )
        .execute();
      await insertActorAudit(trx, actor, {
        entity: 'unit',
        entityId: String(unitId),
        action: 'reply_signoff',
        before: { replySignoff: before },
        after: { replySignoff: input.replySignoff },
        at: now,
      });
      return { unitId, replySignoff: input.replySignoff };
    });
  }

  /** The ticket of a submission of the actor's unit; another unit's is 404 (its existence is not revealed). */
  private async ticketOf(actor: Actor, signoffId: number): Promise<number> {
    const s = await this.deps.db
      .selectFrom('reply_signoffs')
      .select(['ticket_id', 'unit_id'])
      .where('id', '=', signoffId)
      .executeTakeFirst();
    if (!s || s.unit_id !== actor.unitId) throw new AppError('not_found', NOT_FOUND);
    return Number(s.ticket_id);
  }

  private async lockPending(ctx: StepContext, actor: Actor, signoffId: number) {
    const s = await lockSignoff(ctx.trx, signoffId);
    if (!s) throw new AppError('not_found', NOT_FOUND);
    if (s.status !== 'pending') throw new AppError('conflict', '该答复已审核', { status: s.status });
    await assertLeadUnitStaff(ctx.trx, actor, ctx.ticket);
    return s;
  }
}

import type { Transaction } from 'kysely';
import { newTrackingCode } from '../../domain/tracking-code.js';
import { AppError } from '../../errors.js';
import { searchTokens } from '../../domain/text-tokens.js';
import { resolveRequester } from '../intake/requesters.repository.js';
import { localDateOf } from '../../domain/calendar.js';
import { resolveDispatch, type Resolution } from '../../domain/dispatch-catalogue.js';
import type { DB, RequestType, Satisfaction, Ticket, UnreachableReply, Urgency } from '../../db/schema.js';
import { inRegionScope, requireRole, type Actor } from '../auth/actor.js';
import { categoryChain, findUnit, loadCatalogueRules, regionChain } from '../config/config.repository.js';
import { assertLeadUnitStaff, assertRegionInScope } from './tickets.policy.js';
import * as repo from './tickets.repository.js';
import type { TicketSummaryRow } from './tickets.presenter.js';
import { assignUnits, runStep, type ServiceDeps, type StepContext } from './ticket-workflow.js';
import { assertNoSignoffPending } from './reply-signoff.repository.js';
import { replyContactState, unreachableRecord } from './reply-contact.js';
import { settleSubDispatchesOnReply } from './sub-dispatch.service.js';
import { claimWorkFiles } from '../work-files/work-files.claim.js';
import type { WorkFileInfo } from '../../../shared/contracts/work-files.js';
import { SURVEY_DAYS, SURVEY_PROMPT } from '../../domain/sms-survey.js';
import { holdsPersonalNumber, UNIT_TEXT_MIN } from '../../../shared/domain/report-text.js';
import { protectTicketText } from '../../security/free-text.js';
import { namesRequester } from '../../domain/pii-text.js';
import { enqueueReply, replyRecipientsOfTicket } from '../channels/channel-replies.js';
import {
  raiseSensitiveAtIntake,
  sensitiveHit,
  statementWarning,
  type SensitiveHit,
} from '../warnings/sensitive-intake.js';

export interface CreateTicketInput {
  requestType: RequestType;
  categoryId: number;
  urgency: Urgency;
  regionCode: string;
  address?: string | null;
  title: string;
  content: string;
  channel?: string;
  requester?: { name?: string | null; phone?: string | null } | null;
  /** 举报: the unit reported on (第三十三条) */
  reportedUnitId?: number | null;
  /** 举报: the text the agent writes for the units, the only text the reported unit reads (第三十三条) */
  unitText?: string | null;
}

// The handling steps of a ticket. Each public method is one transaction with one event.
/** What a new ticket is written from: the request, and what the service that creates it knows besides. */
export type NewTicketInput = Omit<CreateTicketInput, 'requester'> & {
  requesterId: number | null;
  /** 第六条: the requester's name when at hand, masked wherever the title or text repeats it */
  requesterName?: string | null;
  contactId?: number | null;
  /** the centre that answers for the ticket when the creator is not at one (第二十九条: a grid worker's report) */
  centreUnitId?: number;
};

export class TicketService {
  constructor(private readonly deps: ServiceDeps) {}

  /** Turns an intake into a ticket waiting for dispatch (第十二条: 不能在线答复的，形成热线工单). */
  async create(actor: Actor, input: CreateTicketInput) {
    requireRole(actor, 'agent');
    // The hot path (issue 8): a region within the centre's scope by prefix needs no look-up (第三十条), and the
    // requester and the ticket are written by one statement, its own transaction. Whatever that statement refuses,
    // and a 举报 whose text for the units is refused, take the transactional path below, which names the error.
    if (
      actor.scope === 'region' &&
      inRegionScope(actor, input.regionCode) &&
      (input.requestType !== 'report' || unitTextAccepted(input.unitText, input.requester?.name))
    ) {
      // 第二十七条: a sensitive-risk word raises its warning in the same statement (sensitive-intake.ts)
      const hit = await sensitiveHit(this.deps, `${input.title}\n${input.content}`);
      const ticket = await this.createInOneStatement(actor, input, hit);
      if (ticket) return ticket;
    }
    return this.deps.db.transaction().execute(async (trx) => {
      await assertRegionInScope(trx, actor, input.regionCode);
      const requesterId = await resolveRequester(trx, this.deps.cipher, input.requester, this.deps.clock.now());
      return this.createInTrx(trx, actor, { ...input, requesterId, requesterName: input.requester?.name });
    });
  }

  /** POST /api/tickets in one round trip (repo.insertNewTicketWithRequester); undefined when it wrote nothing. */
  private async createInOneStatement(
    actor: Actor,
    input: CreateTicketInput,
    sensitive: SensitiveHit | null,
  ): Promise<(TicketSummaryRow & { trackingCode: string }) | undefined> {
    const { cipher } = this.deps;
    const who = input.requester;
    const phoneHashes = who ? cipher.phoneHashes(who.phone) : [];
    const phoneHash = phoneHashes[0] ?? null;
    // as resolveRequester: no phone and no name is an anonymous contact
    const requester =
      who && (phoneHash || who.name)
        ? {
            phoneHash,
            phoneHashes,
            keyVersion: cipher.currentVersion,
            phoneEnc: cipher.encrypt(who.phone ?? null),
            nameEnc: cipher.encrypt(who.name ?? null),
            hasName: Boolean(who.name),
          }
        : null;
    const { row, extras, trackingCode } = this.newTicket(actor, {
      ...input,
      requesterId: null,
      requesterName: who?.name,
    });
    if (sensitive) extras.warning = statementWarning(sensitive, repo.TICKET_NUMBER_SLOT);
    const { requester_id: _none, ...rest } = row;
    const ticket = await repo.insertNewTicketWithRequester(
      this.deps.db,
      localDateOf(row.created_at),
      rest,
      extras,
      requester,
    );
    return ticket && { ...ticket, trackingCode };
  }

  /** The row, receipt and event of a new ticket, and its tracking code in clear (returned once, stored hashed). */
  private newTicket(actor: Pick<Actor, 'userId' | 'unitId' | 'requestId'>, input: NewTicketInput) {
    const { clock, cipher } = this.deps;
    const now = clock.now();
    const unitText = input.requestType === 'report' ? checkedUnitText(input.unitText, input.requesterName) : null;
    const trackingCode = newTrackingCode();
    const text = protectTicketText(cipher, input.title, input.content, { names: [input.requesterName] });
    const channel = input.channel ?? 'phone';
    const row = {
      request_type: input.requestType,
      category_id: input.categoryId,
      urgency: input.urgency,
      region_code: input.regionCode,
      address_enc: cipher.encrypt(input.address ?? null),
      title: text.title,
      content: text.content,
      original_enc: text.enc,
      status: 'pending_dispatch' as const,
      requester_id: input.requesterId,
      centre_unit_id: input.centreUnitId ?? actor.unitId,
      channel,
      created_by: actor.userId,
      created_at: now,
      updated_at: now,
      due_at: now,
      tracking_code_hash: cipher.keyedHash('tracking', trackingCode),
      // 第六条: the code is not stored, so its hash keeps the version of the key that made it (tracking.service.ts)
      tracking_key_version: cipher.currentVersion,
      reported_unit_id: input.requestType === 'report' ? (input.reportedUnitId ?? null) : null,
      contact_id: input.contactId ?? null,
      unit_text: unitText,
    };
    const extras: repo.NewTicketExtras = {
      searchWords: searchTokens(text.title, text.content),
      receipt: `【菏泽12345】您的诉求已受理，工单号${repo.TICKET_NUMBER_SLOT}，查询码${trackingCode}。可凭工单号和查询码查询办理进度。`,
      event: {
        actor_user_id: actor.userId,
        actor_unit_id: actor.unitId,
        request_id: actor.requestId ?? null,
        data: { channel, contactId: input.contactId ?? null },
      },
    };
    return { row, extras, trackingCode };
  }

  /**
   * Creates the ticket inside the caller's transaction (triage, Open311 and the public form call this too),
   * with its first event, a tracking code for the requester (第九条 知情权) and an SMS receipt when a phone
   * number is known. The clear tracking code is returned once and only its keyed hash is stored.
   */
  async createInTrx(
    trx: Transaction<DB>,
    actor: Pick<Actor, 'userId' | 'unitId' | 'requestId'>,
    input: NewTicketInput,
  ): Promise<Ticket & { trackingCode: string }> {
    // The hot path is one statement that also checks category and region (repo.insertNewTicket); the checks below
    // run on their own only for a report (its reported unit) or to name what the statement refused.
    if (input.requestType === 'report') await assertCreatable(trx, input);
    const { row, extras, trackingCode } = this.newTicket(actor, input);
    const ticket = await repo.insertNewTicket(trx, localDateOf(row.created_at), row, extras);
    if (!ticket) {
      await assertCreatable(trx, input);
      throw new Error('ticket insert refused although category and region exist');
    }
    // 第二十七条 风险预警: a sensitive-risk word in the text raises a warning in this same transaction
    await raiseSensitiveAtIntake(trx, this.deps, ticket, `${input.title}\n${input.content}`, input.contactId ?? null);
    return { ...ticket, trackingCode };
  }

  /** The catalogue's proposal for a ticket: the unit and the rule that chose it (第十二条). */
  async suggestDispatch(ticket: {
    category_id: number;
    region_code: string;
  }): Promise<(Resolution & { leadUnitName: string }) | null> {
    const { db } = this.deps;
    const [cats, regions] = await Promise.all([
      categoryChain(db, ticket.category_id),
      regionChain(db, ticket.region_code),
    ]);
    const resolution = resolveDispatch(await loadCatalogueRules(db, cats), {
      categoryChain: cats,
      regionChain: regions,
    });
    if (!resolution) return null;
    const unit = await findUnit(db, resolution.leadUnitId);
    return { ...resolution, leadUnitName: unit?.name ?? '' };
  }

  /** 派单: by the catalogue unless the dispatcher names the units. */
  async dispatch(
    actor: Actor,
    ticketId: number,
    input: { leadUnitId?: number; assistUnitIds?: number[]; note?: string; expectedVersion?: number },
  ) {
    requireRole(actor, 'dispatcher');
    return runStep(this.deps, actor, ticketId, 'dispatch', input.expectedVersion, async (ctx) => {
      let leadUnitId = input.leadUnitId;
      let assistUnitIds = input.assistUnitIds;
      let ruleId: number | null = null;
      let explanation = '派单员人工指定';
      if (leadUnitId === undefined) {
        const [cats, regions] = await Promise.all([
          categoryChain(ctx.trx, ctx.ticket.category_id),
          regionChain(ctx.trx, ctx.ticket.region_code),
        ]);
        const r = resolveDispatch(await loadCatalogueRules(ctx.trx, cats), {
          categoryChain: cats,
          regionChain: regions,
        });
        if (!r) throw new AppError('unprocessable', '派单目录中没有匹配的承办单位，请人工指定主办单位');
        leadUnitId = r.leadUnitId;
        assistUnitIds ??= r.assistUnitIds;
        ruleId = r.rule.id;
        explanation = r.explanation;
      }
      const plan = await assignUnits(ctx, leadUnitId, assistUnitIds ?? []);
      const t = await repo.updateTicket(ctx.trx, ctx.ticket.id, {
        status: ctx.to,
        lead_unit_id: leadUnitId,
        dispatch_rule_id: ruleId,
        dispatched_at: ctx.now,
        due_at: plan.acceptDue,
        return_until: plan.returnUntil,
        updated_at: ctx.now,
      });
      await ctx.event(
        'dispatched',
        {
          leadUnitId,
          assistUnitIds: assistUnitIds ?? [],
          ruleId,
          explanation,
          acceptDue: plan.acceptDue,
          replyDue: plan.replyDue,
        },
        input.note,
      );
      return t;
    });
  }

  /** 签收: the lead unit takes responsibility; the clock for contacting the requester starts. */
  async accept(actor: Actor, ticketId: number, input: { expectedVersion?: number } = {}) {
    return runStep(this.deps, actor, ticketId, 'accept', input.expectedVersion, async (ctx) => {
      await assertLeadUnitStaff(ctx.trx, actor, ctx.ticket);
      await repo.settleDeadlines(ctx.trx, ctx.ticket.id, ['accept'], ctx.now);
      const lead = (await findUnit(ctx.trx, actor.unitId))!;
      const planner = await ctx.planner();
      const contact = await planner.plan('first_contact', ctx.now, {
        categoryId: ctx.ticket.category_id,
        urgency: ctx.ticket.urgency,
        unitKind: lead.kind,
        roundTheClock: lead.is_24x7,
      });
      await repo.insertDeadline(ctx.trx, {
        ticket_id: ctx.ticket.id,
        unit_id: actor.unitId,
        kind: 'first_contact',
        starts_at: ctx.now,
        due_at: contact.due,
        warn_at: contact.warn,
        calendar_unconfirmed: contact.calendarUnconfirmed,
      });
      const a = await repo.findActiveAssignment(ctx.trx, ctx.ticket.id, actor.unitId, 'lead');
      await repo.updateAssignment(ctx.trx, a!.id, { accepted_at: ctx.now });
      const reply = (await repo.openDeadlines(ctx.trx, ctx.ticket.id, ['reply', 'rework']))[0];
      const t = await repo.updateTicket(ctx.trx, ctx.ticket.id, {
        status: ctx.to,
        accepted_at: ctx.now,
        due_at: reply?.due_at ?? null,
        updated_at: ctx.now,
      });
      await ctx.event('accepted', { firstContactDue: contact.due });
      return t;
    });
  }

  /** 第十五条(一): 及时联系诉求人 — each contact attempt is recorded; the first settles the deadline. */
  async recordContact(
    actor: Actor,
    ticketId: number,
    input: { method: 'phone' | 'sms' | 'visit' | 'other'; reached: boolean; note: string; expectedVersion?: number },
  ) {
    return runStep(this.deps, actor, ticketId, 'record_contact', input.expectedVersion, async (ctx) => {
      await assertLeadUnitStaff(ctx.trx, actor, ctx.ticket);
      let t = ctx.ticket;
      if (input.reached && !ctx.ticket.first_contact_at) {
        await repo.settleDeadlines(ctx.trx, ctx.ticket.id, ['first_contact'], ctx.now);
        t = await repo.updateTicket(ctx.trx, ctx.ticket.id, { first_contact_at: ctx.now, updated_at: ctx.now });
      }
      await ctx.event('requester_contacted', { method: input.method, reached: input.reached, note: input.note });
      return t;
    });
  }

  /** 第十六条: 阶段性工作情况 reported to the centre. */
  async progressReport(actor: Actor, ticketId: number, input: { content: string; expectedVersion?: number }) {
    return runStep(this.deps, actor, ticketId, 'progress_report', input.expectedVersion, async (ctx) => {
      await assertLeadUnitStaff(ctx.trx, actor, ctx.ticket);
      await ctx.event('progress_reported', { content: input.content });
      return repo.updateTicket(ctx.trx, ctx.ticket.id, { updated_at: ctx.now });
    });
  }

  /** 第十六条: an assisting unit submits its result to the lead unit within its own limit. */
  async submitAssistResult(actor: Actor, ticketId: number, input: { result: string }) {
    return runStep(this.deps, actor, ticketId, 'assist_result', undefined, async (ctx) => {
      requireRole(actor, 'handler', 'unit_manager');
      const a = await repo.findActiveAssignment(ctx.trx, ctx.ticket.id, actor.unitId, 'assist');
      if (!a || a.status !== 'active') throw new AppError('forbidden', '本单位不是该工单的协办单位或已提交协办结果');
      await repo.updateAssignment(ctx.trx, a.id, { status: 'submitted', result: input.result, submitted_at: ctx.now });
      await repo.settleDeadlines(ctx.trx, ctx.ticket.id, ['assist'], ctx.now, actor.unitId);
      await ctx.event('assist_submitted', { unitId: actor.unitId, result: input.result });
      return repo.updateTicket(ctx.trx, ctx.ticket.id, { updated_at: ctx.now });
    });
  }

  /** 第十五条(三)(四): reply to the requester and the centre, with an explanation when not solved. */
  async reply(
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
    return runStep(this.deps, actor, ticketId, 'reply', input.expectedVersion, async (ctx) => {
      await assertLeadUnitStaff(ctx.trx, actor, ctx.ticket);
      // 第十五条 审核: in a unit that requires it, a handler's reply goes to the unit manager first
      await assertNoSignoffPending(ctx, actor);
      // 第十五条: photos of the result, uploaded first, become this reply's
      const files = await claimWorkFiles(
        ctx.trx,
        actor,
        input.fileIds ?? [],
        { kind: 'reply', id: ticketId, ticketId },
        ctx.now,
      );
      return this.replyInStep(ctx, { ...input, files });
    });
  }

  /** 第十五条(一)(三)(四) what must hold before a reply leaves the unit; the contact record for the reply. */
  async checkReply(
    ctx: StepContext,
    input: { explanation?: string | null; solved: boolean; unreachableNote?: string | null },
  ): Promise<UnreachableReply | null> {
    // 第十五条(一)(四): the requester is contacted before the reply; one who cannot be reached after the attempts the
    // policy asks for, or who is anonymous, still gets the reply, which then explains the failed contact.
    let unreachable: UnreachableReply | null = null;
    if (!ctx.ticket.first_contact_at) {
      const { decision, policy } = await replyContactState(ctx.trx, ctx.ticket);
      if (!decision.allowed) {
        throw new AppError('unprocessable', decision.message, {
          failedAttempts: decision.tally.attempts,
          distinctDays: decision.tally.days.length,
          missingAttempts: decision.missingAttempts,
          missingDays: decision.missingDays,
          policy,
        });
      }
      if (decision.basis !== 'reached') {
        const note = input.unreachableNote?.trim();
        if (!note)
          throw new AppError('bad_request', '未能联系上诉求人的，答复时须说明联系情况（第十五条）', {
            field: 'unreachableNote',
          });
        unreachable = unreachableRecord({ ...decision, basis: decision.basis }, note);
      }
    }
    if (!input.solved && !input.explanation)
      throw new AppError('bad_request', '未能解决的诉求须向诉求人作出解释（第十五条第三项）', {
        field: 'explanation',
      });
    const pending = await ctx.trx
      .selectFrom('applications')
      .select('kind')
      .where('ticket_id', '=', ctx.ticket.id)
      .where('status', '=', 'pending')
      .execute();
    if (pending.length)
      throw new AppError('conflict', '该工单有待审核的申请，审核后方可答复', {
        pendingApplications: pending.map((p) => p.kind),
      });
    return unreachable;
  }

  /** The reply written in the caller's step ('reply'): by the unit directly, or on the unit manager's sign-off. */
  async replyInStep(
    ctx: StepContext,
    input: {
      result: string;
      explanation?: string | null;
      solved: boolean;
      unreachableNote?: string | null;
      /** the reply's files, already claimed (第十五条: photos of the result) */
      files?: WorkFileInfo[];
    },
  ) {
    const unreachable = await this.checkReply(ctx, input);
    // 二级派单: a sub-unit's reply waiting for review is decided first; what is still with a sub-unit ends
    await settleSubDispatchesOnReply(ctx);
    await repo.settleDeadlines(ctx.trx, ctx.ticket.id, ['reply', 'rework'], ctx.now);
    const planner = await ctx.planner();
    const cb = await planner.plan('callback', ctx.now, {
      categoryId: ctx.ticket.category_id,
      urgency: ctx.ticket.urgency,
      unitKind: 'centre',
      roundTheClock: false,
    });
    await repo.insertDeadline(ctx.trx, {
      ticket_id: ctx.ticket.id,
      unit_id: ctx.ticket.centre_unit_id,
      kind: 'callback',
      starts_at: ctx.now,
      due_at: cb.due,
      warn_at: cb.warn,
      calendar_unconfirmed: cb.calendarUnconfirmed,
    });
    const t = await repo.updateTicket(ctx.trx, ctx.ticket.id, {
      status: ctx.to,
      replied_at: ctx.now,
      reply_result: input.result,
      reply_explanation: input.explanation ?? null,
      due_at: cb.due,
      updated_at: ctx.now,
      reply_unreachable: unreachable && JSON.stringify(unreachable),
    });
    await ctx.event('replied', {
      result: input.result,
      explanation: input.explanation ?? null,
      solved: input.solved,
      callbackDue: cb.due,
      unreachable,
      files: input.files ?? [],
    });
    // 第九条 知情权: every requester of the matter (several after a merge) is told the result, and asked to
    // answer the SMS survey (第十七条 短信回访) unless the matter was evaluated already. A rework's second reply
    // asks again; the first survey no longer counts.
    const evaluated = await ctx.trx
      .selectFrom('evaluations')
      .select('id')
      .where('ticket_id', '=', ctx.ticket.id)
      .executeTakeFirst();
    await ctx.trx
      .updateTable('sms_surveys')
      .set({ status: 'superseded' })
      .where('ticket_id', '=', ctx.ticket.id)
      .where('status', '=', 'open')
      .execute();
    const phones = await ctx.trx
      .selectFrom('ticket_requesters')
      .innerJoin('requesters', 'requesters.id', 'ticket_requesters.requester_id')
      .select(['requesters.id', 'requesters.phone_enc'])
      .where('ticket_requesters.ticket_id', '=', ctx.ticket.id)
      .where('requesters.phone_enc', 'is not', null)
      .execute();
    const notice = `您反映的诉求（工单号${ctx.ticket.number}）已办理答复：${input.result.slice(0, 200)}。`;
    const openSurvey = (requesterId: number) =>
      ctx.trx
        .insertInto('sms_surveys')
        .values({
          ticket_id: ctx.ticket.id,
          requester_id: requesterId,
          sent_at: ctx.now,
          expires_at: new Date(ctx.now.getTime() + SURVEY_DAYS * 86_400_000),
        })
        .execute();
    // and WeChat and Weibo users there, with the same survey: a bare "1/2/3" sent back answers it
    for (const w of await replyRecipientsOfTicket(ctx.trx, ctx.ticket)) {
      const survey = !evaluated && w.requesterId !== null;
      await enqueueReply(ctx.trx, w, 'reply_notice', notice + (survey ? `${SURVEY_PROMPT}。` : ''), ctx.now, {
        ticketId: ctx.ticket.id,
        contactId: w.contactId,
      });
      if (survey) await openSurvey(w.requesterId!);
    }
    for (const p of phones) {
      await ctx.trx
        .insertInto('outbound_messages')
        .values({
          channel: 'sms',
          to_enc: p.phone_enc!,
          purpose: 'reply_notice',
          ticket_id: ctx.ticket.id,
          created_at: ctx.now,
          body: `【菏泽12345】${notice}${evaluated ? '如有意见可凭查询码查询。' : `${SURVEY_PROMPT}；也可凭查询码在网上评价。`}`,
        })
        .execute();
      if (!evaluated) await openSurvey(p.id);
    }
    return t;
  }

  /**
   * 第十七条: the callback records satisfaction and the requester's view of whether it was solved. An
   * unsatisfied requester with a reasonable request may be sent back for rework with a new deadline.
   */
  async callback(
    actor: Actor,
    ticketId: number,
    input: {
      satisfaction: Satisfaction;
      resolved: boolean;
      reasonable?: boolean;
      outcome: 'close' | 'rework';
      note?: string;
      expectedVersion?: number;
    },
  ) {
    requireRole(actor, 'callback_agent');
    const action = input.outcome === 'rework' ? 'callback_rework' : 'callback_close';
    return runStep(this.deps, actor, ticketId, action, input.expectedVersion, async (ctx) => {
      const unhappy = input.satisfaction === 'unsatisfied' || !input.resolved;
      if (input.outcome === 'rework' && !(unhappy && input.reasonable === true)) {
        throw new AppError('unprocessable', '仅在诉求人不满意且诉求合理时可退回重办（第十七条）');
      }
      if (input.satisfaction === 'unsatisfied' && input.reasonable === undefined) {
        throw new AppError('bad_request', '诉求人不满意时须判断诉求是否合理', { field: 'reasonable' });
      }
      await repo.settleDeadlines(ctx.trx, ctx.ticket.id, ['callback'], ctx.now);
      await ctx.trx
        .insertInto('callbacks')
        .values({
          ticket_id: ctx.ticket.id,
          agent_id: actor.userId,
          satisfaction: input.satisfaction,
          resolved: input.resolved,
          reasonable: input.reasonable ?? null,
          outcome: input.outcome === 'rework' ? 'rework' : 'closed',
          note: input.note ?? null,
          at: ctx.now,
        })
        .execute();
      const data = {
        satisfaction: input.satisfaction,
        resolved: input.resolved,
        reasonable: input.reasonable ?? null,
        note: input.note ?? null,
      };
      if (input.outcome === 'close') {
        await ctx.event('closed', data);
        return repo.updateTicket(ctx.trx, ctx.ticket.id, {
          status: ctx.to,
          satisfaction: input.satisfaction,
          resolved: input.resolved,
          closed_at: ctx.now,
          due_at: null,
          updated_at: ctx.now,
        });
      }
      const lead = (await findUnit(ctx.trx, ctx.ticket.lead_unit_id!))!;
      const planner = await ctx.planner();
      const rw = await planner.plan('rework', ctx.now, {
        categoryId: ctx.ticket.category_id,
        urgency: ctx.ticket.urgency,
        unitKind: lead.kind,
        roundTheClock: lead.is_24x7,
      });
      await repo.insertDeadline(ctx.trx, {
        ticket_id: ctx.ticket.id,
        unit_id: lead.id,
        kind: 'rework',
        starts_at: ctx.now,
        due_at: rw.due,
        warn_at: rw.warn,
        calendar_unconfirmed: rw.calendarUnconfirmed,
      });
      await ctx.event('rework', { ...data, reworkDue: rw.due, round: ctx.ticket.rework_count + 1 });
      return repo.updateTicket(ctx.trx, ctx.ticket.id, {
        status: ctx.to,
        satisfaction: input.satisfaction,
        resolved: input.resolved,
        rework_count: ctx.ticket.rework_count + 1,
        due_at: rw.due,
        updated_at: ctx.now,
      });
    });
  }
}

/**
 * 第三十三条: a 举报 goes to the units in the agent's words, written for them. It must say what the matter is and
 * nothing about who reported it: no number of any kind, not even masked (a masked phone still narrows it down).
 */
/** What a new ticket refers to exists: an active category, a region, the reported unit (第三十三条). */
async function assertCreatable(
  trx: Transaction<DB>,
  input: { categoryId: number; regionCode: string; reportedUnitId?: number | null },
) {
  const category = await trx
    .selectFrom('categories')
    .select(['id', 'active'])
    .where('id', '=', input.categoryId)
    .executeTakeFirst();
  if (!category || !category.active) throw new AppError('bad_request', '事项分类不存在', { field: 'categoryId' });
  const region = await trx
    .selectFrom('regions')
    .leftJoin('grid_cells', 'grid_cells.code', 'regions.code')
    .select(['regions.code', 'grid_cells.retired_at'])
    .where('regions.code', '=', input.regionCode)
    .executeTakeFirst();
  if (!region) throw new AppError('bad_request', '行政区划不存在', { field: 'regionCode' });
  if (region.retired_at)
    throw new AppError('bad_request', '该网格已撤销，请选择所在街道或仍在使用的网格', { field: 'regionCode' });
  if (input.reportedUnitId && !(await findUnit(trx, input.reportedUnitId)))
    throw new AppError('bad_request', '被举报单位不存在', { field: 'reportedUnitId' });
}

function unitTextAccepted(text: string | null | undefined, requesterName?: string | null): boolean {
  try {
    checkedUnitText(text, requesterName);
    return true;
  } catch {
    return false;
  }
}

function checkedUnitText(text: string | null | undefined, requesterName?: string | null): string {
  const t = text?.trim() ?? '';
  if (t.length < UNIT_TEXT_MIN)
    throw new AppError('bad_request', '举报须填写转给承办单位的事项转述（不含举报人信息，第三十三条）', {
      field: 'unitText',
    });
  if (holdsPersonalNumber(t))
    throw new AppError('bad_request', '转述内容不得包含电话、证件等号码（第三十三条）', { field: 'unitText' });
  // the name the requester gave, or one introduced as theirs (我叫…, 举报人：…), would tell the unit who reported it
  if (namesRequester(t, requesterName))
    throw new AppError('bad_request', '转述内容不得包含举报人姓名（第三十三条）', { field: 'unitText' });
  return t;
}

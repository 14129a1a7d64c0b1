import type { Selectable, Transaction } from 'kysely';
import type { ReferralsTable } from '../../db/schema-referrals.js';
import type { DB } from '../../db/schema.js';
import { localDateOf } from '../../domain/calendar.js';
import { AppError } from '../../errors.js';
import type { ReferralCreateBody, ReferralsQuery } from '../../../shared/contracts/referrals.js';
import {
  canEscalate,
  nextReferralStatus,
  referralActions,
  type ReferralAction,
  type ReferralStatus,
} from '../../../shared/domain/referrals.js';
import { insertActorAudit } from '../audit/admin-audit.repository.js';
import { inRegionScope, requireRole, type Actor } from '../auth/actor.js';
import type { ServiceDeps } from '../tickets/ticket-workflow.js';
import { insertEvent } from '../tickets/tickets.repository.js';
import {
  assertCanReadReferral,
  assertCanWriteReferral,
  referralPrefixOf,
  REFERRAL_WRITERS,
  requireReferralReader,
} from './referrals.policy.js';
import { assembleEvidencePack } from './evidence-pack.js';
import { PdfFontMissingError } from '../../pdf/index.js';
import { renderEvidencePdf } from './evidence-pdf.js';
import * as repo from './referrals.repository.js';
import { insertComplaintStep } from './staff-complaints.repository.js';

const EVENT_OF: Record<ReferralStatus, string> = {
  transferred: 'referral_transferred',
  accepted: 'referral_accepted',
  concluded: 'referral_concluded',
};

// 第二十三、三十二条: the centre hands a lead about a unit's or a staff member's conduct to the discipline inspection
// body and records what the body does with it (移交 → 受理 → 处理结果). Each step is one transaction with its
// referral event, an event on every linked ticket and the admin audit row.
export class ReferralService {
  constructor(private readonly deps: ServiceDeps) {}

  async create(actor: Actor, body: ReferralCreateBody) {
    requireRole(actor, ...REFERRAL_WRITERS);
    const prefix = referralPrefixOf(actor);
    const now = this.deps.clock.now();
    return this.deps.db.transaction().execute(async (trx) => {
      const unit = await trx
        .selectFrom('units')
        .select(['id', 'name'])
        .where('id', '=', body.unitId)
        .executeTakeFirst();
      if (!unit) throw new AppError('bad_request', '所选单位不存在', { field: 'unitId' });
      const ticketIds = new Set(body.ticketIds);
      if (body.ticketNumbers.length) {
        const found = await trx
          .selectFrom('tickets')
          .select(['id', 'number', 'region_code'])
          .where('number', 'in', body.ticketNumbers)
          .execute();
        const visible = found.filter((t) => inRegionScope(actor, t.region_code));
        const missing = body.ticketNumbers.filter((n) => !visible.some((t) => t.number === n));
        if (missing.length)
          throw new AppError('bad_request', `工单不存在或不在本机构范围内：${missing.join('、')}`, {
            field: 'ticketNumbers',
            missing,
          });
        for (const t of visible) ticketIds.add(t.id);
      }
      const complaint =
        body.complaintId !== undefined
          ? await this.lockComplaintForEscalation(trx, actor, body.complaintId)
          : undefined;
      if (complaint) ticketIds.add(complaint.ticket_id);
      const ids = [...ticketIds].sort((a, b) => a - b);
      if (ids.length) {
        const tickets = await trx.selectFrom('tickets').select(['id', 'region_code']).where('id', 'in', ids).execute();
        // 第三十条: only tickets of the centre's own regions (another's are reported as not existing)
        const missing = ids.filter((id) => !tickets.some((t) => t.id === id && inRegionScope(actor, t.region_code)));
        if (missing.length)
          throw new AppError('bad_request', '关联的工单不存在或不在本机构范围内', { field: 'ticketIds', missing });
      }
      const row = await trx
        .insertInto('referrals')
        .values({
          centre_unit_id: actor.unitId,
          region_prefix: prefix,
          subject_kind: body.subjectKind,
          unit_id: body.unitId,
          staff: body.subjectKind === 'staff' ? body.staff! : body.staff || null,
          conducts: body.conducts,
          facts: body.facts,
          body_name: body.bodyName,
          transferred_at: now,
          complaint_id: complaint?.id ?? null,
          created_by: actor.userId,
          created_at: now,
          updated_at: now,
        })
        .returning(['id', 'status', 'version'])
        .executeTakeFirstOrThrow();
      if (ids.length)
        await trx
          .insertInto('referral_tickets')
          .values(ids.map((ticket_id) => ({ referral_id: row.id, ticket_id })))
          .execute();
      await repo.insertReferralEvent(trx, {
        referralId: row.id,
        action: 'transferred',
        from: null,
        to: 'transferred',
        note: `移交${body.bodyName}`,
        actorId: actor.userId,
        at: now,
      });
      await this.ticketEvents(trx, actor, ids, 'transferred', now, { referralId: row.id, conducts: body.conducts });
      if (complaint) {
        await trx
          .updateTable('staff_complaints')
          .set((eb) => ({ status: 'escalated', referral_id: row.id, updated_at: now, version: eb('version', '+', 1) }))
          .where('id', '=', complaint.id)
          .execute();
        await insertComplaintStep(trx, complaint.id, 'escalate', `移送纪检监察机关（移送编号 ${row.id}）`, actor, now);
        await insertActorAudit(trx, actor, {
          entity: 'staff_complaint',
          entityId: String(complaint.id),
          action: 'escalate',
          before: { status: complaint.status },
          after: { status: 'escalated', referralId: row.id },
          at: now,
        });
      }
      await insertActorAudit(trx, actor, {
        entity: 'referral',
        entityId: String(row.id),
        action: 'create',
        before: null,
        // no facts here: the audit says what was done; the referral itself keeps what was written
        after: {
          status: 'transferred',
          unitId: body.unitId,
          subjectKind: body.subjectKind,
          conducts: body.conducts,
          ticketIds: ids,
        },
        at: now,
      });
      return { id: row.id, status: row.status, version: row.version };
    });
  }

  /** 受理: the body's acceptance, on the day it gave. */
  async accept(actor: Actor, id: number, input: { acceptedOn: string; note?: string; version?: number }) {
    return this.step(actor, id, 'accept', input.version, (r, today) => {
      const sent = localDateOf(r.transferred_at);
      if (input.acceptedOn < sent || input.acceptedOn > today)
        throw new AppError('bad_request', `受理日期应在移交日期（${sent}）与今天之间`, { field: 'acceptedOn' });
      return {
        patch: { accepted_on: input.acceptedOn, accepted_note: input.note || null },
        note: `${input.acceptedOn} 受理${input.note ? `：${input.note}` : ''}`,
        audit: { acceptedOn: input.acceptedOn },
      };
    });
  }

  /** 处理结果: what the body decided, and when. */
  async conclude(actor: Actor, id: number, input: { result: string; resultOn: string; version?: number }) {
    return this.step(actor, id, 'conclude', input.version, (r, today) => {
      if (input.resultOn < r.accepted_on! || input.resultOn > today)
        throw new AppError('bad_request', `处理结果日期应在受理日期（${r.accepted_on}）与今天之间`, {
          field: 'resultOn',
        });
      return {
        patch: { result: input.result, result_on: input.resultOn },
        note: `${input.resultOn} 处理结果：${input.result}`,
        audit: { resultOn: input.resultOn },
      };
    });
  }

  private async step(
    actor: Actor,
    id: number,
    action: ReferralAction,
    version: number | undefined,
    apply: (
      r: Selectable<ReferralsTable>,
      today: string,
    ) => {
      patch: Partial<Record<'accepted_on' | 'accepted_note' | 'result' | 'result_on', string | null>>;
      note: string;
      audit: Record<string, unknown>;
    },
  ) {
    const now = this.deps.clock.now();
    return this.deps.db.transaction().execute(async (trx) => {
      const r = await repo.lockReferral(trx, id);
      assertCanWriteReferral(actor, r);
      if (version !== undefined && version !== r!.version)
        throw new AppError('version_conflict', '该移送已被他人更新，请刷新后重试', { currentVersion: r!.version });
      const to = nextReferralStatus(r!.status, action);
      if (!to)
        throw new AppError('illegal_transition', '该移送当前状态不能执行此操作', {
          status: r!.status,
          action,
          allowedActions: referralActions(r!.status),
        });
      const { patch, note, audit } = apply(r!, localDateOf(now));
      const updated = await trx
        .updateTable('referrals')
        .set((eb) => ({ ...patch, status: to, updated_at: now, version: eb('version', '+', 1) }))
        .where('id', '=', id)
        .returning(['id', 'status', 'version'])
        .executeTakeFirstOrThrow();
      await repo.insertReferralEvent(trx, {
        referralId: id,
        action,
        from: r!.status,
        to,
        note,
        actorId: actor.userId,
        at: now,
      });
      await this.ticketEvents(trx, actor, await repo.referralTicketIds(trx, id), to, now, { referralId: id });
      await insertActorAudit(trx, actor, {
        entity: 'referral',
        entityId: String(id),
        action,
        before: { status: r!.status },
        after: { status: to, ...audit },
        at: now,
      });
      return updated;
    });
  }

  /** The event on each linked ticket; units never read these kinds (CENTRE_ONLY_EVENT_KINDS). */
  private async ticketEvents(
    trx: Transaction<DB>,
    actor: Actor,
    ticketIds: number[],
    status: ReferralStatus,
    at: Date,
    data: Record<string, unknown>,
  ) {
    for (const ticketId of ticketIds)
      await insertEvent(trx, {
        ticket_id: ticketId,
        kind: EVENT_OF[status],
        at,
        actor_user_id: actor.userId,
        actor_unit_id: actor.unitId,
        data,
        request_id: actor.requestId ?? null,
      });
  }

  private async lockComplaintForEscalation(trx: Transaction<DB>, actor: Actor, complaintId: number) {
    const c = await trx
      .selectFrom('staff_complaints as c')
      .innerJoin('tickets as t', 't.id', 'c.ticket_id')
      .select(['c.id', 'c.status', 'c.finding', 'c.ticket_id', 't.region_code'])
      .where('c.id', '=', complaintId)
      .forUpdate('c')
      .executeTakeFirst();
    if (!c || !inRegionScope(actor, c.region_code))
      throw new AppError('bad_request', '投诉不存在或不在本机构范围内', { field: 'complaintId' });
    if (!canEscalate(c.status, c.finding))
      throw new AppError('illegal_transition', '该投诉当前状态不能移送（已办结、已移送或查明不属实）', {
        status: c.status,
        finding: c.finding,
      });
    return c;
  }

  async list(actor: Actor, q: ReferralsQuery) {
    requireReferralReader(actor);
    return repo.listReferrals(this.deps.db, actor, q);
  }

  /** 第二十三条: the evidence pack, as the screen shows it (masked: 第六条). */
  async evidence(actor: Actor, id: number) {
    assertCanReadReferral(actor, await repo.findReferral(this.deps.db, id));
    return assembleEvidencePack(this.deps.db, this.deps.cipher, id, this.deps.clock.now());
  }

  /** The same pack as a PDF for the discipline inspection body. */
  async evidencePdf(actor: Actor, id: number): Promise<Buffer> {
    const pack = await this.evidence(actor, id);
    try {
      return await renderEvidencePdf(pack);
    } catch (err) {
      // the machine has no CJK font: the evidence page holds the same pack and prints
      if (err instanceof PdfFontMissingError)
        throw new AppError(
          'unprocessable',
          '服务器未安装中文字体，暂不能生成 PDF，请在证据材料页面打印（管理员：安装 fonts-noto-cjk 或设置 PDF_FONT）',
        );
      throw err;
    }
  }

  async get(actor: Actor, id: number) {
    const { db } = this.deps;
    const r = await repo.findReferral(db, id);
    assertCanReadReferral(actor, r);
    const [unit, centre, creator, tickets, events, complaint] = await Promise.all([
      db.selectFrom('units').select(['id', 'name']).where('id', '=', r!.unit_id).executeTakeFirstOrThrow(),
      db.selectFrom('units').select(['id', 'name']).where('id', '=', r!.centre_unit_id).executeTakeFirstOrThrow(),
      db.selectFrom('users').select('display_name').where('id', '=', r!.created_by).executeTakeFirstOrThrow(),
      db
        .selectFrom('referral_tickets as rt')
        .innerJoin('tickets as t', 't.id', 'rt.ticket_id')
        .leftJoin('units as u', 'u.id', 't.lead_unit_id')
        .select(['t.id', 't.number', 't.title', 't.status', 't.created_at', 'u.name as lead_unit_name'])
        .where('rt.referral_id', '=', id)
        .orderBy('t.id')
        .execute(),
      repo.referralEvents(db, id),
      r!.complaint_id
        ? db
            .selectFrom('staff_complaints')
            .select(['id', 'ticket_id', 'content', 'finding', 'finding_text', 'created_at'])
            .where('id', '=', r!.complaint_id)
            .executeTakeFirst()
        : undefined,
    ]);
    return {
      id: r!.id,
      subjectKind: r!.subject_kind,
      unitId: unit.id,
      unitName: unit.name,
      staff: r!.staff,
      conducts: r!.conducts,
      facts: r!.facts,
      bodyName: r!.body_name,
      status: r!.status,
      version: r!.version,
      transferredAt: r!.transferred_at,
      acceptedOn: r!.accepted_on,
      acceptedNote: r!.accepted_note,
      result: r!.result,
      resultOn: r!.result_on,
      centreName: centre.name,
      createdByName: creator.display_name,
      allowedActions: referralActions(r!.status),
      tickets,
      events,
      complaint: complaint ?? null,
    };
  }
}

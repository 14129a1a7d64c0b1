import { randomUUID } from 'node:crypto';
import type { Selectable, Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { SupervisionCasesTable } from '../../db/schema-supervision.js';
import { AppError } from '../../errors.js';
import { manualFiring, ruleInForce } from '../../domain/supervision-triggers.js';
import {
  allowedCaseActions,
  nextCaseStatus,
  STATUS_LABELS,
  type CaseAction,
  type SupervisionStatus,
} from '../../../shared/domain/supervision.js';
import type { CaseListQuery, ManualCaseBody } from '../../../shared/contracts/supervision.js';
import { hasRole, UNIT_ROLES, type Actor } from '../auth/actor.js';
import type { ServiceDeps } from '../tickets/ticket-workflow.js';
import { assertCanView } from '../tickets/tickets.policy.js';
import { answerDue, openCase } from './case-opening.js';
import {
  actorLevel,
  assertCanSeeCase,
  assertCaseReader,
  assertSupervisor,
  isSupervisor,
} from './supervision.policy.js';
import * as repo from './supervision.repository.js';
import { noticeDocument } from './supervision-notice.js';
import { PdfFontMissingError, renderPdf } from '../../pdf/index.js';

type CaseRow = Selectable<SupervisionCasesTable>;

/** The history kind of each step (a ticket's event is `supervision_<kind>`). */
const STEP_KINDS: Record<CaseAction, string> = {
  confirm: 'confirmed',
  dismiss: 'dismissed',
  answer: 'answered',
  close: 'closed',
  supervise_again: 'supervised_again',
  escalate: 'escalated',
};

/** 第二十二条: supervision cases — opened by hand, confirmed, answered by the unit, decided by the supervisor. */
export class SupervisionCaseService {
  constructor(readonly deps: ServiceDeps) {}

  async list(actor: Actor, q: CaseListQuery) {
    assertCaseReader(actor);
    const supervisor = isSupervisor(actor);
    let after: { due: Date | null; id: number } | undefined;
    if (q.after) {
      const [due, id] = q.after.split(':');
      after = { due: due === 'none' ? null : new Date(Number(due)), id: Number(id) };
    }
    const visible: SupervisionStatus[] = ['open', 'answered', 'escalated', 'closed'];
    const statuses = supervisor ? q.status?.slice() : (q.status ?? visible).filter((s) => visible.includes(s));
    if (!supervisor && statuses?.length === 0) return { items: [], next: null };
    const rows = await repo.listCases(this.deps.db, {
      statuses,
      trigger: q.trigger,
      unitId: supervisor ? q.unitId : actor.unitId,
      regionPrefixes: supervisor ? actor.regionPrefixes : undefined,
      overdueAt: q.overdue === 'true' ? this.deps.clock.now() : undefined,
      after,
      limit: q.limit,
    });
    const last = rows.length === q.limit ? rows[rows.length - 1] : undefined;
    return {
      items: rows,
      next: last ? `${last.due_at ? new Date(last.due_at).getTime() : 'none'}:${last.id}` : null,
    };
  }

  async view(actor: Actor, id: number) {
    assertCaseReader(actor);
    const c = await repo.findCase(this.deps.db, id);
    assertCanSeeCase(actor, c);
    const [tickets, events] = await Promise.all([
      repo.caseTickets(this.deps.db, id),
      repo.caseEvents(this.deps.db, id),
    ]);
    const actions = allowedCaseActions(c.status).filter((a) => this.mayAct(actor, c, a));
    const centreName = await repo.supervisingCentreName(this.deps.db, c.region_code, c.level);
    return { case: c, tickets, events, actions, centreName };
  }

  /** 第二十二条(五)(六): a supervisor raises a case by hand, about tickets the centre sees, or about a unit. */
  async openManual(actor: Actor, body: ManualCaseBody) {
    assertSupervisor(actor);
    return this.deps.db.transaction().execute(async (trx) => {
      let unitId = body.unitId;
      for (const ticketId of body.ticketIds) {
        const t = await trx
          .selectFrom('tickets')
          .select(['id', 'region_code', 'lead_unit_id'])
          .where('id', '=', ticketId)
          .executeTakeFirst();
        await assertCanView(trx, actor, t);
        unitId ??= t!.lead_unit_id ?? undefined;
      }
      if (unitId === undefined)
        throw new AppError('bad_request', '请指定被督办单位，或关联一件已派单的工单', { field: 'unitId' });
      const unit = await trx
        .selectFrom('units')
        .select(['id', 'kind', 'active'])
        .where('id', '=', unitId)
        .executeTakeFirst();
      if (!unit || !unit.active || unit.kind === 'centre')
        throw new AppError('bad_request', '被督办单位不存在或不是承办单位', { field: 'unitId' });
      const now = this.deps.clock.now();
      const rules = await repo.loadRules(trx);
      const rule = ruleInForce(rules, body.trigger, now);
      const firing = manualFiring({
        trigger: body.trigger,
        unitId,
        ticketIds: body.ticketIds,
        reason: body.reason,
        source: body.source ?? null,
        userId: actor.userId,
        requestKey: actor.requestId ?? randomUUID(),
      });
      const created = await openCase(trx, firing, {
        rule,
        mode: 'case',
        method: body.method,
        answerDays: body.answerDays,
        actor,
        now,
      });
      if (!created) throw new AppError('conflict', '该督办已登记，请勿重复提交');
      const c = await repo.findCase(trx, created.id);
      assertCanSeeCase(actor, c);
      return c;
    });
  }

  confirm(actor: Actor, id: number, body: { method?: CaseRow['method']; answerDays?: number; note?: string }) {
    return this.step(actor, id, 'confirm', undefined, async (trx, c, now) => {
      const rule = c.rule_id
        ? await trx.selectFrom('supervision_rules').select('thresholds').where('id', '=', c.rule_id).executeTakeFirst()
        : undefined;
      const t = (rule?.thresholds ?? {}) as { method?: CaseRow['method']; answerDays?: number };
      const method = body.method ?? t.method ?? 'written';
      const dueAt = await answerDue(trx, now, body.answerDays ?? t.answerDays ?? 3);
      return { set: { method, due_at: dueAt }, note: body.note ?? null, data: { method, dueAt } };
    });
  }

  dismiss(actor: Actor, id: number, body: { note: string }) {
    return this.step(actor, id, 'dismiss', undefined, async (_trx, _c, now) => ({
      set: { decision: 'dismiss', decision_note: body.note, decided_at: now, decided_by: actor.userId },
      note: body.note,
      data: {},
    }));
  }

  /** The unit's answer: what it did about the matter (the supervisor decides on it). */
  answer(actor: Actor, id: number, body: { answer: string; version?: number }) {
    return this.step(actor, id, 'answer', body.version, async (_trx, _c, now) => ({
      set: { answer: body.answer, answered_at: now, answered_by: actor.userId },
      note: body.answer,
      data: {},
    }));
  }

  decide(
    actor: Actor,
    id: number,
    body: {
      decision: 'close' | 'supervise_again' | 'escalate';
      note: string;
      method?: CaseRow['method'];
      answerDays?: number;
      version?: number;
    },
  ) {
    return this.step(actor, id, body.decision, body.version, async (trx, c, now) => {
      const base = { decision: body.decision, decision_note: body.note, decided_at: now, decided_by: actor.userId };
      if (body.decision === 'close') return { set: base, note: body.note, data: { decision: 'close' } };
      if (body.decision === 'escalate' && c.level === 'city')
        throw new AppError('conflict', '该督办已是市级督办，不能再提级', { level: c.level });
      const method = body.method ?? c.method ?? 'written';
      const dueAt = await answerDue(trx, now, body.answerDays ?? 3);
      const level = body.decision === 'escalate' ? 'city' : c.level;
      return {
        // a new round: the unit answers again by the new deadline
        set: {
          ...base,
          method,
          due_at: dueAt,
          level,
          round: c.round + 1,
          answer: null,
          answered_at: null,
          answered_by: null,
        },
        note: body.note,
        data: { decision: body.decision, method, dueAt, level, round: c.round + 1, previousAnswer: c.answer },
      };
    });
  }

  private mayAct(actor: Actor, c: CaseRow, action: CaseAction): boolean {
    if (action === 'answer') return hasRole(actor, ...UNIT_ROLES) && actor.unitId === c.unit_id;
    if (!isSupervisor(actor)) return false;
    // an escalated case is the city centre's to decide (提级督办)
    return c.status !== 'escalated' || actorLevel(actor) === 'city';
  }

  /** One step of a case in one transaction: lock, scope, role, version, transition; the row, history and ticket events. */
  private async step(
    actor: Actor,
    id: number,
    action: CaseAction,
    expectedVersion: number | undefined,
    body: (
      trx: Transaction<DB>,
      c: CaseRow,
      now: Date,
    ) => Promise<{ set: Record<string, unknown>; note: string | null; data: Record<string, unknown> }>,
  ) {
    assertCaseReader(actor);
    return this.deps.db.transaction().execute(async (trx) => {
      const c = await repo.lockCase(trx, id);
      assertCanSeeCase(actor, c);
      if (!this.mayAct(actor, c, action))
        throw new AppError(
          'forbidden',
          action === 'answer' ? '仅被督办单位可反馈办理情况' : '仅有权限的热线工作机构督办员可作出督办决定',
        );
      if (expectedVersion !== undefined && expectedVersion !== c.version)
        throw new AppError('version_conflict', '督办件已被他人修改，请刷新后重试', { currentVersion: c.version });
      const to = nextCaseStatus(c.status, action);
      if (to === null)
        throw new AppError('illegal_transition', `督办件当前状态为「${STATUS_LABELS[c.status]}」，不能执行该操作`, {
          status: c.status,
          allowedActions: allowedCaseActions(c.status),
        });
      const now = this.deps.clock.now();
      const r = await body(trx, c, now);
      const updated = await repo.updateCase(trx, id, { ...r.set, status: to, updated_at: now });
      await repo.recordCaseStep(
        trx,
        {
          caseId: id,
          kind: STEP_KINDS[action],
          at: now,
          actorUserId: actor.userId,
          actorUnitId: actor.unitId,
          from: c.status,
          to,
          note: r.note,
          data: r.data,
          requestId: actor.requestId ?? null,
        },
        c.number,
      );
      return updated;
    });
  }

  /** The supervision of one ticket (its cards and cases), for whoever may see the ticket. */
  async forTicket(actor: Actor, ticketId: number) {
    const t = await this.deps.db
      .selectFrom('tickets')
      .select(['id', 'region_code'])
      .where('id', '=', ticketId)
      .executeTakeFirst();
    await assertCanView(this.deps.db, actor, t);
    const [cards, cases] = await Promise.all([
      repo.ticketCards(this.deps.db, ticketId),
      repo.ticketCases(this.deps.db, ticketId),
    ]);
    // a unit sees its own cases only, and no proposal
    const visible = isSupervisor(actor)
      ? cases
      : cases.filter((c) => c.unit_id === actor.unitId && c.status !== 'proposed' && c.status !== 'dismissed');
    return { cards, cases: visible };
  }

  /** 督办通知单 as a PDF (the same content as the printable page). */
  async noticePdf(actor: Actor, id: number): Promise<{ number: string; pdf: Buffer }> {
    const v = await this.view(actor, id);
    try {
      const pdf = await renderPdf(
        noticeDocument({ case: v.case, tickets: v.tickets, issuedAt: this.deps.clock.now(), centreName: v.centreName }),
      );
      return { number: v.case.number, pdf };
    } catch (err) {
      // the machine has no CJK font: say so (the printable page still works), rather than an unexplained 500
      if (err instanceof PdfFontMissingError)
        throw new AppError(
          'unprocessable',
          '服务器未安装中文字体，暂不能生成 PDF，请使用打印页面（管理员：安装 fonts-noto-cjk 或设置 PDF_FONT）',
        );
      throw err;
    }
  }

  /** The 黄牌/红牌 board: per unit, the cards of the last N days in the supervisor's regions. */
  async cardBoard(actor: Actor, days: number) {
    assertSupervisor(actor);
    const since = new Date(this.deps.clock.now().getTime() - days * 86_400_000);
    return { since, units: await repo.cardsByUnit(this.deps.db, since, actor.regionPrefixes) };
  }
}

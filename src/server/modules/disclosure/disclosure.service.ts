import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { DisclosureCaseRecord } from '../../db/schema-disclosure.js';
import type { Clock } from '../../clock.js';
import { AppError } from '../../errors.js';
import { localDateOf } from '../../domain/calendar.js';
import { buildReport, type DisclosureInputs } from '../../domain/disclosure/report.js';
import { personalDataIn, validatePublicReport } from '../../domain/disclosure/validate.js';
import type { z } from 'zod';
import {
  DISCLOSURE_STATUS_LABELS,
  type DisclosureReport,
  type createDisclosureBody,
  type updateDisclosureBody,
} from '../../../shared/contracts/disclosure.js';
import type { Actor } from '../auth/actor.js';
import { insertActorAudit } from '../audit/admin-audit.repository.js';
import { AssessmentResultService, frozenUnits } from '../assessment/assessment-results.service.js';
import * as repo from './disclosure.repository.js';
import { assertRegionVisible, defaultRegion, requireDisclosureStaff, requirePublisher } from './disclosure.policy.js';

// 第二十一条 信息公开: draft → (edit) → submit for review → publish by a second person → published, immutable.
// A correction is a new version of the same month with its note. Every step is one transaction with its audit row.

type Row = NonNullable<Awaited<ReturnType<typeof repo.findReport>>>;
export interface Deps {
  db: Kysely<DB>;
  clock: Clock;
}

const ENTITY = 'disclosure_report';

function editorialOf(row: Row, publishedAt: string | null) {
  return {
    version: row.version,
    publishedAt,
    correctionNote: row.correction_note,
    foreword: row.foreword,
    cases: repo.casesOf(row.cases),
  };
}

/** The public report a row shows: its snapshot once published, otherwise the preview of the draft. */
export function reportOf(row: Row): DisclosureReport {
  if (row.status === 'published') return repo.parseJson<DisclosureReport>(row.snapshot);
  return buildReport(repo.parseJson<DisclosureInputs>(row.figures), editorialOf(row, null));
}

function textProblems(fields: Record<string, string>) {
  const problems = Object.entries(fields).flatMap(([field, text]) =>
    personalDataIn(text).map((what) => ({ field, problem: `含有疑似${what}` })),
  );
  if (problems.length)
    throw new AppError('unprocessable', '公开内容不得含有个人信息（电话、证件号码、工单号、详细地址等）', { problems });
}

export class DisclosureService {
  private readonly assessment: AssessmentResultService;
  constructor(private readonly deps: Deps) {
    this.assessment = new AssessmentResultService(deps);
  }

  private today() {
    return localDateOf(this.deps.clock.now());
  }

  /** The figures of a month and region from the aggregates (bounded queries; see the repository). */
  async generate(db: Kysely<DB> | Transaction<DB>, month: string, regionCode: string): Promise<DisclosureInputs> {
    const region = await repo.regionOf(db, regionCode);
    if (!region) throw new AppError('not_found', '区域不存在');
    const frozen = await repo.frozenResult(db, month);
    const scored = frozen
      ? await frozenUnits(db, frozen.id)
      : (await this.assessment.live(repo.monthPeriod(month), db)).scored;
    const [contacts, tickets, units] = await Promise.all([
      repo.contactCounts(db, month, regionCode),
      repo.ticketCounts(db, month, regionCode),
      repo.unitInputs(db, scored, regionCode),
    ]);
    return {
      month,
      region: { code: region.code, name: region.name },
      contactsByChannel: contacts.byChannel,
      contactsByType: contacts.byType,
      ticketsByChannel: tickets.byChannel,
      ticketsByType: tickets.byType,
      matters: tickets.matters,
      units,
      unitsSource: frozen ? 'assessment_result' : 'rollup',
    };
  }

  async list(actor: Actor, q: { regionCode?: string }) {
    requireDisclosureStaff(actor);
    const regionCode = q.regionCode ?? defaultRegion(actor);
    assertRegionVisible(actor, regionCode);
    const region = await repo.regionOf(this.deps.db, regionCode);
    if (!region) throw new AppError('not_found', '区域不存在');
    const rows = await this.deps.db
      .selectFrom('disclosure_reports as r')
      .leftJoin('users as c', 'c.id', 'r.created_by')
      .leftJoin('users as p', 'p.id', 'r.published_by')
      .select([
        'r.id',
        'r.month',
        'r.version',
        'r.status',
        'r.correction_note',
        'r.created_at',
        'r.published_at',
        'c.display_name as created_by_name',
        'p.display_name as published_by_name',
      ])
      .where('r.region_code', '=', regionCode)
      .orderBy('r.month', 'desc')
      .orderBy('r.version', 'desc')
      .limit(500)
      .execute();
    return {
      region: { code: region.code, name: region.name },
      items: rows.map((r) => ({
        id: r.id,
        month: r.month,
        version: r.version,
        status: r.status,
        statusLabel: DISCLOSURE_STATUS_LABELS[r.status],
        correctionNote: r.correction_note,
        createdAt: r.created_at,
        createdBy: r.created_by_name,
        publishedAt: r.published_at,
        publishedBy: r.published_by_name,
      })),
    };
  }

  private async visibleRow(actor: Actor, id: number, db: Kysely<DB> | Transaction<DB> = this.deps.db) {
    requireDisclosureStaff(actor);
    const row = await repo.findReport(db, id);
    if (!row) throw new AppError('not_found', '报告不存在或不在您的范围内');
    assertRegionVisible(actor, row.region_code);
    return row;
  }

  private present(row: Row, names: Map<number, string> = new Map()) {
    const report = reportOf(row);
    return {
      id: row.id,
      month: row.month,
      regionCode: row.region_code,
      version: row.version,
      status: row.status,
      statusLabel: DISCLOSURE_STATUS_LABELS[row.status],
      foreword: row.foreword,
      correctionNote: row.correction_note,
      reviewNote: row.review_note,
      // the staff see which tickets the cases are (the public does not)
      cases: repo.casesOf(row.cases).map((c) => ({
        ticketId: c.ticketId,
        ticketNumber: c.ticketNumber,
        title: c.title,
        category: c.category,
        unit: c.unit,
        summary: c.summary,
      })),
      createdBy: names.get(row.created_by) ?? null,
      createdById: row.created_by,
      createdAt: row.created_at,
      submittedBy: row.submitted_by ? (names.get(row.submitted_by) ?? null) : null,
      submittedAt: row.submitted_at,
      publishedBy: row.published_by ? (names.get(row.published_by) ?? null) : null,
      publishedAt: row.published_at,
      report,
      problems: validatePublicReport(report),
    };
  }

  private async names(row: Row) {
    const ids = [row.created_by, row.submitted_by, row.published_by].filter((x): x is number => x !== null);
    const users = await this.deps.db
      .selectFrom('users')
      .select(['id', 'display_name'])
      .where('id', 'in', ids)
      .execute();
    return new Map(users.map((u) => [u.id, u.display_name]));
  }

  async get(actor: Actor, id: number) {
    const row = await this.visibleRow(actor, id);
    return this.present(row, await this.names(row));
  }

  private async audit(trx: Transaction<DB>, actor: Actor, row: Row, action: string, before: unknown, after: unknown) {
    await insertActorAudit(trx, actor, {
      entity: ENTITY,
      entityId: String(row.id),
      action,
      before,
      after: { month: row.month, regionCode: row.region_code, version: row.version, ...(after as object) },
      at: this.deps.clock.now(),
    });
  }

  /** 生成草稿: a finished month; a month already published gets a correction (new version) with its note. */
  async create(actor: Actor, body: z.infer<typeof createDisclosureBody>) {
    requireDisclosureStaff(actor);
    const regionCode = body.regionCode ?? defaultRegion(actor);
    assertRegionVisible(actor, regionCode);
    const region = await repo.regionOf(this.deps.db, regionCode);
    if (!region || region.level > 2) throw new AppError('not_found', '区域不存在或不是市、县（区）');
    if (`${body.month}-01` > this.today() || repo.monthPeriod(body.month).to >= this.today())
      throw new AppError('unprocessable', '只能为已结束的月份编制报告');
    const now = this.deps.clock.now();
    const id = await this.deps.db.transaction().execute(async (trx) => {
      // two drafts of one month at once: the second waits here and then finds the first (409), never a raw conflict
      await sql`SELECT pg_advisory_xact_lock(hashtext(${`disclosure:${regionCode}:${body.month}`}))`.execute(trx);
      const versions = await repo.versionsOf(trx, regionCode, body.month);
      if (versions.some((v) => v.status !== 'published'))
        throw new AppError('conflict', '该月已有未发布的报告，请先完成或删除', {
          id: versions.find((v) => v.status !== 'published')!.id,
        });
      const last = versions[0];
      if (last && !body.correctionNote)
        throw new AppError('unprocessable', '该月报告已发布，更正须填写更正说明', { field: 'correctionNote' });
      if (body.correctionNote) textProblems({ correctionNote: body.correctionNote });
      const figures = await this.generate(trx, body.month, regionCode);
      const row = await trx
        .insertInto('disclosure_reports')
        .values({
          month: body.month,
          region_code: regionCode,
          version: (last?.version ?? 0) + 1,
          status: 'draft',
          figures: JSON.stringify(figures),
          // a correction starts from the published text and cases
          foreword: last?.foreword ?? '',
          cases: JSON.stringify(last ? repo.casesOf(last.cases) : []),
          correction_note: last ? body.correctionNote! : null,
          created_by: actor.userId,
          created_at: now,
          updated_at: now,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await this.audit(trx, actor, row, last ? 'create_correction' : 'create', null, {
        correctionNote: row.correction_note,
      });
      return row.id;
    });
    return this.get(actor, id);
  }

  private async step<T>(actor: Actor, id: number, fn: (trx: Transaction<DB>, row: Row) => Promise<T>) {
    await this.visibleRow(actor, id);
    await this.deps.db.transaction().execute(async (trx) => {
      const row = await repo.lockReport(trx, id);
      if (!row) throw new AppError('not_found', '报告不存在或不在您的范围内');
      return fn(trx, row);
    });
    return this.get(actor, id);
  }

  private static requireStatus(row: Row, ...statuses: Row['status'][]) {
    if (!statuses.includes(row.status))
      throw new AppError('illegal_transition', `报告当前为“${DISCLOSURE_STATUS_LABELS[row.status]}”，不能进行此操作`, {
        status: row.status,
      });
  }

  /** 编辑: the foreword, the correction note and the picked cases (only while a draft). */
  async update(actor: Actor, id: number, body: z.infer<typeof updateDisclosureBody>) {
    return this.step(actor, id, async (trx, row) => {
      DisclosureService.requireStatus(row, 'draft');
      if (body.correctionNote !== undefined && row.version === 1)
        throw new AppError('unprocessable', '首次发布的报告没有更正说明', { field: 'correctionNote' });
      const fields: Record<string, string> = {};
      if (body.foreword !== undefined) fields.foreword = body.foreword;
      if (body.correctionNote !== undefined) fields.correctionNote = body.correctionNote;
      body.cases?.forEach((c, i) => {
        fields[`cases[${i}].title`] = c.title;
        fields[`cases[${i}].summary`] = c.summary;
      });
      textProblems(fields);
      let cases: DisclosureCaseRecord[] | undefined;
      if (body.cases) {
        const numbers = body.cases.map((c) => c.ticketNumber.toUpperCase());
        if (new Set(numbers).size !== numbers.length)
          throw new AppError('unprocessable', '同一工单不能重复选为典型案例');
        cases = [];
        for (const c of body.cases) {
          const t = await repo.caseTicket(trx, c.ticketNumber, row.region_code);
          if (!t) throw new AppError('unprocessable', `工单 ${c.ticketNumber} 不存在或不在本区域`, { field: 'cases' });
          cases.push({
            ticketId: t.id,
            ticketNumber: t.number,
            title: c.title,
            category: t.category,
            unit: t.unit ?? '热线工作机构',
            summary: c.summary,
          });
        }
      }
      await trx
        .updateTable('disclosure_reports')
        .set({
          ...(body.foreword !== undefined ? { foreword: body.foreword } : {}),
          ...(body.correctionNote !== undefined ? { correction_note: body.correctionNote } : {}),
          ...(cases ? { cases: JSON.stringify(cases) } : {}),
          updated_at: this.deps.clock.now(),
        })
        .where('id', '=', id)
        .execute();
      await this.audit(
        trx,
        actor,
        row,
        'edit',
        { foreword: row.foreword, correctionNote: row.correction_note, cases: repo.casesOf(row.cases).length },
        {
          foreword: body.foreword,
          correctionNote: body.correctionNote,
          cases: cases?.map((c) => c.ticketNumber),
        },
      );
    });
  }

  /** 重新生成: the figures again from the aggregates (a draft only; e.g. after the assessment was frozen). */
  async regenerate(actor: Actor, id: number) {
    return this.step(actor, id, async (trx, row) => {
      DisclosureService.requireStatus(row, 'draft');
      const figures = await this.generate(trx, row.month, row.region_code);
      await trx
        .updateTable('disclosure_reports')
        .set({ figures: JSON.stringify(figures), updated_at: this.deps.clock.now() })
        .where('id', '=', id)
        .execute();
      await this.audit(trx, actor, row, 'regenerate', null, { unitsSource: figures.unitsSource });
    });
  }

  /** 提交审核: the draft must pass the public-data check first. */
  async submit(actor: Actor, id: number) {
    return this.step(actor, id, async (trx, row) => {
      DisclosureService.requireStatus(row, 'draft');
      const problems = validatePublicReport(reportOf(row));
      if (problems.length) throw new AppError('unprocessable', '报告含有不可公开的内容，请修改后再提交', { problems });
      await trx
        .updateTable('disclosure_reports')
        .set({
          status: 'in_review',
          submitted_by: actor.userId,
          submitted_at: this.deps.clock.now(),
          review_note: null,
        })
        .where('id', '=', id)
        .execute();
      await this.audit(trx, actor, row, 'submit', { status: row.status }, { status: 'in_review' });
    });
  }

  /** 退回修改: the reviewer sends it back with a note. */
  async returnToDraft(actor: Actor, id: number, note: string) {
    return this.step(actor, id, async (trx, row) => {
      DisclosureService.requireStatus(row, 'in_review');
      requirePublisher(actor, row.created_by);
      await trx
        .updateTable('disclosure_reports')
        .set({ status: 'draft', review_note: note, updated_at: this.deps.clock.now() })
        .where('id', '=', id)
        .execute();
      await this.audit(trx, actor, row, 'return', { status: row.status }, { status: 'draft', note });
    });
  }

  /** 审核发布: a second person publishes; the report is frozen as a snapshot the database will not let change. */
  async publish(actor: Actor, id: number) {
    return this.step(actor, id, async (trx, row) => {
      DisclosureService.requireStatus(row, 'in_review');
      requirePublisher(actor, row.created_by);
      const now = this.deps.clock.now();
      const snapshot = buildReport(repo.parseJson<DisclosureInputs>(row.figures), editorialOf(row, now.toISOString()));
      const problems = validatePublicReport(snapshot);
      if (problems.length) throw new AppError('unprocessable', '报告含有不可公开的内容，不能发布', { problems });
      await trx
        .updateTable('disclosure_reports')
        .set({
          status: 'published',
          snapshot: JSON.stringify(snapshot),
          published_by: actor.userId,
          published_at: now,
          updated_at: now,
        })
        .where('id', '=', id)
        .execute();
      await this.audit(trx, actor, row, 'publish', { status: row.status }, { status: 'published' });
    });
  }

  /** 删除草稿: an unpublished version may be dropped; a published one cannot (the database refuses it too). */
  async discard(actor: Actor, id: number) {
    await this.visibleRow(actor, id);
    await this.deps.db.transaction().execute(async (trx) => {
      const row = await repo.lockReport(trx, id);
      if (!row) throw new AppError('not_found', '报告不存在或不在您的范围内');
      DisclosureService.requireStatus(row, 'draft', 'in_review');
      await trx.deleteFrom('disclosure_reports').where('id', '=', id).execute();
      await this.audit(trx, actor, row, 'discard', { status: row.status }, { status: 'deleted' });
    });
    return { id, deleted: true };
  }
}

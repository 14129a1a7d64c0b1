import type { Kysely, SelectQueryBuilder } from 'kysely';
import type { DB, TicketStatus } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import { maskPhone } from '../../domain/masking.js';
import { OPEN_STATUSES, STATUS_LABELS } from '../../../shared/domain/transitions.js';
import { EXPORT_ROW_CAP, type TicketExportBody } from '../../../shared/contracts/exports.js';
import { CENTRE_ROLES, hasRole, type Actor } from '../auth/actor.js';
import { presentQueueItem, type TicketSummaryRow } from '../tickets/tickets.presenter.js';
import type { TicketQueries } from '../tickets/tickets.query.js';
import type { TicketSearch } from '../tickets/tickets.search.js';
import * as ticketRepo from '../tickets/tickets.repository.js';
import type { ServiceDeps } from '../tickets/ticket-workflow.js';
import { hasFilters, resolveTicketFilters, type ResolvedTicketFilters } from '../tickets/ticket-list-filters.js';
import type { TicketListFilters } from '../../../shared/contracts/tickets.js';
import { DEFAULT_TICKET_SORT, type TicketSort } from '../../../shared/domain/ticket-sort.js';
import { AccessLogService } from '../sharing/access-log.service.js';
import { localDateTime, streamTable, type ExportCell, type ExportColumn } from './table-writer.js';

/** Rows read per keyset step: one index range each, never one giant query. */
export const EXPORT_BATCH = 500;

/** The 工单查询 screen's columns (and the excerpt and region, which its rows show on hover and filter by). */
export const TICKET_EXPORT_COLUMNS: ExportColumn[] = [
  { header: '工单编号', width: 20 },
  { header: '标题', width: 30 },
  { header: '摘要', width: 50 },
  { header: '分类', width: 16 },
  { header: '区域', width: 14 },
  { header: '主办单位', width: 24 },
  { header: '状态', width: 10 },
  { header: '时限', width: 18 },
  { header: '受理时间', width: 18 },
];

type Item = ReturnType<typeof presentQueueItem>;

/**
 * 工单查询 as a file (issue 10): the same tickets the screen lists — the search box's matches, newest first, or the
 * list by status and lead unit in the screen's order (issue 14: most urgent first unless sorted otherwise) — read in keyset batches and presented by the same presenter,
 * so masking and 第三十三条 withholding are the screen's. Centre staff only, within their regions.
 */
export class TicketExportService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly search: TicketSearch,
    private readonly queries: TicketQueries,
  ) {}

  async export(actor: Actor, body: TicketExportBody) {
    if (actor.scope !== 'region' || !hasRole(actor, ...CENTRE_ROLES) || actor.tokenScopes)
      throw new AppError('forbidden', '仅热线工作机构人员可导出工单');
    const { db, cipher } = this.deps;
    const names = await this.names();
    let source: AsyncIterable<Item[]>;
    let total: number;
    const filter: Record<string, unknown> = { screen: '工单查询', format: body.format };
    if (body.q) {
      const { intent, query } = await this.search.matching(actor, body.q);
      filter.searchKind = intent.kind;
      filter.q = intent.kind === 'phone' ? maskPhone(intent.phone) : body.q;
      total = query ? await boundedCount(db, query.clearSelect().select('tickets.id')) : 0;
      source = query ? searchBatches(query, (t) => presentQueueItem(t, cipher, actor)) : empty();
    } else {
      const status = body.status ?? OPEN_STATUSES;
      filter.status = status.join(',');
      if (body.unitId !== undefined) filter.unitId = body.unitId;
      // issue 14: the list's other filters, exactly as on screen (checked the same way: a bad one is a 400 here)
      const lf = listFiltersOf(body);
      Object.assign(filter, lf);
      const resolved = await resolveTicketFilters(db, lf, this.deps.clock.now());
      total = await this.countQueue(actor, status, body.unitId, resolved);
      // issue 14: in the screen's order (the file is what the screen shows, row for row)
      const sort = body.sort ?? DEFAULT_TICKET_SORT;
      filter.sort = sort;
      source = this.queueBatches(actor, status, body.unitId, lf, sort);
    }
    const now = this.deps.clock.now();
    const rows = async function* () {
      for await (const batch of source) yield batch.map((t) => ticketRow(t, names, now));
    };
    const access = new AccessLogService(db, this.deps.clock);
    const stream = streamTable({
      format: body.format,
      sheetName: '工单查询',
      columns: TICKET_EXPORT_COLUMNS,
      batches: rows(),
      maxRows: EXPORT_ROW_CAP,
      // 第三十条第二款: the export records itself — who, which filter, how many rows, a hash of the file
      onDone: (r) =>
        access.recordPerson(actor, {
          kind: 'export',
          filter: { ...filter, truncated: r.truncated },
          rowCount: r.rows,
          contentSha256: r.sha256,
        }),
    });
    return { stream, total: Math.min(total, EXPORT_ROW_CAP), capped: total > EXPORT_ROW_CAP, name: '工单查询' };
  }

  private async countQueue(
    actor: Actor,
    status: TicketStatus[],
    unitId: number | undefined,
    filters: ResolvedTicketFilters,
  ) {
    let q = this.deps.db
      .selectFrom('tickets')
      .select('tickets.id')
      .where('tickets.status', 'in', status)
      .where(ticketRepo.inRegions(actor.regionPrefixes));
    if (unitId !== undefined) q = q.where('tickets.lead_unit_id', '=', unitId);
    if (hasFilters(filters)) q = q.where(ticketRepo.matchingFilters(filters));
    return actor.regionPrefixes.length ? boundedCount(this.deps.db, q) : 0;
  }

  /** The list's own keyset pages (TicketQueries.queue), so the order and scope are exactly the screen's. */
  private async *queueBatches(
    actor: Actor,
    status: TicketStatus[],
    unitId: number | undefined,
    filters: TicketListFilters,
    sort: TicketSort,
  ) {
    let after: string | undefined;
    for (;;) {
      const page = await this.queries.queue(actor, {
        ...filters,
        view: 'centre',
        status,
        unitId,
        sort,
        after,
        limit: EXPORT_BATCH,
      });
      if (page.items.length) yield page.items;
      if (!page.next) return;
      after = page.next;
    }
  }

  private async names() {
    const { db } = this.deps;
    const [categories, units, regions] = await Promise.all([
      db.selectFrom('categories').select(['id', 'name']).execute(),
      db.selectFrom('units').select(['id', 'name']).execute(),
      db.selectFrom('regions').select(['code', 'name']).execute(),
    ]);
    return {
      category: new Map(categories.map((c) => [c.id, c.name])),
      unit: new Map(units.map((u) => [u.id, u.name])),
      region: new Map(regions.map((r) => [r.code, r.name])),
    };
  }
}

type Names = Awaited<ReturnType<TicketExportService['names']>>;

function ticketRow(t: Item, n: Names, now: Date): ExportCell[] {
  const overdue =
    t.dueAt && OPEN_STATUSES.includes(t.status) && new Date(t.dueAt).getTime() < now.getTime() ? '（已超时）' : '';
  return [
    t.number,
    t.title,
    t.excerpt,
    n.category.get(t.categoryId) ?? String(t.categoryId),
    n.region.get(t.regionCode) ?? t.regionCode,
    t.leadUnitId ? (n.unit.get(t.leadUnitId) ?? String(t.leadUnitId)) : '',
    STATUS_LABELS[t.status],
    t.dueAt ? `${localDateTime(t.dueAt)}${overdue}` : '',
    t.createdAt,
  ];
}

/** How many rows a query has, counting at most one past the cap (never an unbounded count over the table). */
async function boundedCount(db: Kysely<DB>, q: SelectQueryBuilder<DB, 'tickets', { id: number }>): Promise<number> {
  const r = await db
    .selectFrom(q.limit(EXPORT_ROW_CAP + 1).as('capped'))
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .executeTakeFirst();
  return Number(r?.n ?? 0);
}

type SearchQuery = NonNullable<Awaited<ReturnType<TicketSearch['matching']>>['query']>;

/** The search's matches newest first, by keyset on (created_at, id): the screen's order, one index range a step. */
async function* searchBatches(query: SearchQuery, present: (t: TicketSummaryRow) => Item): AsyncGenerator<Item[]> {
  let cursor: { at: Date; id: number } | null = null;
  for (;;) {
    const c: { at: Date; id: number } | null = cursor;
    const q: SearchQuery = c
      ? query.where((eb) => eb(eb.refTuple('tickets.created_at', 'tickets.id'), '<', eb.tuple(c.at, c.id)))
      : query;
    const rows: TicketSummaryRow[] = await q
      .orderBy('tickets.created_at', 'desc')
      .orderBy('tickets.id', 'desc')
      .limit(EXPORT_BATCH)
      .execute();
    if (rows.length) yield rows.map(present);
    if (rows.length < EXPORT_BATCH) return;
    const last: TicketSummaryRow = rows[rows.length - 1]!;
    cursor = { at: last.created_at, id: last.id };
  }
}

async function* empty(): AsyncGenerator<Item[]> {}

/** The list filters of an export body (only those given), as the queue takes them. */
function listFiltersOf(body: TicketExportBody): TicketListFilters {
  const { from, to, categoryId, regionCode, channel, deadline } = body;
  return Object.fromEntries(
    Object.entries({ from, to, categoryId, regionCode, channel, deadline }).filter(([, v]) => v !== undefined),
  );
}

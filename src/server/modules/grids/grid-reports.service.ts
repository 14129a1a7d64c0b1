import type { z } from 'zod';
import type { gridTicketsQuery, GridReportBody } from '../../../shared/contracts/grids.js';
import { maskAddress } from '../../domain/masking.js';
import { AppError } from '../../errors.js';
import type { Actor } from '../auth/actor.js';
import type { ServiceDeps } from '../tickets/ticket-workflow.js';
import type { TicketService } from '../tickets/tickets.service.js';
import { assertGridWorker } from './grids.policy.js';
import * as repo from './grids.repository.js';

// 第二十九条第二款 主动发现: a grid worker reports a problem found in one of their grids. It becomes a ticket on channel
// 'grid' in that grid, waiting in the dispatchers' queue like any other new ticket (第十二条), for the centre that
// covers the grid; it has no requester, so no receipt or survey goes out, and figures count it apart from citizens'
// requests (its channel). The ticket's 'created' event, written in the same transaction, is its audit record.

export class GridReportService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly tickets: TicketService,
  ) {}

  /** The grids the grid worker answers for, and their town. */
  async mine(actor: Actor) {
    const grids = await assertGridWorker(this.deps.db, actor);
    const townCode = grids[0]?.townCode ?? null;
    const town = townCode ? await repo.findRegion(this.deps.db, townCode) : undefined;
    return {
      town: town ? { code: town.code, name: town.name } : null,
      grids: grids.map((g) => ({ code: g.code, name: g.name })),
    };
  }

  async report(actor: Actor, body: GridReportBody) {
    const grids = await assertGridWorker(this.deps.db, actor);
    if (!grids.some((g) => g.code === body.gridCode)) {
      const region = await repo.findRegion(this.deps.db, body.gridCode);
      if (!region || region.level !== 4) throw new AppError('bad_request', '网格不存在', { field: 'gridCode' });
      throw new AppError('bad_request', '该网格不在您负责的范围内，只能上报本人负责网格内发现的问题', {
        field: 'gridCode',
      });
    }
    const ticket = await this.deps.db.transaction().execute(async (trx) => {
      const centreUnitId = await repo.centreCovering(trx, body.gridCode);
      if (centreUnitId === null) throw new Error(`no centre covers region ${body.gridCode}`);
      return this.tickets.createInTrx(
        trx,
        { userId: actor.userId, unitId: actor.unitId, requestId: actor.requestId },
        {
          requestType: body.requestType,
          categoryId: body.categoryId,
          urgency: body.urgency,
          regionCode: body.gridCode,
          address: body.address,
          title: body.title,
          content: body.content,
          channel: 'grid',
          requesterId: null,
          centreUnitId,
        },
      );
    });
    return { id: Number(ticket.id), number: ticket.number, status: ticket.status };
  }

  /** 我的上报 or the tickets of the worker's grids, newest first (nothing personal: no requester, no address). */
  async list(actor: Actor, q: z.infer<typeof gridTicketsQuery>) {
    const grids = await assertGridWorker(this.deps.db, actor);
    const before = q.before ?? null;
    const rows =
      q.view === 'reported'
        ? await repo.reportsOf(this.deps.db, actor.userId, before, q.limit + 1)
        : await repo.ticketsInGrids(
            this.deps.db,
            grids.map((g) => g.code),
            before,
            q.limit + 1,
          );
    const page = rows.slice(0, q.limit);
    const n = await repo.names(
      this.deps.db,
      [...new Set(page.map((t) => t.lead_unit_id).filter((u): u is number => u !== null))],
      [...new Set(page.map((t) => t.category_id))],
      [...new Set(page.map((t) => t.region_code))],
    );
    return {
      items: page.map((t) => ({
        id: Number(t.id),
        number: t.number,
        title: t.title,
        status: t.status,
        channel: t.channel,
        regionCode: t.region_code,
        regionName: n.region.get(t.region_code) ?? t.region_code,
        categoryName: n.category.get(t.category_id) ?? '',
        leadUnitName: t.lead_unit_id !== null ? (n.unit.get(t.lead_unit_id) ?? null) : null,
        createdAt: t.created_at,
        mine: t.created_by === actor.userId && t.channel === 'grid',
      })),
      next: rows.length > q.limit ? Number(page[page.length - 1]!.id) : null,
    };
  }

  /** One ticket of the worker's grids or of their own reports; the address masked (第六条), no requester. */
  async detail(actor: Actor, id: number) {
    const grids = await assertGridWorker(this.deps.db, actor);
    const t = await repo.findTicket(this.deps.db, id);
    const visible =
      t !== undefined &&
      (grids.some((g) => g.code === t.region_code) || (t.channel === 'grid' && t.created_by === actor.userId));
    if (!t || !visible) throw new AppError('not_found', '工单不存在或无权查看');
    const [n, steps] = await Promise.all([
      repo.names(this.deps.db, t.lead_unit_id !== null ? [t.lead_unit_id] : [], [t.category_id], [t.region_code]),
      repo.ticketSteps(this.deps.db, id),
    ]);
    return {
      id: Number(t.id),
      number: t.number,
      title: t.title,
      content: t.content,
      status: t.status,
      channel: t.channel,
      requestType: t.request_type,
      urgency: t.urgency,
      regionCode: t.region_code,
      regionName: n.region.get(t.region_code) ?? t.region_code,
      categoryName: n.category.get(t.category_id) ?? '',
      address: maskAddress(this.deps.cipher.decrypt(t.address_enc)),
      leadUnitName: t.lead_unit_id !== null ? (n.unit.get(t.lead_unit_id) ?? null) : null,
      createdAt: t.created_at,
      repliedAt: t.replied_at,
      closedAt: t.closed_at,
      mine: t.channel === 'grid' && t.created_by === actor.userId,
      steps: steps.map((s) => ({ kind: s.kind, at: s.at, toStatus: s.to_status })),
    };
  }
}

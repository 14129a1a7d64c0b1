import type { Kysely, Transaction } from 'kysely';
import type { GridCreateBody, GridUpdateBody, GridWorkersBody } from '../../../shared/contracts/grids.js';
import type { Clock } from '../../clock.js';
import type { DB } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import { insertActorAudit } from '../audit/admin-audit.repository.js';
import type { Actor } from '../auth/actor.js';
import { loadRegionTree } from '../analytics/analytics-tree.js';
import { assertGridAdmin, managedTowns, townLabel } from './grids.policy.js';
import * as repo from './grids.repository.js';

// 第二十九条 网格化管理, issue 12: a town/street's manager (or the admin) keeps the town's grids — creates, renames,
// places (a centre point for the 网格视图 map), retires — and assigns its grid workers. A grid stays a region at level
// 4 (migration 0042); its point and retirement are in grid_cells (0046). Every change is one transaction with its
// before/after in admin_audit (entity 'grid', id the grid's code), so a grid's history is its audit trail.

/** Grid codes: the town's code and 101–999 (0xx are the communities of the region tree). */
const FIRST_GRID = 101;
const LAST_GRID = 999;

export class GridAdminService {
  constructor(private readonly deps: { db: Kysely<DB>; clock: Clock }) {}

  /** The towns the actor keeps the grids of (a town's manager: their own; the admin: every town of their area). */
  async towns(actor: Actor) {
    const codes = await managedTowns(this.deps.db, actor);
    const regions = await loadRegionTree(this.deps.db);
    return { towns: codes.map((code) => townLabel(regions, code)) };
  }

  /** One town's grids, each with its point, retirement and workers, and the accounts that may be assigned. */
  async town(actor: Actor, townCode: string) {
    await assertGridAdmin(this.deps.db, actor, townCode);
    const town = await repo.findRegion(this.deps.db, townCode);
    if (!town || town.level !== 3) throw new AppError('not_found', '乡镇（街道）不存在或不在您的范围内');
    const grids = await repo.gridCellsOfTown(this.deps.db, townCode);
    const [assigned, candidates] = await Promise.all([
      repo.workersOfGrids(
        this.deps.db,
        grids.map((g) => g.code),
      ),
      repo.gridWorkerCandidates(this.deps.db, townCode),
    ]);
    return {
      town: { code: town.code, name: town.name },
      grids: grids.map((g) => ({
        ...g,
        workers: assigned
          .filter((w) => w.grid_code === g.code)
          .map((w) => ({ id: w.id, name: w.display_name, active: w.active, assignedAt: w.assigned_at })),
      })),
      candidates: candidates.map((c) => ({ id: c.id, name: c.display_name, active: c.active, unitName: c.unit_name })),
    };
  }

  async create(actor: Actor, townCode: string, body: GridCreateBody) {
    await assertGridAdmin(this.deps.db, actor, townCode);
    return this.deps.db.transaction().execute(async (trx) => {
      // the town's row locked: two managers creating at once get consecutive codes, not the same one
      const town = await trx
        .selectFrom('regions')
        .select(['code', 'level'])
        .where('code', '=', townCode)
        .forUpdate()
        .executeTakeFirst();
      if (!town || town.level !== 3) throw new AppError('not_found', '乡镇（街道）不存在或不在您的范围内');
      const siblings = await trx
        .selectFrom('regions')
        .select(['code', 'name'])
        .where('parent_code', '=', townCode)
        .where('level', '=', 4)
        .execute();
      assertNameFree(siblings, body.name, null);
      const used = siblings.map((s) => Number(s.code.slice(9))).filter((n) => n >= FIRST_GRID);
      const next = Math.max(FIRST_GRID - 1, ...used) + 1;
      if (next > LAST_GRID) throw new AppError('conflict', '本乡镇（街道）的网格代码已用完，请联系系统管理员');
      const code = `${townCode}${next}`;
      const now = this.deps.clock.now();
      await trx.insertInto('regions').values({ code, name: body.name, level: 4, parent_code: townCode }).execute();
      if (body.centre)
        await trx
          .insertInto('grid_cells')
          .values({ code, ...body.centre, updated_at: now })
          .execute();
      const after = { code, name: body.name, centre: body.centre ?? null, retired: false };
      await this.audit(trx, actor, code, 'create', null, after, now);
      return after;
    });
  }

  async update(actor: Actor, code: string, body: GridUpdateBody) {
    const grid = await this.gridOf(actor, code);
    return this.deps.db.transaction().execute(async (trx) => {
      const before = await snapshot(trx, code);
      if (body.name !== undefined && body.name !== before.name) {
        const siblings = await trx
          .selectFrom('regions')
          .select(['code', 'name'])
          .where('parent_code', '=', grid.townCode)
          .where('level', '=', 4)
          .execute();
        assertNameFree(siblings, body.name, code);
        await trx.updateTable('regions').set({ name: body.name }).where('code', '=', code).execute();
      }
      const now = this.deps.clock.now();
      const centre = body.centre === undefined ? before.centre : body.centre;
      const retired = body.retired ?? before.retired;
      if (body.centre !== undefined || body.retired !== undefined) {
        const row = {
          lng: centre?.lng ?? null,
          lat: centre?.lat ?? null,
          // retiring keeps the first day it was retired; un-retiring clears it
          retired_at: retired ? (before.retiredAt ?? now) : null,
          updated_at: now,
        };
        await trx
          .insertInto('grid_cells')
          .values({ code, ...row })
          .onConflict((oc) => oc.column('code').doUpdateSet(row))
          .execute();
      }
      // a retired grid has no workers: its assignments end with it (each recorded in the audit row's before)
      if (retired && !before.retired) await trx.deleteFrom('grid_workers').where('grid_code', '=', code).execute();
      const after = await snapshot(trx, code);
      const action = retired && !before.retired ? 'retire' : !retired && before.retired ? 'reinstate' : 'update';
      // a save that changes nothing (the same name and point again) leaves no audit row
      if (JSON.stringify(strip(before)) !== JSON.stringify(strip(after)))
        await this.audit(trx, actor, code, action, strip(before), strip(after), now);
      return strip(after);
    });
  }

  /** Sets the grid's workers: each an account with role grid_worker of a town unit serving the grid's town. */
  async setWorkers(actor: Actor, code: string, body: GridWorkersBody) {
    const grid = await this.gridOf(actor, code);
    const candidates = await repo.gridWorkerCandidates(this.deps.db, grid.townCode);
    const byId = new Map(candidates.map((c) => [c.id, c]));
    for (const id of body.userIds) {
      const c = byId.get(id);
      if (!c) throw new AppError('bad_request', '只能指派本乡镇（街道）的网格员账号', { field: 'userIds', userId: id });
      if (!c.active) throw new AppError('bad_request', `网格员账号已停用：${c.display_name}`, { field: 'userIds' });
    }
    return this.deps.db.transaction().execute(async (trx) => {
      const before = await snapshot(trx, code);
      if (before.retired && body.userIds.length > 0)
        throw new AppError('bad_request', '网格已停用，不能指派网格员', { field: 'userIds' });
      const now = this.deps.clock.now();
      const had = new Set(before.workers.map((w) => w.id));
      const keep = new Set(body.userIds);
      const removed = [...had].filter((id) => !keep.has(id));
      const added = body.userIds.filter((id) => !had.has(id));
      if (removed.length)
        await trx.deleteFrom('grid_workers').where('grid_code', '=', code).where('user_id', 'in', removed).execute();
      if (added.length)
        await trx
          .insertInto('grid_workers')
          .values(added.map((user_id) => ({ user_id, grid_code: code, assigned_at: now })))
          .execute();
      const after = await snapshot(trx, code);
      if (added.length || removed.length)
        await this.audit(trx, actor, code, 'assign_workers', strip(before), strip(after), now);
      return strip(after);
    });
  }

  /** A grid's audit trail, newest first: who created, renamed, placed, retired it and assigned whom, when. */
  async history(actor: Actor, code: string) {
    await this.gridOf(actor, code);
    const rows = await repo.gridHistory(this.deps.db, code, 200);
    return {
      items: rows.map((r) => ({
        id: Number(r.id),
        action: r.action,
        at: r.at,
        by: r.display_name ?? null,
        before: r.before,
        after: r.after,
      })),
    };
  }

  /** The grid and its town, after the actor's right to keep that town's grids (another town's grid: 404). */
  private async gridOf(actor: Actor, code: string) {
    const region = await repo.findRegion(this.deps.db, code);
    const townCode = region?.parent_code ?? code.slice(0, 9);
    await assertGridAdmin(this.deps.db, actor, townCode);
    if (!region || region.level !== 4) throw new AppError('not_found', '网格不存在');
    return { code, townCode };
  }

  private audit(
    trx: Transaction<DB>,
    actor: Actor,
    code: string,
    action: string,
    before: unknown,
    after: unknown,
    at: Date,
  ) {
    return insertActorAudit(trx, actor, {
      entity: 'grid',
      entityId: code,
      action,
      before,
      after,
      at,
    });
  }
}

function assertNameFree(siblings: Array<{ code: string; name: string }>, name: string, self: string | null) {
  if (siblings.some((s) => s.code !== self && s.name === name))
    throw new AppError('conflict', `本乡镇（街道）已有名为“${name}”的网格或社区`, { field: 'name' });
}

/** What the audit keeps of a grid: its name, point, retirement and workers (ids and names, nothing personal). */
async function snapshot(trx: Transaction<DB>, code: string) {
  const [region, cell, workers] = await Promise.all([
    trx.selectFrom('regions').select(['name']).where('code', '=', code).executeTakeFirstOrThrow(),
    trx.selectFrom('grid_cells').select(['lng', 'lat', 'retired_at']).where('code', '=', code).executeTakeFirst(),
    trx
      .selectFrom('grid_workers as g')
      .innerJoin('users as u', 'u.id', 'g.user_id')
      .select(['u.id', 'u.display_name'])
      .where('g.grid_code', '=', code)
      .orderBy('u.id')
      .execute(),
  ]);
  return {
    code,
    name: region.name,
    centre: cell && cell.lng !== null && cell.lat !== null ? { lng: Number(cell.lng), lat: Number(cell.lat) } : null,
    retired: !!cell?.retired_at,
    retiredAt: cell?.retired_at ?? null,
    workers: workers.map((w) => ({ id: w.id, name: w.display_name })),
  };
}

function strip(s: Awaited<ReturnType<typeof snapshot>>) {
  const { retiredAt: _retiredAt, ...rest } = s;
  return rest;
}

import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import { hasRole, inRegionScope, type Actor, type Role } from '../auth/actor.js';
import { ANALYTICS_CENTRE_ROLES } from '../analytics/analytics.policy.js';
import { gridsOfWorker, townOfUnit, type GridRow } from './grids.repository.js';
import type { Tree } from '../analytics/analytics-tree.js';

// 第二十九条 / 第三十条: who sees what of a town's grids.
// - A grid worker (网格员) reports only in their own grids and sees their own reports and the tickets of their grids.
// - A town/street's staff (its handlers and manager, and its grid workers) see their town's view, nothing outside it.
// - The centre's supervisors, analysts and admins see the view of any town in their area (for review).
// Another town's data is answered 404: its existence is not revealed.

/** The roles of a town's own staff that may open its view. */
export const TOWN_STAFF_ROLES: Role[] = ['handler', 'unit_manager', 'grid_worker'];

/** The grids the actor answers for as a grid worker (403 for anyone else). */
export async function assertGridWorker(db: Kysely<DB>, actor: Actor): Promise<GridRow[]> {
  if (!hasRole(actor, 'grid_worker')) throw new AppError('forbidden', '仅网格员可使用主动发现上报');
  return gridsOfWorker(db, actor.userId);
}

/** The actor's own town when they are a town's staff (their unit is a town/street), else null. */
export async function ownTown(db: Kysely<DB>, actor: Actor): Promise<string | null> {
  if (!hasRole(actor, ...TOWN_STAFF_ROLES)) return null;
  return townOfUnit(db, actor.unitId);
}

/** The towns whose view the actor may open: their own, or every town in a centre reader's area (403 for others). */
export async function readableTowns(db: Kysely<DB>, actor: Actor): Promise<string[]> {
  const own = await ownTown(db, actor);
  if (own !== null) return [own];
  if (actor.scope === 'region' && hasRole(actor, ...ANALYTICS_CENTRE_ROLES)) {
    const towns = await db.selectFrom('regions').select('code').where('level', '=', 3).orderBy('code').execute();
    return towns.map((t) => t.code).filter((c) => inRegionScope(actor, c));
  }
  throw new AppError(
    'forbidden',
    '乡镇（街道）网格视图仅向本乡镇（街道）工作人员、网格员和热线工作机构督办、分析人员开放',
  );
}

/** The town whose view the actor opens: their own, or one in a centre reader's area. */
export async function assertTownReader(db: Kysely<DB>, actor: Actor, townCode: string): Promise<void> {
  const own = await ownTown(db, actor);
  if (own !== null) {
    if (own !== townCode) throw new AppError('not_found', '乡镇（街道）不存在或不在您的范围内');
    return;
  }
  if (actor.scope === 'region' && hasRole(actor, ...ANALYTICS_CENTRE_ROLES)) {
    if (!inRegionScope(actor, townCode)) throw new AppError('not_found', '乡镇（街道）不存在或不在您的范围内');
    return;
  }
  throw new AppError(
    'forbidden',
    '乡镇（街道）网格视图仅向本乡镇（街道）工作人员、网格员和热线工作机构督办、分析人员开放',
  );
}

/**
 * 网格管理 (issue 12): who keeps a town's grids and assigns its grid workers — the town/street's own manager (a
 * unit_manager of a town unit: their town only) and the admin (any town of their area). Another town answers 404 (not
 * revealed), every other role — a county's or a bureau's manager included — 403.
 */
export async function managedTowns(db: Kysely<DB>, actor: Actor): Promise<string[]> {
  if (hasRole(actor, 'admin') && actor.scope === 'region') {
    const towns = await db.selectFrom('regions').select('code').where('level', '=', 3).orderBy('code').execute();
    return towns.map((t) => t.code).filter((c) => inRegionScope(actor, c));
  }
  if (hasRole(actor, 'unit_manager')) {
    const own = await townOfUnit(db, actor.unitId);
    if (own !== null) return [own];
  }
  throw new AppError('forbidden', '网格管理仅向乡镇（街道）负责人和系统管理员开放');
}

export async function assertGridAdmin(db: Kysely<DB>, actor: Actor, townCode: string): Promise<void> {
  const towns = await managedTowns(db, actor);
  if (!towns.includes(townCode)) throw new AppError('not_found', '乡镇（街道）不存在或不在您的范围内');
}

/** A town as the town pickers name it: its code, name and path below the city (牡丹区 / 东城街道). */
export function townLabel(regions: Tree<string>, code: string) {
  return { code, name: regions.name(code), path: regions.path(code).slice(1).join(' / ') };
}

import type { Selectable } from 'kysely';
import type { SupervisionCasesTable } from '../../db/schema-supervision.js';
import { AppError } from '../../errors.js';
import { hasRole, inRegionScope, UNIT_ROLES, type Actor } from '../auth/actor.js';

// 第二十二条 and 第三十条: a supervisor of a centre acts on the cases in the centre's regions (a county centre only
// its county's); a unit's staff see only their own unit's cases, and not the proposals the centre has not yet
// confirmed. Anything else is a 404, so another unit's case is not revealed.

export function isSupervisor(actor: Actor): boolean {
  return actor.scope === 'region' && hasRole(actor, 'supervisor');
}

export function assertSupervisor(actor: Actor): void {
  if (!isSupervisor(actor)) throw new AppError('forbidden', '仅热线工作机构督办员可执行此操作');
}

/** The level of the centre an actor works for: the city centre's region is the whole city (prefix 3717). */
export function actorLevel(actor: Actor): 'city' | 'county' {
  return actor.regionPrefixes.some((p) => p.length <= 4) ? 'city' : 'county';
}

type CaseScope = Pick<Selectable<SupervisionCasesTable>, 'unit_id' | 'region_code' | 'status'>;

export function canSeeCase(actor: Actor, c: CaseScope): boolean {
  if (isSupervisor(actor) && inRegionScope(actor, c.region_code)) return true;
  if (hasRole(actor, ...UNIT_ROLES) && actor.unitId === c.unit_id)
    return c.status !== 'proposed' && c.status !== 'dismissed';
  return false;
}

export function assertCanSeeCase<T extends CaseScope>(actor: Actor, c: T | undefined): asserts c is T {
  if (!c || !canSeeCase(actor, c)) throw new AppError('not_found', '督办件不存在或无权查看');
}

/** Who may read cases at all (a 403 for other roles, before any lookup). */
export function assertCaseReader(actor: Actor): void {
  if (!isSupervisor(actor) && !hasRole(actor, ...UNIT_ROLES))
    throw new AppError('forbidden', '仅督办员和承办单位人员可查看督办件');
}

import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import { hasRole, requireRole, type Actor } from '../auth/actor.js';

// 第二十四条 / 第三十条: who sees which unit's assessment. A unit sees only itself; the centre's people see the units
// of their regions (the city centre all, a county centre the units of its county); anything else is 404.

export const RESULT_READERS = ['supervisor', 'analyst', 'admin', 'handler', 'unit_manager'] as const;
export const CENTRE_READERS = ['supervisor', 'analyst', 'admin'] as const;

export function isUnitReader(actor: Actor): boolean {
  return actor.scope === 'unit' || !hasRole(actor, ...CENTRE_READERS);
}

/** The units this actor may see the assessment of: a set of ids (a unit: its own). */
export async function visibleUnits(db: Kysely<DB>, actor: Actor): Promise<Set<number>> {
  requireRole(actor, ...RESULT_READERS);
  if (isUnitReader(actor)) return new Set([actor.unitId]);
  if (actor.regionPrefixes.length === 0) return new Set();
  const rows = await db
    .selectFrom('unit_regions')
    .select('unit_id')
    .where((eb) => eb.or(actor.regionPrefixes.map((p) => eb('region_code', 'like', `${p}%`))))
    .distinct()
    .execute();
  return new Set(rows.map((r) => r.unit_id));
}

export async function assertUnitVisible(db: Kysely<DB>, actor: Actor, unitId: number): Promise<void> {
  if (!(await visibleUnits(db, actor)).has(unitId)) throw new AppError('not_found', '单位不存在或不在您的范围内');
}

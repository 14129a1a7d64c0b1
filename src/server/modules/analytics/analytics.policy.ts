import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import { CENTRE_ROLES, hasRole, type Actor } from '../auth/actor.js';

// 第二十七条 / 第三十条: who may read the hot-spot analysis. The city centre's supervisors, analysts and admins see the
// whole city; a county centre's staff (e.g. 曹县12345热线工作机构) see their county — both through the actor's region
// prefixes. Units' staff are refused: the rollup has no unit dimension, and a unit's own figures are in 考核
// (第二十四条), which is scoped to the unit.

export const ANALYTICS_CENTRE_ROLES = ['supervisor', 'analyst', 'admin'] as const;

export async function assertAnalyticsReader(db: Kysely<DB>, actor: Actor): Promise<void> {
  if (actor.scope !== 'region' || !hasRole(actor, ...CENTRE_ROLES))
    throw new AppError('forbidden', '热点分析仅向热线工作机构开放；承办单位请查看本单位的考核结果');
  if (hasRole(actor, ...ANALYTICS_CENTRE_ROLES)) return;
  const unit = await db.selectFrom('units').select(['kind', 'tier']).where('id', '=', actor.unitId).executeTakeFirst();
  if (unit?.kind === 'centre' && unit.tier === 'county') return;
  throw new AppError('forbidden', '热点分析需要督办员、分析员或系统管理员角色（县区热线工作机构人员可查看本县区）');
}

/** Whether a region lies in the actor's area (第三十条 access control by region prefix). */
export const inScope = (actor: Actor, code: string) => actor.regionPrefixes.some((p) => code.startsWith(p));

import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { AppError, notFound } from '../../errors.js';
import { CENTRE_ROLES, hasRole, inRegionScope, type Actor, type Role } from '../auth/actor.js';

// 第二十七条 风险预警 / 第三十条: who reads and works the warning feed. The city centre's supervisors, analysts and admins
// see every warning; a county centre's staff (e.g. 曹县12345热线工作机构) see their county's — both through the actor's
// region prefixes. Units see none: a warning is about an area and a category, not about one unit's tickets, and the
// unit hears of what it must do through the matter (专题) or the ticket a warning leads to. Supervisors and analysts
// act on warnings (确认、指派、关联专题、关闭); the others read.

export const WARNING_WORKERS: Role[] = ['supervisor', 'analyst'];
export const WARNING_CITY_READERS: Role[] = ['supervisor', 'analyst', 'admin'];

async function isCountyCentreStaff(db: Kysely<DB>, actor: Actor) {
  if (!hasRole(actor, ...CENTRE_ROLES)) return false;
  const unit = await db.selectFrom('units').select(['kind', 'tier']).where('id', '=', actor.unitId).executeTakeFirst();
  return unit?.kind === 'centre' && unit.tier === 'county';
}

/** The feed as a whole: a role without access is told so (403). */
export async function assertWarningReader(db: Kysely<DB>, actor: Actor): Promise<void> {
  if (actor.scope === 'region' && !actor.tokenScopes) {
    if (hasRole(actor, ...WARNING_CITY_READERS)) return;
    if (await isCountyCentreStaff(db, actor)) return;
  }
  throw new AppError('forbidden', '风险预警仅向热线工作机构的督办、分析人员开放（县区热线工作机构人员可查看本县区）');
}

/** One warning: outside the reader roles or the actor's regions it does not exist (404). */
export async function assertCanReadWarning(
  db: Kysely<DB>,
  actor: Actor,
  w: { region_code: string } | undefined,
): Promise<void> {
  try {
    await assertWarningReader(db, actor);
  } catch {
    throw notFound('预警');
  }
  if (!w || !inRegionScope(actor, w.region_code)) throw notFound('预警');
}

/** A step on one warning: a reader who is not a supervisor or analyst is refused (403) once it may see it. */
export async function assertCanWorkWarning(
  db: Kysely<DB>,
  actor: Actor,
  w: { region_code: string } | undefined,
): Promise<void> {
  await assertCanReadWarning(db, actor, w);
  if (!hasRole(actor, ...WARNING_WORKERS)) throw new AppError('forbidden', '仅热线工作机构的督办员、分析员可处理预警');
}

/** 敏感风险词 and the thresholds: the admins edit; supervisors and analysts read them. */
export function assertWarningRulesReader(actor: Actor): void {
  if (actor.scope !== 'region' || actor.tokenScopes || !hasRole(actor, 'admin', ...WARNING_WORKERS))
    throw new AppError('forbidden', '仅系统管理员、督办员、分析员可查看预警规则');
}
export function assertWarningRulesEditor(actor: Actor): void {
  if (actor.scope !== 'region' || actor.tokenScopes || !hasRole(actor, 'admin'))
    throw new AppError('forbidden', '仅系统管理员可修改敏感词和预警规则');
}

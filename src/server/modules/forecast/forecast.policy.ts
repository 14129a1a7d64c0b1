import { AppError } from '../../errors.js';
import { hasRole, type Actor } from '../auth/actor.js';

// 第二十八条(二) 预案提醒 / 第三十条: a unit's people read and acknowledge their own unit's reminders; the centre's
// supervisors, analysts and admins read every unit's (acknowledging is the unit's own step); anyone else is refused.
// The forecast screen itself is the hot-spot analysis's readers' (analytics.policy.ts). 新兴诉求提醒 (第二十八条(三)(四))
// follow the same rules; `what` names the reminder in the refusal.

export const REMINDER_CENTRE_READERS = ['supervisor', 'analyst', 'admin'] as const;
export const REMINDER_UNIT_ROLES = ['handler', 'unit_manager'] as const;

export const isUnitPerson = (actor: Actor) => actor.scope === 'unit' && hasRole(actor, ...REMINDER_UNIT_ROLES);

/** The units whose reminders the actor reads: its own unit, or null for every unit (the centre). */
export function reminderUnits(actor: Actor, unitId: number | undefined, what = '预案提醒'): number[] | null {
  if (isUnitPerson(actor)) {
    if (unitId !== undefined && unitId !== actor.unitId) throw new AppError('not_found', '单位不存在或不在您的范围内');
    return [actor.unitId];
  }
  if (actor.scope === 'region' && hasRole(actor, ...REMINDER_CENTRE_READERS))
    return unitId === undefined ? null : [unitId];
  throw new AppError('forbidden', `${what}仅向承办单位本单位人员及热线工作机构的督办员、分析员、系统管理员开放`);
}

/** Acknowledging is the unit's own step: its people only (another unit's reminder: 404); anyone else 403. */
export function assertCanAcknowledge(actor: Actor, reminderUnitId: number, what = '预案提醒'): void {
  if (!isUnitPerson(actor)) throw new AppError('forbidden', `${what}由承办单位本单位人员确认`);
  if (actor.unitId !== reminderUnitId) throw new AppError('not_found', `${what}不存在`);
}

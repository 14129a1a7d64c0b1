import { AppError } from '../../errors.js';
import { hasRole, inRegionScope, requireRole, type Actor } from '../auth/actor.js';

// 第二十一条: who prepares and who publishes the monthly report. The centre's supervisors, analysts and admins
// (scope: their region — a county centre only its county) draft and submit; publishing is a review by a supervisor
// or admin who is not the drafter (four eyes), so no one person decides alone what the public reads.

export const DISCLOSURE_STAFF = ['supervisor', 'analyst', 'admin'] as const;
export const DISCLOSURE_PUBLISHERS = ['supervisor', 'admin'] as const;

export function requireDisclosureStaff(actor: Actor): void {
  requireRole(actor, ...DISCLOSURE_STAFF);
  if (actor.scope !== 'region') throw new AppError('forbidden', '仅热线工作机构可以编制信息公开报告');
}

/** The region a report of this actor is for when none is named: the actor's own (371700 for the city centre). */
export function defaultRegion(actor: Actor): string {
  const p = actor.regionPrefixes[0];
  if (!p) throw new AppError('forbidden', '您没有可公开的区域');
  return p.length === 4 ? `${p}00` : p.slice(0, 6);
}

/** A report outside the actor's region does not exist for them (404, like every other scoped record). */
export function assertRegionVisible(actor: Actor, regionCode: string): void {
  if (!inRegionScope(actor, regionCode)) throw new AppError('not_found', '报告不存在或不在您的范围内');
}

export function requirePublisher(actor: Actor, drafterId: number): void {
  if (!hasRole(actor, ...DISCLOSURE_PUBLISHERS)) throw new AppError('forbidden', '仅督办员或系统管理员可以审核发布');
  if (actor.userId === drafterId)
    throw new AppError('forbidden', '发布须由起草人以外的督办员或系统管理员审核', { rule: 'four_eyes' });
}

import { AppError, notFound } from '../../errors.js';
import { hasRole, inRegionScope, type Actor, type Role } from '../auth/actor.js';

// 第二十三条: the city or county hotline centre refers a unit to the discipline inspection body of the same level.
// Supervisors create and record the steps; auditors read. A unit never sees a referral, not even about itself
// (404, so its existence is not revealed): it is a lead handed to the discipline body, and telling its subject
// would let it prepare before the body looks (and expose the requester who complained, 第三十三条).
export const REFERRAL_WRITERS: Role[] = ['supervisor'];
export const REFERRAL_READERS: Role[] = ['supervisor', 'auditor'];

/** Lists: a role without access is told so (403); nothing about any single referral is revealed. */
export function requireReferralReader(actor: Actor): void {
  if (!hasRole(actor, ...REFERRAL_READERS) || actor.scope !== 'region')
    throw new AppError('forbidden', '仅督办员、审计员可查看问责移送');
}

/** One referral: outside the reader roles or the actor's regions it does not exist (404). */
export function assertCanReadReferral(actor: Actor, r: { region_prefix: string } | undefined): void {
  if (!r || actor.scope !== 'region' || !hasRole(actor, ...REFERRAL_READERS) || !inRegionScope(actor, r.region_prefix))
    throw notFound('问责移送');
}

/** A step on one referral: a reader who is not a supervisor (the auditor) is refused (403) once it may see it. */
export function assertCanWriteReferral(actor: Actor, r: { region_prefix: string } | undefined): void {
  assertCanReadReferral(actor, r);
  if (!hasRole(actor, ...REFERRAL_WRITERS)) throw new AppError('forbidden', '仅督办员可办理问责移送');
}

/** The region prefix a new referral is filed under: the referring centre's own (its first region). */
export function referralPrefixOf(actor: Actor): string {
  const p = actor.regionPrefixes[0];
  if (actor.scope !== 'region' || !p) throw new AppError('forbidden', '仅热线工作机构的督办员可移送问题线索');
  return p;
}

import { AppError } from '../../errors.js';
import { ROLE_LABELS, type Role } from '../../../shared/contracts/roles.js';

// The roles and their labels are shared with the web (src/shared/contracts/roles.ts).
export { PEOPLE_ROLES, ROLE_LABELS, ROLES, type PersonRole, type Role } from '../../../shared/contracts/roles.js';

/** Roles that work at the centre and see tickets by region rather than by unit. */
export const CENTRE_ROLES: Role[] = [
  'agent',
  'dispatcher',
  'callback_agent',
  'supervisor',
  'analyst',
  'auditor',
  'admin',
];
export const UNIT_ROLES: Role[] = ['handler', 'unit_manager'];

/** Who is acting, resolved once per request from the session or API token. */
export interface Actor {
  userId: number;
  username: string;
  displayName: string;
  unitId: number;
  roles: Role[];
  scope: 'unit' | 'region';
  /** Region-code prefixes this actor may see when scope is 'region' (第三十条 access control). */
  regionPrefixes: string[];
  requestId?: string;
  /** the client's address as the proxy chain reports it (TRUST_PROXY); for the audit's "from where" */
  sourceIp?: string;
  /** 第三十条: set when the actor is an API token with scopes (a unit's integration); absent for sessions */
  tokenScopes?: string[];
  /**
   * 等保 2.0 身份鉴别 (sessions only): the user must change the password (after an admin's reset or admin:create), or
   * enrol a second factor their role requires, before anything else is allowed (http/auth-plugin.ts).
   */
  mustChangePassword?: boolean;
  totpEnrolmentRequired?: boolean;
  totpEnabled?: boolean;
}

export function hasRole(actor: Actor, ...roles: Role[]): boolean {
  return roles.some((r) => actor.roles.includes(r));
}

export function requireRole(actor: Actor, ...roles: Role[]): void {
  if (!hasRole(actor, ...roles)) {
    throw new AppError('forbidden', `该操作需要以下角色之一：${roles.map((r) => ROLE_LABELS[r]).join('、')}`, {
      requiredRoles: roles,
    });
  }
}

/**
 * Prefix of a division code that all codes below it share: a city code such as 371700 covers 3717xx…,
 * a county 371702 covers 371702xxx…, a town 371702001 covers 371702001xxx. Matching by prefix lets the
 * region filter use a btree index (text_pattern_ops) instead of a recursive walk per ticket.
 */
export function regionPrefix(code: string): string {
  return code.length === 6 && code.endsWith('00') ? code.slice(0, 4) : code;
}

export function inRegionScope(actor: Actor, regionCode: string): boolean {
  return actor.regionPrefixes.some((p) => regionCode.startsWith(p));
}

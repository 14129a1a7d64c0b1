import { AppError } from '../../errors.js';

export const ROLES = [
  'agent',
  'dispatcher',
  'handler',
  'unit_manager',
  'callback_agent',
  'supervisor',
  'analyst',
  'auditor',
  'admin',
  // 第十八条: the centre's knowledge reviewer publishes or sends back what units write into the knowledge base
  'knowledge_reviewer',
  // 第二十九条: a town's grid worker (网格员) reports problems found in their grids (主动发现)
  'grid_worker',
  // machine clients: channel gateways (SMS, Weibo, CTI) and partner systems (Open311, unit integrations)
  'gateway',
  'partner',
] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  agent: '话务员',
  dispatcher: '派单员',
  handler: '承办人',
  unit_manager: '单位负责人',
  callback_agent: '回访员',
  supervisor: '督办员',
  analyst: '分析员',
  auditor: '审计员',
  admin: '系统管理员',
  knowledge_reviewer: '知识库审核员',
  grid_worker: '网格员',
  gateway: '渠道网关',
  partner: '对接系统',
};

/** Roles of people (every role but the machine clients'): who may read the knowledge base, for one. */
export const PEOPLE_ROLES: Role[] = ROLES.filter((r) => r !== 'gateway' && r !== 'partner');

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

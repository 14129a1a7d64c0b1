// The roles an account may hold, one list for the server's checks, the database's accounts and the web's labels.

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
/** Any role, the machine clients' included. */
export type Role = (typeof ROLES)[number];
/** The roles of people: every role but the machine clients'. */
export type PersonRole = Exclude<Role, 'gateway' | 'partner'>;

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
export const PEOPLE_ROLES = ROLES.filter((r): r is PersonRole => r !== 'gateway' && r !== 'partner');

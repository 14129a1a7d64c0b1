import { sql } from 'kysely';
import { generate as generateTotp, generateSecret } from 'otplib';
import { beforeAll, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../src/server/seed/heze-organisation.js';
import { wechatSignature } from '../src/server/modules/channels/wechat.protocol.js';
import { form as urlencoded, streetLamp } from './fixtures/open311/support.js';
import { describeEachDb, type TestEnv } from './helpers/test-env.js';
import { insertPublishedArticle } from './helpers/knowledge.js';
import { rollupAssessment } from '../src/server/jobs/assessment-rollup.js';
import { openCase } from '../src/server/modules/supervision/case-opening.js';
import { raiseWarning } from '../src/server/modules/warnings/warnings.repository.js';
import { insertRetiredModel } from './helpers/classification.js';

// 第三十条 (access control), 第六条 (personal data), 第三十三条 (the reported unit): who may call what. EVERY
// operation of the OpenAPI document (and the hidden routes listed below) × every kind of caller, each cell's
// status declared once in MATRIX. A route added without a row fails "every operation has a row"; a row left
// for a route that is gone fails it too. Requests are valid, so what differs between cells is authorization.
//
// Cells do not interfere: a state-changing operation runs its refused cells first on one fixture (they must
// change nothing), then each allowed cell on a fresh fixture of its own.

const ACTORS = [
  'agent',
  'agent_cx',
  'dispatcher',
  'callback',
  'supervisor',
  'analyst',
  'auditor',
  'admin',
  'knowledge',
  'handler_md',
  'manager_md',
  'handler_cg',
  'handler_cx',
  // 第二十九条: 东城街道's grid worker (网格员)
  'grid_worker',
  // 二级派单: 东城街道's handler, a sub-unit of 牡丹区人民政府 (unit B's like on every row but the 二级派单 ones)
  'handler_dc',
  'anonymous',
  'gateway',
  'partner',
] as const;
type Who = (typeof ACTORS)[number];
/** A status, one of several, or 'skip' (with the reason in the row's note) */
type Cell = number | number[] | 'skip';
type Row = Record<Who, Cell>;

const PEOPLE: Who[] = [
  'agent',
  'agent_cx',
  'dispatcher',
  'callback',
  'supervisor',
  'analyst',
  'auditor',
  'admin',
  'knowledge',
  'handler_md',
  'manager_md',
  'handler_cg',
  'handler_cx',
  'grid_worker',
  'handler_dc',
];
const CITY_CENTRE: Who[] = ['agent', 'dispatcher', 'callback', 'supervisor', 'analyst', 'auditor', 'admin'];
const USERNAMES: Record<Exclude<Who, 'anonymous'>, string> = {
  agent: 'agent',
  agent_cx: 'agent_cx',
  dispatcher: 'dispatcher',
  callback: 'callback',
  supervisor: 'supervisor',
  analyst: 'analyst',
  auditor: 'auditor',
  admin: 'admin',
  knowledge: 'knowledge',
  handler_md: 'handler_md',
  manager_md: 'manager_md',
  handler_cg: 'handler_cg',
  handler_cx: 'handler_cx',
  grid_worker: 'grid_dc',
  handler_dc: 'handler_dc',
  gateway: 'gateway',
  partner: 'partner',
};

// ---- presets -----------------------------------------------------------------------------------------------
const fill = (v: Cell): Row => Object.fromEntries(ACTORS.map((a) => [a, v])) as Row;
/** Everyone, signed in or not (public endpoints; their own credentials are in the request: tracking code, api_key, signature). */
const pub = (s: Cell): Row => fill(s);
/** Any signed-in caller, person or machine token; anonymous 401. */
const signedIn = (s: Cell): Row => ({ ...fill(s), anonymous: 401 });
/** Only the listed callers; everyone else signed in gets `denied` (403 for a role, 404 for data outside the scope). */
const only = (ok: Partial<Row>, denied: Cell = 403): Row => ({ ...fill(denied), anonymous: 401, ...ok });
const each = (who: Who[], s: Cell): Partial<Row> => Object.fromEntries(who.map((w) => [w, s]));
const admin = (s: Cell = 200) => only({ admin: s });
/** A ticket of 牡丹区 led by 牡丹区人民政府: the city centre and the lead unit see it; 曹县, 城管局 (unit B), 曹县政府 and machines get 404. */
const mdTicketRead = (s: Cell = 200) => only({ ...each(CITY_CENTRE, s), handler_md: s, manager_md: s }, 404);
/** A lead unit's step on a 牡丹区 ticket: city centre staff see it but may not act (403); outside the scope 404. */
const leadStep = (s: Cell) => ({ ...mdTicketRead(404), ...each(CITY_CENTRE, 403), handler_md: s, manager_md: s });
/** A contact received by the city centre, not yet a ticket: the contact roles of the city; 曹县 404. */
const cityContact = (roles: Who[], s: Cell) => only({ ...each(roles, s), agent_cx: 404 });
const gatewayOnly = (s: Cell) => only({ gateway: s });
const partnerOnly = (s: Cell) => only({ partner: s });
/** 第十八条: the units' people (each writes for its own unit). */
const kbUnits = (s: Cell) => each(['handler_md', 'manager_md', 'handler_cg', 'handler_cx'], s);
/** A published article of 牡丹区人民政府: every person of the centre reads it; another unit 404; machines 403. */
const kbPublishedRead = (s: Cell): Row => ({
  // 第二十九条: a grid worker is no unit's staff; like the centre's people, they read what is published
  ...only({ ...each(CITY_CENTRE, s), agent_cx: s, knowledge: s, handler_md: s, manager_md: s, grid_worker: s }, 404),
  gateway: 403,
  partner: 403,
});
/** A step on a 牡丹区 draft: only the admin (reads all, writes none) sees it besides the owner and the reviewer. */
const kbDraftWrite = (ok: Partial<Row>): Row => ({
  ...only({}, 404),
  admin: 403,
  knowledge: 403,
  handler_md: 403,
  manager_md: 403,
  gateway: 403,
  partner: 403,
  ...ok,
});
/** A step on a published 牡丹区 article: centre staff see it (403), another unit does not (404). */
const kbPublishedWrite = (ok: Partial<Row>): Row => ({ ...kbPublishedRead(403), ...ok });

/** 第二十五、二十六条: a 牡丹区 matter led by 牡丹区人民政府 — centre readers and the lead unit read it; others 404. */
const matterRead = (s: Cell) => only({ supervisor: s, analyst: s, auditor: s, handler_md: s, manager_md: s }, 404);
/** A step on that matter: the supervisor's; those who may read it are refused (403); others 404. */
const matterWrite = (s: Cell): Row => ({ ...matterRead(403), supervisor: s });

/** Issue 14: every handler and manager of a unit, each for their own unit. */
const unitStaff = (s: Cell) => each(['handler_md', 'manager_md', 'handler_cg', 'handler_cx'], s);

/** The declared expectations. Key: "METHOD /path" exactly as in the OpenAPI document. */
/** 第二十一条: each disclosure fixture drafts its own (long finished) month, as a month has one open draft at a time. */
let disclosureMonths = 0;
const nextDisclosureMonth = () =>
  `${2001 + Math.floor(disclosureMonths / 12)}-${String((disclosureMonths++ % 12) + 1).padStart(2, '0')}`;
const disclosureStaff = (s: Cell) => only(each(['supervisor', 'analyst', 'admin'], s));

const MATRIX: Record<string, Row> = {
  // auth
  'POST /api/auth/login': pub(200),
  'POST /api/auth/logout': pub([200, 204]),
  'GET /api/auth/me': signedIn(200),
  'POST /api/auth/tokens': admin(201),
  'GET /api/admin/login-locks': admin(200),
  'POST /api/admin/users/{id}/unlock': admin([200, 204]),
  // 等保 2.0 身份鉴别: the second login step is public (the challenge is its credential); a person's own password and
  // second factor are theirs (a machine's token has neither: 403); the security settings are read by the auditor too
  'POST /api/auth/login/totp': pub(200),
  'POST /api/auth/password': { ...signedIn(200), gateway: 403, partner: 403 },
  'POST /api/auth/totp/setup': { ...signedIn(200), gateway: 403, partner: 403 },
  'POST /api/auth/totp/enable': { ...signedIn(200), gateway: 403, partner: 403 },
  'POST /api/auth/totp/disable': { ...signedIn(200), gateway: 403, partner: 403 },
  'POST /api/users/{id}/totp/reset': admin(200),
  'GET /api/admin/security-settings': only({ admin: 200, auditor: 200 }),
  'PUT /api/admin/security-settings': admin(200),
  // reference data: read by every signed-in caller (partners need categories and regions), changed by the admin
  'GET /api/regions': signedIn(200),
  'GET /api/units': signedIn(200),
  'POST /api/units': admin(201),
  'PATCH /api/units/{id}': admin(200),
  'GET /api/categories': signedIn(200),
  'POST /api/categories': admin(201),
  'PATCH /api/categories/{id}': admin(200),
  // 合并 (issue 13): the admin's full tree (retired and merged ones too) and the merge itself
  'GET /api/admin/categories': admin(200),
  'POST /api/categories/{id}/merge': admin(200),
  'GET /api/users': only({ admin: 200, auditor: 200 }),
  'POST /api/users': admin(201),
  'PATCH /api/users/{id}': admin(200),
  'POST /api/users/{id}/password': admin([200, 204]),
  'GET /api/catalogue-rules': signedIn(200),
  'POST /api/catalogue-rules': admin(201),
  'PATCH /api/catalogue-rules/{id}': admin(200),
  'POST /api/catalogue/resolve': signedIn(200),
  'GET /api/calendar/{year}': signedIn(200),
  'PUT /api/calendar/days/{date}': admin(200),
  'DELETE /api/calendar/days/{date}': admin(200),
  'GET /api/calendar/coverage': signedIn(200),
  'GET /api/admin/calendar/coverage': admin(200),
  'GET /api/admin/calendar/years/{year}': admin(200),
  'PUT /api/admin/calendar/years/{year}': admin(200),
  'POST /api/admin/calendar/years/{year}/confirm-builtin': admin(200),
  'POST /api/admin/calendar/years/{year}/import': admin(200),
  'GET /api/time-limits': signedIn(200),
  'PUT /api/time-limits': admin(200),
  'GET /api/unreachable-reply-policy': signedIn(200),
  'PUT /api/unreachable-reply-policy': admin(200),
  // 第六条: the access audit is the auditor's (separation of duties: not even the admin reads it)
  'GET /api/audit/pii-access': only({ auditor: 200 }),
  // 第三十条 data sharing: a unit's subscriptions are managed by the admin or that unit's manager (fixtures: 牡丹区人民政府)
  'GET /api/sharing/subscriptions': only({ admin: 200, manager_md: 200 }),
  'POST /api/sharing/subscriptions': only({ admin: 201, manager_md: 201 }),
  'PATCH /api/sharing/subscriptions/{id}': only({ admin: 200, manager_md: 200 }),
  'POST /api/sharing/subscriptions/{id}/rotate-secret': only({ admin: 200, manager_md: 200 }),
  'POST /api/sharing/subscriptions/{id}/test': only({ admin: 200, manager_md: 200 }),
  'GET /api/sharing/subscriptions/{id}/deliveries': only({ admin: 200, manager_md: 200 }),
  'POST /api/sharing/subscriptions/{id}/replay-dead': only({ admin: 200, manager_md: 200 }),
  'POST /api/sharing/deliveries/{id}/replay': only({ admin: 200, manager_md: 200 }),
  // 对接令牌: the admin's
  'GET /api/admin/api-tokens': admin(200),
  'POST /api/admin/api-tokens': admin(201),
  'POST /api/admin/api-tokens/{id}/revoke': admin(200),
  // 第六条 个人信息密钥: the key versions and rotations are the admin's alone
  'GET /api/admin/pii-keys': admin(200),
  'POST /api/admin/pii-keys/rotations': admin(201),
  // the pull feed: a token with feed:read (proven in article-30-data-sharing.test.ts) or the unit's manager; the
  // centre's partner token has no scope (403), a unit's handler is not its manager (403)
  'GET /api/units/feed': only({ manager_md: 200 }),
  'GET /api/units/feed/tickets.ndjson': only({ manager_md: 200 }),
  'GET /api/units/feed/tickets.csv': only({ manager_md: 200 }),
  // 第三十条第二款: the access log is the auditor's; the admin sets its retention (never below 180 days)
  'GET /api/audit/access': only({ auditor: 200 }),
  'GET /api/audit/access.csv': only({ auditor: 200 }),
  'GET /api/audit/access/verify': only({ auditor: 200, admin: 200 }),
  'GET /api/audit/access/retention': only({ auditor: 200, admin: 200 }),
  'PUT /api/audit/access/retention': admin(200),
  // 等保 2.0 安全审计: the administrators' audit is the auditor's alone (三员分立: the admin whose changes it records
  // cannot read or export it); every person records their screen exports, machines cannot
  'GET /api/audit/admin': only({ auditor: 200 }),
  'GET /api/audit/admin.csv': only({ auditor: 200 }),
  'POST /api/audit/exports': only(each(PEOPLE, 201)),
  // issue 10 export everywhere: the ticket search as a file is the search's (centre staff in their regions); the
  // audit logs as Excel are the auditor's; any person may turn the table on their screen into Excel (audited)
  'POST /api/exports/tickets': only({ ...each(CITY_CENTRE, 200), agent_cx: 200 }),
  'GET /api/exports/pii-access': only({ auditor: 200 }),
  'POST /api/exports/table.xlsx': only(each(PEOPLE, 200)),
  'GET /api/audit/admin.xlsx': only({ auditor: 200 }),
  'GET /api/audit/access.xlsx': only({ auditor: 200 }),
  // 第十八条 knowledge base, authoring side (fixtures: articles of 牡丹区人民政府). The owner unit writes (handler_md,
  // manager_md), the centre's reviewer (knowledge) reviews and publishes; another unit gets 404; centre staff read
  // published articles only (a draft is 404 to them, a write on a published one 403); machines use the push API only.
  'GET /api/knowledge/articles': only(each(PEOPLE, 200)),
  'POST /api/knowledge/articles': only({ ...kbUnits(201), knowledge: 201 }),
  'GET /api/knowledge/articles/{id}': kbPublishedRead(200),
  'PUT /api/knowledge/articles/{id}': kbDraftWrite({ handler_md: 200, manager_md: 200, knowledge: 200 }),
  'POST /api/knowledge/articles/{id}/submit': kbDraftWrite({ handler_md: 200, manager_md: 200 }),
  'POST /api/knowledge/articles/{id}/approve': kbDraftWrite({ manager_md: 200 }),
  // the manager returns from the unit's review only: this version waits in the centre's (409)
  'POST /api/knowledge/articles/{id}/return': kbDraftWrite({ knowledge: 200, manager_md: 409 }),
  'POST /api/knowledge/articles/{id}/publish': kbDraftWrite({ knowledge: 200 }),
  'POST /api/knowledge/articles/{id}/discard': kbDraftWrite({ handler_md: 200, manager_md: 200, knowledge: 200 }),
  // the owner asks for withdrawal (200, withdrawRequested), the centre withdraws
  'POST /api/knowledge/articles/{id}/withdraw': kbPublishedWrite({ handler_md: 200, manager_md: 200, knowledge: 200 }),
  'POST /api/knowledge/articles/{id}/confirm-valid': kbPublishedWrite({ manager_md: 200, knowledge: 200 }),
  'POST /api/knowledge/articles/{id}/attachments': kbDraftWrite({ handler_md: 201, manager_md: 201, knowledge: 201 }),
  'GET /api/knowledge/articles/{id}/versions': kbPublishedRead(200),
  'GET /api/knowledge/versions/{id}': kbPublishedRead(200),
  'GET /api/knowledge/articles/{id}/compare': kbPublishedRead(200),
  'GET /api/knowledge/attachments/{id}': kbPublishedRead(200),
  // the portal's copy of a public article's policy document: published, public, in force — no account
  'GET /api/public/knowledge/attachments/{id}': pub(200),
  'GET /api/knowledge/review-queue': only({ knowledge: 200, manager_md: 200 }),
  'GET /api/knowledge/notices': only(kbUnits(200)),
  'POST /api/knowledge/notices/{id}/read': only({ handler_md: 200, manager_md: 200, handler_cg: 404, handler_cx: 404 }),
  'GET /api/knowledge/settings': only({ knowledge: 200, admin: 200 }),
  'PUT /api/knowledge/settings': only({ knowledge: 200, admin: 200 }),
  'GET /api/knowledge/freshness': only({
    ...kbUnits(200),
    ...each(['knowledge', 'admin', 'supervisor', 'analyst'], 200),
  }),
  // the lead unit proposes its reply; centre staff who see the ticket 403; outside the ticket's scope 404
  'POST /api/knowledge/proposals/from-ticket/{ticketId}': {
    ...only({ handler_md: 201, manager_md: 201 }, 404),
    ...each(CITY_CENTRE, 403),
  },
  // 第十八条第二款: only a unit's own system (kb_rsj, proven in article-18-knowledge-authoring.test.ts); the centre's
  // Open311 partner is refused (对接系统不属于承办单位), people too
  'PUT /api/knowledge/push/articles/{externalId}': only({}),
  'GET /api/knowledge/push/articles/{externalId}': only({}),
  // tickets
  'POST /api/tickets': only({ agent: 201, agent_cx: 403 }), // 曹县 may not create a 牡丹区 ticket (403 with field regionCode)
  'GET /api/tickets': only({
    ...each(CITY_CENTRE, 200),
    agent_cx: 200,
    handler_md: 200,
    manager_md: 200,
    handler_cg: 200,
    handler_cx: 200,
  }),
  'POST /api/tickets/search': only({ ...each(CITY_CENTRE, 200), agent_cx: 200 }),
  'GET /api/tickets/{id}': mdTicketRead(),
  // 第六条: the roles whose work needs the requester's data, then the ticket's scope
  'POST /api/tickets/{id}/requester/reveal': {
    ...mdTicketRead(200),
    ...each(['analyst', 'auditor', 'admin', 'knowledge', 'grid_worker'], 403),
    gateway: 403,
    partner: 403,
  },
  'POST /api/tickets/{id}/dispatch': only({ dispatcher: 200 }),
  'POST /api/tickets/{id}/accept': leadStep(200),
  'POST /api/tickets/{id}/contacts': leadStep(200),
  'POST /api/tickets/{id}/progress-reports': leadStep(200),
  // the assisting unit is 城管局 (unit B) here: it is the one that may submit; the lead unit is refused
  'POST /api/tickets/{id}/assist-results': { ...leadStep(403), handler_cg: 200 },
  'POST /api/tickets/{id}/reply': leadStep(200),
  'POST /api/tickets/{id}/callback': only({ callback: 200 }),
  // 第十七条 回访未果 (issue 14): read with the ticket; recorded and ended by the callback agents
  'GET /api/tickets/{id}/callback/attempts': mdTicketRead(200),
  'POST /api/tickets/{id}/callback/attempts': only({ callback: 201 }),
  'POST /api/tickets/{id}/callback/close-unreached': only({ callback: 200 }),
  'POST /api/tickets/{id}/return-applications': leadStep(201),
  'POST /api/tickets/{id}/extension-applications': leadStep(201),
  'POST /api/tickets/{id}/termination-applications': leadStep(201),
  'POST /api/tickets/{id}/dispute-applications': leadStep(201),
  'GET /api/applications': only({ dispatcher: 200, supervisor: 200 }),
  'POST /api/applications/{id}/review': only({ dispatcher: 200 }),
  'POST /api/applications/{id}/consultation': only({ dispatcher: 200 }),
  'POST /api/tickets/{id}/merge': only({ dispatcher: 200 }),
  // issue 14 撤销并单: the dispatcher's, like the merge (a role check first: 403 for everyone else)
  'POST /api/tickets/{id}/unmerge': only({ dispatcher: 200 }),
  // 第十四条 撤回、改派 before acceptance and 批量派单: the dispatcher's (a role check first: 403 for everyone else)
  'POST /api/tickets/{id}/recall': only({ dispatcher: 200 }),
  'POST /api/tickets/{id}/reassign': only({ dispatcher: 200 }),
  'POST /api/tickets/dispatch-batch': only({ dispatcher: 200 }),
  // 第十五条 审核: the lead unit submits (409 here: 牡丹区 does not require sign-off in the matrix, so a submission is
  // refused after authorization); the unit manager decides; the admin sets which units require it
  'POST /api/tickets/{id}/reply-signoffs': leadStep(409),
  'GET /api/tickets/{id}/reply-signoffs': mdTicketRead(),
  'GET /api/reply-signoffs': only({ manager_md: 200 }),
  'POST /api/reply-signoffs/{id}/approve': only({ manager_md: 200 }),
  'POST /api/reply-signoffs/{id}/return': only({ manager_md: 200 }),
  'GET /api/unit-workflow-settings': admin(),
  'PUT /api/units/{id}/reply-signoff': admin(),
  // issue 14 通知提醒: the units' handlers and managers (their own unit's feed); the centre has its queues (403)
  'GET /api/notifications': only(unitStaff(200)),
  'GET /api/notifications/unread': only(unitStaff(200)),
  'POST /api/notifications/read': only(unitStaff(200)),
  // 第十五条 临期提醒: the unit's SMS phone is the admin's to set
  'GET /api/unit-notify-phones': admin(),
  'PUT /api/units/{id}/notify-phone': admin(),
  // 单位内部分办: the unit manager names a handler of the unit (a role check first: 403 for everyone else)
  'GET /api/unit-handlers': only({ manager_md: 200 }),
  'POST /api/tickets/{id}/handler': only({ manager_md: 200 }),
  // 第十六条: the extension limit shown in the extension form — whoever sees the ticket
  'GET /api/tickets/{id}/extension-limit': mdTicketRead(),
  // 二级派单 (第十四至十六条; fixtures: 牡丹区人民政府 passes its accepted ticket to 东城街道): the lead unit passes down,
  // recalls and reviews; 东城街道 signs, returns, replies and asks for time; the centre reads the chain but acts on none
  'GET /api/tickets/{id}/sub-dispatch-options': leadStep(200),
  'POST /api/tickets/{id}/sub-dispatches': leadStep(201),
  'GET /api/tickets/{id}/sub-dispatches': { ...mdTicketRead(), handler_dc: 200 },
  'GET /api/sub-dispatches': only(each(['handler_md', 'manager_md', 'handler_cg', 'handler_cx', 'handler_dc'], 200)),
  'POST /api/sub-dispatches/{id}/accept': { ...leadStep(403), handler_dc: 200 },
  'POST /api/sub-dispatches/{id}/return': { ...leadStep(403), handler_dc: 200 },
  'POST /api/sub-dispatches/{id}/reply': { ...leadStep(403), handler_dc: 200 },
  'POST /api/sub-dispatches/{id}/extensions': { ...leadStep(403), handler_dc: 201 },
  'POST /api/sub-dispatches/{id}/recall': { ...leadStep(200), handler_dc: 403 },
  'POST /api/sub-dispatches/{id}/review': { ...leadStep(200), handler_dc: 403 },
  'POST /api/sub-dispatch-extensions/{id}/review': { ...leadStep(200), handler_dc: 403 },
  // intake (contacts, requesters, attachments): the city centre's contact is 404 for 曹县 on every path
  'GET /api/contacts': only({ agent: 200, agent_cx: 200, dispatcher: 200, supervisor: 200 }),
  'POST /api/contacts': only({ agent: 201, agent_cx: 201 }),
  'GET /api/contacts/{id}/screen-pop': cityContact(['agent', 'dispatcher', 'supervisor'], 200),
  'GET /api/contacts/{id}/duplicates': cityContact(['agent', 'dispatcher', 'supervisor'], 200),
  'POST /api/contacts/{id}/disposition': cityContact(['agent'], 200),
  'POST /api/contacts/{id}/reveal': cityContact(['agent', 'dispatcher', 'supervisor', 'callback'], 200),
  'POST /api/duplicates/search': only({ agent: 200, agent_cx: 200, dispatcher: 200, supervisor: 200 }),
  'GET /api/requesters/{id}/history': cityContact(['agent', 'dispatcher', 'supervisor'], 200),
  'POST /api/requesters/{id}/flags': cityContact(['agent', 'callback', 'supervisor'], 201),
  'GET /api/requester-flags': only({ admin: 200, supervisor: 200 }),
  'GET /api/requester-flags/{id}': only({ admin: 200, supervisor: 200 }),
  'POST /api/requester-flags/{id}/review': admin(200),
  // a contact's picture before it is a ticket: the contact roles of the centre that has it; nobody else, not even
  // the centre's analysts, auditors and admins (404: its existence is not revealed)
  'GET /api/attachments/{id}': only(each(['agent', 'dispatcher', 'supervisor', 'callback'], 200), 404),
  // 第十四、十五、二十四条: a unit's staff upload materials; a return application's file is read like its ticket
  'POST /api/work-files': only(kbUnits(201)),
  'GET /api/work-files/{id}': mdTicketRead(200),
  'GET /api/staff-complaints': only({ supervisor: 200 }),
  // 第九条: the handling of complaints about staff is the supervisors' (a unit never handles complaints about itself)
  'GET /api/staff-complaints/{id}': only({ supervisor: 200 }),
  'POST /api/staff-complaints/{id}/investigate': only({ supervisor: 200 }),
  'POST /api/staff-complaints/{id}/notes': only({ supervisor: 200 }),
  'POST /api/staff-complaints/{id}/conclude': only({ supervisor: 200 }),
  'POST /api/staff-complaints/{id}/reply': only({ supervisor: 200 }),
  'POST /api/staff-complaints/{id}/close': only({ supervisor: 200 }),
  // 第二十三条 问责移送: supervisors write, auditors read; a referral does not exist for anyone else, units included (404)
  'GET /api/referrals': only({ supervisor: 200, auditor: 200 }),
  'POST /api/referrals': only({ supervisor: 201 }),
  'GET /api/referrals/{id}': only({ supervisor: 200, auditor: 200 }, 404),
  'POST /api/referrals/{id}/accept': { ...only({ supervisor: 200 }, 404), auditor: 403 },
  'POST /api/referrals/{id}/conclude': { ...only({ supervisor: 200 }, 404), auditor: 403 },
  'GET /api/referrals/{id}/evidence': only({ supervisor: 200, auditor: 200 }, 404),
  'GET /api/referrals/{id}/evidence.pdf': only({ supervisor: 200, auditor: 200 }, 404),
  // 第二十五、二十六条 专题治理 (fixture: a 牡丹区 matter led by 牡丹区人民政府): the centre's supervisors run it, analysts and
  // auditors read; the lead unit reads it and reports its own task; another unit and other roles 404 (not 403)
  'GET /api/matters': only({ supervisor: 200, analyst: 200, auditor: 200, ...kbUnits(200) }),
  'POST /api/matters': only({ supervisor: 201 }),
  'GET /api/matters/candidates': only({ supervisor: 200 }),
  'GET /api/matters/tasks': only(kbUnits(200)),
  'GET /api/matters/by-ticket/{id}': mdTicketRead(200),
  'GET /api/matters/{id}': matterRead(200),
  'GET /api/matters/{id}/figures': matterRead(200),
  'PUT /api/matters/{id}/plan': matterWrite(200),
  'POST /api/matters/{id}/tickets': matterWrite(200),
  'POST /api/matters/{id}/tickets/unlink': matterWrite(200),
  'POST /api/matters/{id}/units': matterWrite(201),
  'DELETE /api/matters/{id}/units/{unitId}': matterWrite(200),
  'POST /api/matters/{id}/tasks': matterWrite(201),
  'POST /api/matters/{id}/tasks/{taskId}/status': { ...matterWrite(200), handler_md: 200, manager_md: 200 },
  'POST /api/matters/{id}/minutes': matterWrite(201),
  'POST /api/matters/{id}/measures': matterWrite(201),
  'POST /api/matters/{id}/transition': matterWrite(200),
  // 第二十二条 督办 (fixtures: cases about 牡丹区人民政府 on a 牡丹区 ticket): the centre's supervisors act; the unit reads
  // and answers its own cases, never the centre's proposals; another unit 404; other roles 403
  'GET /api/supervision/rules': only({ supervisor: 200, admin: 200 }),
  'PUT /api/supervision/rules/{code}': only({ supervisor: 200, admin: 200 }),
  'GET /api/supervision/cases': only({ supervisor: 200, ...kbUnits(200) }),
  'POST /api/supervision/cases': only({ supervisor: 201 }),
  'GET /api/supervision/cases/{id}': only({ supervisor: 200, ...kbUnits(404), handler_md: 200, manager_md: 200 }),
  'GET /api/supervision/cases/{id}/notice.pdf': only({
    supervisor: 200,
    ...kbUnits(404),
    handler_md: 200,
    manager_md: 200,
  }),
  'POST /api/supervision/cases/{id}/confirm': only({ supervisor: 200, ...kbUnits(404) }),
  'POST /api/supervision/cases/{id}/dismiss': only({ supervisor: 200, ...kbUnits(404) }),
  'POST /api/supervision/cases/{id}/answer': only({ ...kbUnits(404), handler_md: 200, manager_md: 200 }),
  'POST /api/supervision/cases/{id}/decide': only({
    supervisor: 200,
    ...kbUnits(404),
    handler_md: 403,
    manager_md: 403,
  }),
  'GET /api/supervision/tickets/{id}': mdTicketRead(200),
  'GET /api/supervision/cards': only({ supervisor: 200 }),
  // 第四、十二条 智能分类: suggestions for the people who choose a category (agents, dispatchers); the unit history and
  // the category correction are the dispatcher's; the models are the admin's; the take rates the admin's and analyst's
  'POST /api/classification/suggest': only({ agent: 200, agent_cx: 200, dispatcher: 200 }),
  'GET /api/classification/tickets/{id}/unit-suggestion': only({ dispatcher: 200 }),
  'POST /api/classification/tickets/{id}/category': only({ dispatcher: 200 }),
  'GET /api/classification/models': admin(200),
  'GET /api/classification/models/{id}/categories': admin(200),
  'POST /api/classification/models/train': admin(200),
  'POST /api/classification/models/{id}/activate': admin(200),
  'GET /api/classification/take-rates': only({ admin: 200, analyst: 200 }),
  // public (第九条): the tracking code is the credential
  'GET /api/public/tracking': pub(200),
  'POST /api/public/tracking/evaluate': pub(200),
  'POST /api/public/tracking/complaint': pub(201),
  'GET /api/public/form-token': pub(200),
  'GET /api/public/categories': pub(200),
  'GET /api/public/regions': pub(200),
  'POST /api/public/requests': pub(201),
  // stats
  'GET /api/stats/overview': only({ ...each(CITY_CENTRE, 200), agent_cx: 200 }),
  // each sees only its own deadlines (a list filtered by scope, not a 404)
  // the knowledge reviewer works on articles, not on tickets' deadlines
  'GET /api/stats/queue-deadlines': { ...only(each(PEOPLE, 200)), knowledge: 403, grid_worker: 403 },
  // 第十二、十八条 knowledge base, answering side: people read it, machines do not; the console's suggestions and
  // flags are the answering staff's; flags are resolved by the owner unit (another unit: 404) or the reviewer
  'GET /api/knowledge/search': only(each(PEOPLE, 200)),
  'POST /api/knowledge/suggestions': only(each(['agent', 'agent_cx', 'dispatcher', 'supervisor'], 200)),
  'POST /api/knowledge/articles/{id}/flags': only(
    each(['agent', 'agent_cx', 'dispatcher', 'supervisor', 'callback'], 201),
  ),
  'GET /api/knowledge/flags': only(
    each(['knowledge', 'admin', 'handler_md', 'manager_md', 'handler_cg', 'handler_cx'], 200),
  ),
  'POST /api/knowledge/flags/{id}/resolve': only({
    knowledge: 200,
    handler_md: 200,
    manager_md: 200,
    handler_cg: 404,
    handler_cx: 404,
  }),
  'GET /api/knowledge/synonyms': signedIn(200),
  'POST /api/knowledge/synonyms': only({ knowledge: 201, admin: 201 }),
  'PATCH /api/knowledge/synonyms/{id}': only({ knowledge: 200, admin: 200 }),
  'GET /api/knowledge/figures': only(each(['analyst', 'supervisor', 'knowledge', 'admin'], 200)),
  // 第二十四条 考核: the centre's supervisors, analysts and admins read every unit of their regions; a unit reads only
  // itself (another unit's drill-down 404); schemes are the admin's, freezing the centre's, appeals the units' and
  // their decision the supervisor's
  'GET /api/assessment/schemes': only(each(['admin', 'supervisor', 'analyst'], 200)),
  'POST /api/assessment/schemes': admin(201),
  'POST /api/assessment/schemes/{id}/retire': admin(200),
  'GET /api/assessment/settings': only(each(['admin', 'supervisor', 'analyst'], 200)),
  'PUT /api/assessment/settings': admin(200),
  'GET /api/assessment/results': only({ ...each(['supervisor', 'analyst', 'admin'], 200), ...kbUnits(200) }),
  'POST /api/assessment/results': only(each(['supervisor', 'admin'], 201)),
  'GET /api/assessment/results/{id}/verify': only(each(['supervisor', 'analyst', 'admin'], 200)),
  'GET /api/assessment/drilldown': only({
    ...each(['supervisor', 'analyst', 'admin', 'handler_md', 'manager_md'], 200),
    handler_cg: 404,
    handler_cx: 404,
  }),
  'GET /api/assessment/appeals': only({ ...each(['supervisor', 'analyst', 'admin'], 200), ...kbUnits(200) }),
  'POST /api/assessment/appeals': only({ handler_md: 201, manager_md: 201, handler_cg: 404, handler_cx: 404 }),
  'POST /api/assessment/appeals/{id}/decision': only({ supervisor: 200 }),
  'GET /api/assessment/service-figures': only(each(['supervisor', 'analyst', 'admin'], 200)),
  // 第二十一条 信息公开: the centre's supervisors, analysts and admins draft (agent_cx is an agent: 403); a second
  // person, supervisor or admin, returns or publishes (the analyst who drafted: 403); the public reads without login
  'GET /api/disclosure/reports': disclosureStaff(200),
  'POST /api/disclosure/reports': disclosureStaff(201),
  'GET /api/disclosure/reports/{id}': disclosureStaff(200),
  'PUT /api/disclosure/reports/{id}': disclosureStaff(200),
  'DELETE /api/disclosure/reports/{id}': disclosureStaff(200),
  'POST /api/disclosure/reports/{id}/regenerate': disclosureStaff(200),
  'POST /api/disclosure/reports/{id}/submit': disclosureStaff(200),
  'POST /api/disclosure/reports/{id}/return': only(each(['supervisor', 'admin'], 200)),
  'POST /api/disclosure/reports/{id}/publish': only(each(['supervisor', 'admin'], 200)),
  'GET /api/public/disclosure': pub(200),
  'GET /api/public/disclosure/{month}': pub(200),
  'GET /api/public/disclosure/data/{file}': pub(200),
  // 第二十七条 热点分析: the city centre's supervisors, analysts and admins; a county centre's staff (its county); no units
  ...Object.fromEntries(
    ['filters', 'volume', 'trend', 'rising', 'tickets'].map((p) => [
      `GET /api/analytics/${p}`,
      only({ ...each(['supervisor', 'analyst', 'admin'], 200), agent_cx: 200 }),
    ]),
  ),
  // 第二十七条 风险预警 (fixture: a warning of 东城街道, 牡丹区): the city centre's supervisors, analysts and admins and a
  // county centre's staff read the feed (the county's only); supervisors and analysts act; a warning outside the
  // reader's regions, or for anyone who may not read the feed, does not exist (404); the rules are the admins'
  'GET /api/warnings': only({ ...each(['supervisor', 'analyst', 'admin'], 200), agent_cx: 200 }),
  'GET /api/warnings/export': only({ ...each(['supervisor', 'analyst', 'admin'], 200), agent_cx: 200 }),
  'GET /api/warnings/assignees': only({ ...each(['supervisor', 'analyst', 'admin'], 200), agent_cx: 200 }),
  'GET /api/warnings/{id}': only(each(['supervisor', 'analyst', 'admin'], 200), 404),
  ...Object.fromEntries(
    ['acknowledge', 'assign', 'link', 'close'].map((p) => [
      `POST /api/warnings/{id}/${p}`,
      only({ ...each(['supervisor', 'analyst'], 200), admin: 403 }, 404),
    ]),
  ),
  'GET /api/warning-rules': only(each(['supervisor', 'analyst', 'admin'], 200)),
  'POST /api/warning-rules/words': admin(201),
  'PUT /api/warning-rules/words/{id}': admin(200),
  'PUT /api/warning-rules/settings': admin(200),
  // 第二十九条 网格化管理: the grid worker's own reports and grids; the town view of 东城街道 for its staff (here its grid
  // worker) and the city centre's supervisors, analysts and admins; everyone else is refused by role
  'GET /api/grids/mine': only({ grid_worker: 200 }),
  'POST /api/grids/reports': only({ grid_worker: 201 }),
  'GET /api/grids/tickets': only({ grid_worker: 200 }),
  'GET /api/grids/tickets/{id}': only({ grid_worker: 200 }),
  'GET /api/towns': only({ ...each(['supervisor', 'analyst', 'admin'], 200), grid_worker: 200 }),
  'GET /api/towns/{code}/figures': only({ ...each(['supervisor', 'analyst', 'admin'], 200), grid_worker: 200 }),
  'GET /api/towns/{code}/tickets': only({ ...each(['supervisor', 'analyst', 'admin'], 200), grid_worker: 200 }),
  // 网格管理 (issue 12): a town's manager its own grids (article-29-grid-admin.test.ts; no town manager here), the admin
  // any town's; every other caller is refused by role
  'GET /api/grid-admin/towns': admin(200),
  'GET /api/grid-admin/towns/{code}': admin(200),
  'POST /api/grid-admin/towns/{code}/grids': admin(201),
  'PATCH /api/grid-admin/grids/{code}': admin(200),
  'PUT /api/grid-admin/grids/{code}/workers': admin(200),
  'GET /api/grid-admin/grids/{code}/history': admin(200),
  // 第二十八条 季节预测: as 热点分析; 预案提醒: a unit its own, the centre's supervisors, analysts and admins read all, only the
  // unit acknowledges (another unit's: 404); 月度分析: a unit its own (another unit's: 404), the centre's readers any unit
  // 第二十八条(三)(四) 新兴诉求词: as 热点分析 (a county centre's staff: their county), and a unit's people (the city's words,
  // their own unit's tickets behind a word)
  ...Object.fromEntries(
    ['/api/emerging-terms', '/api/emerging-terms/tickets'].map((p) => [
      `GET ${p}`,
      only({
        ...each(
          [
            'supervisor',
            'analyst',
            'admin',
            'agent_cx',
            'handler_md',
            'manager_md',
            'handler_cg',
            'handler_cx',
            'handler_dc',
          ],
          200,
        ),
      }),
    ]),
  ),
  // 新兴诉求提醒: as 预案提醒 (a unit its own; the centre's supervisors, analysts and admins all; the unit acknowledges)
  'GET /api/emerging-terms/reminders': only({
    ...each(
      ['supervisor', 'analyst', 'admin', 'handler_md', 'manager_md', 'handler_cg', 'handler_cx', 'handler_dc'],
      200,
    ),
  }),
  'POST /api/emerging-terms/reminders/{id}/acknowledge': only({
    handler_md: 200,
    manager_md: 200,
    handler_cg: 404,
    handler_cx: 404,
    handler_dc: 404,
  }),
  'GET /api/forecast/series': only({ ...each(['supervisor', 'analyst', 'admin'], 200), agent_cx: 200 }),
  'GET /api/forecast/rises': only({ ...each(['supervisor', 'analyst', 'admin'], 200), agent_cx: 200 }),
  'GET /api/forecast/reminders': only({
    ...each(
      ['supervisor', 'analyst', 'admin', 'handler_md', 'manager_md', 'handler_cg', 'handler_cx', 'handler_dc'],
      200,
    ),
  }),
  'POST /api/forecast/reminders/{id}/acknowledge': only({
    handler_md: 200,
    manager_md: 200,
    handler_cg: 404,
    handler_cx: 404,
    handler_dc: 404,
  }),
  ...Object.fromEntries(
    ['/api/unit-analysis', '/api/unit-analysis/report.pdf', '/api/unit-analysis/report.xlsx'].map((p) => [
      `GET ${p}`,
      only({
        ...each(['supervisor', 'analyst', 'admin', 'handler_md', 'manager_md'], 200),
        handler_cg: 404,
        handler_cx: 404,
        handler_dc: 404,
      }),
    ]),
  ),
  // 公众自助: published, public, in force — no account
  'GET /api/public/knowledge/search': pub(200),
  'GET /api/public/knowledge/articles/{id}': pub(200),
  'POST /api/public/knowledge/articles/{id}/feedback': pub(200),
  // Open311: reads are public; posting needs a partner system's api_key (a gateway's token is not one)
  'GET /open311/discovery.{format}': pub(200),
  'GET /open311/v2/discovery.{format}': pub(200),
  'GET /open311/v2/services.{format}': pub(200),
  'GET /open311/v2/services/{service_code}.{format}': pub(200),
  'GET /open311/v2/requests.{format}': pub(200),
  // GeoReport v2 answers a created request with 200 and the spec's error format (403) without an api_key
  'POST /open311/v2/requests.{format}': { ...partnerOnly(200), anonymous: 403 },
  'GET /open311/v2/requests/{service_request_id}.{format}': pub(200),
  'GET /open311/v2/tokens/{token}.{format}': pub(200),
  'GET /open311/v2/servicerequestupdates.{format}': pub(200),
  'POST /open311/v2/servicerequestupdates.{format}': { ...partnerOnly(200), anonymous: 403 },
  // channels: machine tokens; a person's session, even an admin's, is not a gateway
  'POST /api/channels/cti/events': gatewayOnly([200, 201]),
  // Server-Sent Events stay open: the agents' cell is proven in test/channels-cti.test.ts on a real socket
  'GET /api/channels/cti/stream': only({ agent: 'skip', agent_cx: 'skip' }),
  // 坐席状态 (issue 14): an agent's own state and shift; the supervisors' board of their centre; the gateway's routing
  'GET /api/presence/me': only({ agent: 200, agent_cx: 200 }),
  'PUT /api/presence/me': only({ agent: 200, agent_cx: 200 }),
  'GET /api/presence/me/shift': only({ agent: 200, agent_cx: 200 }),
  'GET /api/presence': only({ supervisor: 200 }),
  // saved views (issue 14): every person keeps their own; a machine token has none
  'GET /api/saved-views': { ...signedIn(200), gateway: 403, partner: 403 },
  'POST /api/saved-views': { ...signedIn(201), gateway: 403, partner: 403 },
  'DELETE /api/saved-views/{id}': { ...signedIn(204), gateway: 403, partner: 403 },
  'GET /api/channels/cti/agents': gatewayOnly(200),
  'POST /api/channels/sms/inbound': gatewayOnly(201),
  'GET /api/channels/weibo/outbox': gatewayOnly(200),
  'POST /api/channels/weibo/outbox/{id}/result': gatewayOnly(200),
  'POST /api/channels/weibo/messages': gatewayOnly(201),
  'POST /api/channels/partner/contacts': partnerOnly(201),
  // WeChat authenticates by the signature of the account's token
  'GET /wechat': pub(200),
  'POST /wechat': pub(200),
};

// 二级派单: 东城街道's handler answers as unit B's (城管局) on every row but its own, the assisting unit's step (城管局
// assists there) and 第二十九条's town views (a street's own staff read their street)
const HANDLER_DC_NOT_AS_CG: Record<string, Cell> = {
  'POST /api/tickets/{id}/assist-results': 404,
  'GET /api/towns': 200,
  'GET /api/towns/{code}/figures': 200,
  'GET /api/towns/{code}/tickets': 200,
};
for (const [op, row] of Object.entries(MATRIX))
  if (!op.includes('sub-dispatch')) row.handler_dc = HANDLER_DC_NOT_AS_CG[op] ?? row.handler_cg;
// 第二十九条: 东城街道's handler is that street's staff, whose town view is theirs
for (const op of ['GET /api/towns', 'GET /api/towns/{code}/figures', 'GET /api/towns/{code}/tickets'])
  MATRIX[op]!.handler_dc = 200;

/** Routes hidden from the document that still answer: listed here so they are walked too. */
const HIDDEN: Record<string, Row> = {
  'GET /healthz': pub(200),
  'GET /readyz': pub(200),
  // without METRICS_TOKEN (as here) /metrics does not exist for anyone; the token's 401/200 are in metrics-health.test.ts
  'GET /metrics': pub(404),
  // the OpenAPI document itself is public (it describes, it does not expose data)
  'GET /api/docs/json': pub(200),
};

/** What a refused call must not have changed (sessions and rate-limit counters aside). */
const WRITTEN = [
  'tickets',
  'sub_dispatches',
  'sub_dispatch_extensions',
  'ticket_events',
  'ticket_assignments',
  'applications',
  'consultations',
  'callbacks',
  'contacts',
  'attachments',
  'work_files',
  'requesters',
  'requester_flags',
  'evaluations',
  'staff_complaints',
  'supervision_rules',
  'supervision_cases',
  'supervision_case_events',
  'agent_presence',
  'agent_presence_log',
  'callback_attempts',
  'outbound_messages',
  'pii_access_log',
  'admin_audit',
  'users',
  'units',
  'categories',
  'catalogue_rules',
  'calendar_days',
  'time_limits',
  'api_tokens',
  'knowledge_flags',
  'knowledge_notices',
  'knowledge_synonyms',
  'knowledge_articles',
  'knowledge_versions',
  'knowledge_events',
  'knowledge_attachments',
  'webhook_subscriptions',
  'webhook_deliveries',
  'access_log',
  'assessment_schemes',
  'assessment_results',
  'assessment_appeals',
  'disclosure_reports',
  'matters',
  'matter_tickets',
  'matter_tasks',
  'matter_events',
  'warnings',
  'warning_events',
  'warning_words',
  'warning_settings',
  'notification_read_cursors',
  'unit_notify_phones',
];

// ---- requests ----------------------------------------------------------------------------------------------
interface Req {
  method: string;
  url: string;
  body?: unknown;
  raw?: { payload: string | Buffer; type: string };
  headers?: Record<string, string>;
  noAuth?: boolean;
}
interface Spec<F = any> {
  mutates?: boolean;
  fixture?: () => Promise<F>;
  req: (f: F, who: Who) => Promise<Req> | Req;
}

describeEachDb('第三十条 authorization matrix: every operation × every caller', (env) => {
  let e: TestEnv;
  const cookies = {} as Record<Who, string>;
  const tokens = {} as Record<'gateway' | 'partner', string>;
  let ip = 0;
  let seq = 0;
  const u = () => `${Date.now().toString(36)}${++seq}`;

  async function call(who: Who, r: Req) {
    const headers: Record<string, string> = { ...(r.headers ?? {}) };
    if (!r.noAuth && who !== 'anonymous') {
      if (who === 'gateway' || who === 'partner') headers.authorization = `Bearer ${tokens[who]}`;
      else headers.cookie = cookies[who];
    }
    if (r.raw) headers['content-type'] = r.raw.type;
    // each request from its own address: the public rate limits count per address
    ++ip;
    const res = await e.app.inject({
      method: r.method as 'GET',
      url: r.url,
      headers,
      payload: (r.raw?.payload ?? r.body) as never,
      remoteAddress: `10.${(ip >> 16) & 255}.${(ip >> 8) & 255}.${ip & 255}`,
    });
    return res;
  }
  async function as(who: Exclude<Who, 'anonymous'>, method: string, url: string, body?: unknown) {
    const res = await call(who, { method, url, body });
    if (res.statusCode >= 300) throw new Error(`fixture ${who} ${method} ${url}: ${res.statusCode} ${res.body}`);
    return res.body ? res.json() : null;
  }

  // ---- fixtures (real rows through the API) ----
  const cat = () => e.ids.categories['CX-SZ']!;
  /** a stored model that was in use before (the admin may roll back to it and read its figures) */
  const retiredModel = () => insertRetiredModel(e.db, e.clock, { categoryId: cat(), keywords: ['路灯'] });
  const unit = (code: string) => e.ids.units[code]!;
  async function ticket(region = '371702001', who: 'agent' | 'agent_cx' = 'agent', over: Record<string, unknown> = {}) {
    return as(who, 'POST', '/api/tickets', {
      requestType: 'complaint',
      categoryId: cat(),
      urgency: 'normal',
      regionCode: region,
      address: '和平路与中华路交叉口',
      title: '路灯不亮',
      content: '和平路路灯连续一周不亮，夜间通行危险。',
      requester: { name: '张秀英', phone: '13905301234' },
      ...over,
    }) as Promise<{ id: number; number: string; trackingCode: string }>;
  }
  async function dispatched(lead = 'gov-md', assist: string[] = [], region = '371702001') {
    const t = await ticket(region);
    await as('dispatcher', 'POST', `/api/tickets/${t.id}/dispatch`, {
      leadUnitId: unit(lead),
      assistUnitIds: assist.map(unit),
    });
    return t;
  }
  async function inProgress(assist: string[] = []) {
    const t = await dispatched('gov-md', assist);
    await as('handler_md', 'POST', `/api/tickets/${t.id}/accept`, {});
    return t;
  }
  async function contacted() {
    const t = await inProgress();
    await as('handler_md', 'POST', `/api/tickets/${t.id}/contacts`, {
      method: 'phone',
      reached: true,
      note: '已电话联系诉求人',
    });
    return t;
  }
  /** 二级派单: 牡丹区人民政府's accepted ticket passed to 东城街道 — waiting for its 签收, accepted, replied up. */
  async function subDispatched(stage: 'pending' | 'accepted' | 'submitted' = 'pending') {
    const t = await inProgress();
    const s = await as('handler_md', 'POST', `/api/tickets/${t.id}/sub-dispatches`, {
      unitId: unit('jd-dc'),
      instructions: '请东城街道核实现场并组织维修',
    });
    if (stage !== 'pending') await as('handler_dc', 'POST', `/api/sub-dispatches/${s.id}/accept`, {});
    if (stage === 'submitted')
      await as('handler_dc', 'POST', `/api/sub-dispatches/${s.id}/reply`, { result: '已更换灯具', solved: true });
    return { id: s.id as number, ticketId: t.id };
  }
  /** 第十六条: 东城街道's extension application waiting for 牡丹区人民政府. */
  async function subExtension() {
    const s = await subDispatched('accepted');
    return as('handler_dc', 'POST', `/api/sub-dispatches/${s.id}/extensions`, {
      reason: '需协调停电施工',
      progress: '已订购灯具',
      days: 1,
    }) as Promise<{ id: number }>;
  }
  /** 第十五条 审核: a handler's reply waiting for 牡丹区's manager (the setting is switched on for it, then off). */
  async function pendingSignoff(): Promise<{ id: number }> {
    const t = await contacted();
    await as('admin', 'PUT', `/api/units/${unit('gov-md')}/reply-signoff`, { replySignoff: true });
    await as('handler_md', 'POST', `/api/tickets/${t.id}/reply-signoffs`, { result: '已修复', solved: true });
    await as('admin', 'PUT', `/api/units/${unit('gov-md')}/reply-signoff`, { replySignoff: false });
    const list: { items: Array<{ id: number; ticketId: number }> } = await as(
      'manager_md',
      'GET',
      '/api/reply-signoffs',
    );
    return { id: list.items.find((i) => i.ticketId === t.id)!.id };
  }
  async function replied() {
    const t = await contacted();
    await as('handler_md', 'POST', `/api/tickets/${t.id}/reply`, { result: '已更换灯具，恢复照明', solved: true });
    return t;
  } /** 第二十四条: a 牡丹区 ticket closed 不满意, rolled up into the assessment (what a unit appeals). */
  async function unhappyAssessed() {
    const t = await replied();
    await as('callback', 'POST', `/api/tickets/${t.id}/callback`, {
      satisfaction: 'unsatisfied',
      resolved: false,
      reasonable: false,
      outcome: 'close',
    });
    await rollupAssessment(e.db, e.clock.now(), { lagMs: 0 });
    return t;
  }

  const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
  async function cityContact() {
    const k = await as('agent', 'POST', '/api/contacts', {
      channel: 'phone',
      externalId: `m-${u()}`,
      requester: { name: '刘先生', phone: '13905309876' },
      content: '和平路路灯不亮，晚上很黑',
      files: [{ name: '现场.png', dataBase64: PNG }],
    });
    const a = await e.db
      .selectFrom('attachments')
      .select('id')
      .where('contact_id', '=', k.id)
      .executeTakeFirstOrThrow();
    return { id: k.id as number, requesterId: k.requesterId as number, attachmentId: a.id };
  }
  async function application(kind: 'return' | 'dispute') {
    const t = await dispatched();
    const a = await as('handler_md', 'POST', `/api/tickets/${t.id}/${kind}-applications`, {
      reason: kind === 'return' ? '该事项不属于本单位职责' : '与城管局职责存在争议',
      materials: [{ name: '职责依据', description: '三定方案' }],
      proposedUnitIds: kind === 'dispute' ? [unit('cgj')] : undefined,
    });
    return a as { id: number };
  }
  /** 第十四、十五、二十四条: one picture as multipart/form-data, as antd's Upload sends it. */
  const workFileForm = () => {
    const boundary = '----matrixWorkFile';
    const payload = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="现场.png"\r\nContent-Type: image/png\r\n\r\n`,
      ),
      Buffer.from(PNG, 'base64'),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    return { payload, type: `multipart/form-data; boundary=${boundary}` };
  };
  /** 第十四条: 牡丹区's return application with an uploaded file. */
  async function returnWithFile() {
    const t = await dispatched();
    const up = await call('handler_md', { method: 'POST', url: '/api/work-files', raw: workFileForm() });
    if (up.statusCode !== 201) throw new Error(`work file fixture: ${up.statusCode} ${up.body}`);
    const fileId = up.json().fileId as number;
    await as('handler_md', 'POST', `/api/tickets/${t.id}/return-applications`, {
      reason: '该事项不属于本单位职责',
      materials: [{ name: '职责依据', fileId }],
    });
    return { fileId };
  }
  async function flag() {
    const k = await cityContact();
    return as('agent', 'POST', `/api/requesters/${k.requesterId}/flags`, {
      kind: 'harassment',
      detail: '来电辱骂话务员',
    }) as Promise<{ id: number }>;
  }
  /** 等保 2.0: a TOTP code of the secret, `ahead` seconds from the app's clock. */
  const totpAt = (secret: string, ahead: number) =>
    generateTotp({ secret, epoch: Math.floor(e.clock.now().getTime() / 1000) + ahead });
  /** A new second-factor secret of the person, pending until confirmed. */
  async function pendingSecret(who: Who): Promise<string> {
    return (await as(who as Exclude<Who, 'anonymous'>, 'POST', '/api/auth/totp/setup', {})).secret;
  }
  async function throwawayUser() {
    return as('admin', 'POST', '/api/users', {
      username: `m_${u()}`.toLowerCase().replace(/[^a-z0-9_]/g, ''),
      displayName: '临时用户',
      password: 'Welcome2025x',
      unitId: unit('centre'),
      roles: ['analyst'],
      scope: 'region',
    }) as Promise<{ id: number; username: string }>;
  }
  async function weiboOutbound() {
    const messageId = `wb-${u()}`;
    await as('gateway', 'POST', '/api/channels/weibo/messages', {
      messageId,
      senderUid: '5678901234',
      senderName: '小王',
      text: '咨询公积金提取',
      createdAt: '2025-03-03T10:00:00+08:00',
    });
    const k = await e.db
      .selectFrom('contacts')
      .select('id')
      .where('channel', '=', 'weibo')
      .where('external_id', '=', messageId)
      .executeTakeFirstOrThrow();
    await as('agent', 'POST', `/api/contacts/${k.id}/disposition`, {
      disposition: 'answered',
      answer: '可携带身份证到公积金中心办理',
    });
    const m = await e.db
      .selectFrom('outbound_messages')
      .select('id')
      .where('contact_id', '=', k.id)
      .where('channel', '=', 'weibo')
      .executeTakeFirstOrThrow();
    await as('gateway', 'GET', '/api/channels/weibo/outbox'); // the gateway claims it before it reports the result
    return m;
  }
  async function open311Request() {
    const res = await e.app.inject({
      method: 'POST',
      url: '/open311/v2/requests.json',
      payload: urlencoded({ ...streetLamp, api_key: tokens.partner }),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    if (res.statusCode >= 300) throw new Error(`open311 fixture: ${res.statusCode} ${res.body}`);
    const [r] = res.json();
    const contact = await e.db.selectFrom('contacts').select('id').orderBy('id', 'desc').executeTakeFirstOrThrow();
    return { id: r.service_request_id as string, token: (r.token ?? String(contact.id)) as string };
  }
  const webForm = (fields: Record<string, string>) => {
    const boundary = '----matrixBoundary';
    const body =
      Object.entries(fields)
        .map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`)
        .join('') + `--${boundary}--\r\n`;
    return { payload: Buffer.from(body), type: `multipart/form-data; boundary=${boundary}` };
  };
  const wechatQuery = (over: Record<string, string> = {}) => {
    const timestamp = '1740965401';
    const nonce = '1598476320';
    return new URLSearchParams({
      signature: wechatSignature(e.services.channels.settings.wechat.token!, timestamp, nonce),
      timestamp,
      nonce,
      openid: 'oMatrixOpenId0000000000000',
      ...over,
    }).toString();
  };
  const once = <T>(f: () => Promise<T>) => {
    let p: Promise<T> | undefined;
    return () => (p ??= f());
  };

  // 第二十一条: a draft of the city's report (by the supervisor), one the analyst drafted and submitted, a published one
  // 第二十八条(二): a 预案提醒 of 牡丹区人民政府, each for a month of its own (a unit is reminded of a month once)
  let reminderMonths = 0;
  const forecastReminder = async () => {
    const m = reminderMonths++;
    const month = `${2001 + Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}-01`;
    const r = await sql<{ id: number }>`
      INSERT INTO forecast_reminders (unit_id, month, reason, expected, average, last_year, created_at)
      VALUES (${unit('gov-md')}, ${month}::date, 'last_year_peak', 40, 20, 45, now()) RETURNING id`.execute(e.db);
    return { id: Number(r.rows[0]!.id) };
  };
  let emergingReminderWords = 0;
  const emergingReminder = async () => {
    const term = `提醒词${emergingReminderWords++}`;
    const r = await sql<{ id: number }>`
      INSERT INTO emerging_reminders (unit_id, week, region_code, term, words, recent, baseline, ratio, is_new,
        unit_tickets, sampled, created_at)
      VALUES (${unit('gov-md')}, '2025-02-24', '371700', ${term}, ARRAY[${term}], 11, 0, NULL, true, 3, 11, now())
      RETURNING id`.execute(e.db);
    return { id: Number(r.rows[0]!.id) };
  };
  const disclosureDraft = () =>
    as('supervisor', 'POST', '/api/disclosure/reports', { month: nextDisclosureMonth() }) as Promise<{ id: number }>;
  const disclosureInReview = async () => {
    const d = await as('analyst', 'POST', '/api/disclosure/reports', { month: nextDisclosureMonth() });
    await as('analyst', 'POST', `/api/disclosure/reports/${d.id}/submit`);
    return d as { id: number; month: string };
  };
  const disclosurePublished = once(async () => {
    const d = await disclosureInReview();
    await as('supervisor', 'POST', `/api/disclosure/reports/${d.id}/publish`);
    return d;
  });

  // 第三十条: a subscription of 牡丹区人民政府 (https to a closed loopback port: a test delivery fails fast) and dead letters
  const sharedSubscription = once(
    () =>
      as('admin', 'POST', '/api/sharing/subscriptions', {
        unitId: unit('gov-md'),
        name: '矩阵订阅',
        url: 'https://127.0.0.1:1/hz-hook',
        eventGroups: ['dispatch', 'reply'],
      }) as Promise<{ id: number }>,
  );
  const subscriptionVersion = async (id: number) =>
    (await e.db.selectFrom('webhook_subscriptions').select('version').where('id', '=', id).executeTakeFirstOrThrow())
      .version;
  const deadDelivery = async () => {
    const s = await sharedSubscription();
    return e.db
      .insertInto('webhook_deliveries')
      .values({
        subscription_id: s.id,
        kind: 'ping',
        status: 'dead',
        attempts: 3,
        next_attempt_at: e.clock.now(),
        created_at: e.clock.now(),
        dead_at: e.clock.now(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
  };

  // 第十八条: a public article of 牡丹区人民政府 (written as publishing leaves it), and a flag on it
  const kArticle = once(() =>
    insertPublishedArticle(e.db, e.clock, {
      ownerUnitId: unit('gov-md'),
      title: '住房公积金怎么提取',
      shortAnswer: '购房、退休等情形可提取，携带身份证到公积金中心办理。',
      visibility: 'public',
    }),
  );
  const kFlag = async () => {
    const k = await kArticle();
    return as('agent', 'POST', `/api/knowledge/articles/${k.id}/flags`, {
      reason: 'wrong',
      note: '电话已变更',
    }) as Promise<{
      id: number;
    }>;
  };

  // 第十八条 authoring fixtures: articles of 牡丹区人民政府 through the real workflow
  const kbContent = (over: Record<string, unknown> = {}) => ({
    title: `城区供暖什么时候开始${u()}`,
    aliases: ['暖气什么时候来'],
    answer: '城区集中供暖期为每年11月15日至次年3月15日，以供热主管部门通知为准。',
    shortAnswer: '城区供暖期为每年11月15日至次年3月15日。',
    visibility: 'public',
    categoryIds: [e.ids.categories['CX-GN']],
    regionCodes: ['371702'],
    effectiveFrom: '2025-01-01',
    ...over,
  });
  type KbState = { id: number; lockVersion: number; publishedVersionId: number | null; versionId?: number };
  const kbDraft = async (): Promise<KbState> => as('handler_md', 'POST', '/api/knowledge/articles', kbContent());
  const kbUnitReview = async (): Promise<KbState> => {
    const a = await kbDraft();
    return as('handler_md', 'POST', `/api/knowledge/articles/${a.id}/submit`, { lockVersion: a.lockVersion });
  };
  const kbCentreReview = async (): Promise<KbState> => {
    const a = await kbUnitReview();
    return as('manager_md', 'POST', `/api/knowledge/articles/${a.id}/approve`, { lockVersion: a.lockVersion });
  };
  const kbPublished = async (): Promise<KbState & { attachmentId: number }> => {
    const d = await kbDraft();
    const f = await as('handler_md', 'POST', `/api/knowledge/articles/${d.id}/attachments`, {
      name: '供热条例.pdf',
      dataBase64: Buffer.from('%PDF-1.4\n%%EOF\n').toString('base64'),
    });
    const lv = (await as('handler_md', 'GET', `/api/knowledge/articles/${d.id}`)).lockVersion;
    const s = await as('manager_md', 'POST', `/api/knowledge/articles/${d.id}/submit`, { lockVersion: lv });
    const p = await as('knowledge', 'POST', `/api/knowledge/articles/${d.id}/publish`, { lockVersion: s.lockVersion });
    return { ...p, attachmentId: f.id };
  };
  const kbShared = once(kbPublished);
  const kbNotice = once(async () => {
    const p = await kbShared();
    return e.db.selectFrom('knowledge_notices').select('id').where('article_id', '=', p.id).executeTakeFirstOrThrow();
  });
  const kbStep = (path: string, fixture: () => Promise<KbState>, body: (f: KbState) => unknown): Spec<KbState> => ({
    mutates: true,
    fixture,
    req: (f) => ({ method: 'POST', url: `/api/knowledge/articles/${f.id}/${path}`, body: body(f) }),
  });

  // 第九条: a requester's complaint about staff, through the public route, and the steps of its handling
  const complaint = async (): Promise<{ id: number }> => {
    const t = await ticket();
    const res = await e.app.inject({
      method: 'POST',
      url: '/api/public/tracking/complaint',
      payload: { number: t.number, code: t.trackingCode, content: '工作人员电话里态度粗暴' },
      remoteAddress: `10.201.0.${++ip & 255}`,
    });
    if (res.statusCode !== 201) throw new Error(`complaint fixture: ${res.statusCode} ${res.body}`);
    return res.json();
  };
  const complaintStepBy = async (c: { id: number }, path: string, body: unknown) => {
    await as('supervisor', 'POST', `/api/staff-complaints/${c.id}/${path}`, body);
    return c;
  };
  const investigating = async () => complaintStepBy(await complaint(), 'investigate', { note: '核查' });
  const concluded = async () =>
    complaintStepBy(await investigating(), 'conclude', { finding: 'substantiated', findingText: '属实' });
  const repliedComplaint = async () => complaintStepBy(await concluded(), 'reply', { text: '已处理' });
  const complaintStep = (path: string, fixture: () => Promise<{ id: number }>, body: unknown): Spec => ({
    mutates: path !== 'notes',
    fixture,
    req: (f) => ({ method: 'POST', url: `/api/staff-complaints/${f.id}/${path}`, body }),
  });
  // 第二十三条: a referral of 牡丹区人民政府 by the city centre
  const today = () => new Date(e.clock.now().getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
  const referralBody = () => ({
    subjectKind: 'unit',
    unitId: unit('gov-md'),
    conducts: ['inaction'],
    facts: '超期未办理',
    bodyName: '菏泽市纪委监委',
  });
  const referral = () => as('supervisor', 'POST', '/api/referrals', referralBody()) as Promise<{ id: number }>;
  // 第二十五、二十六条: a matter of 牡丹区 led by 牡丹区人民政府, optionally with a ticket, a unit or a task of the lead unit
  const matter = async (): Promise<{ id: number }> =>
    as('supervisor', 'POST', '/api/matters', {
      title: '丹阳社区污水管网',
      description: '污水外溢反复发生',
      regionCode: '371702001',
      leadUnitId: unit('gov-md'),
    }) as Promise<{ id: number }>;
  const matterWithTicket = async () => {
    const t = await ticket();
    const m = await matter();
    await as('supervisor', 'POST', `/api/matters/${m.id}/tickets`, { ticketIds: [t.id] });
    return { id: m.id, ticketId: t.id };
  };
  const matterWithTask = async () => {
    const m = await matter();
    const task = (await as('supervisor', 'POST', `/api/matters/${m.id}/tasks`, {
      title: '摸排管网',
      ownerUnitId: unit('gov-md'),
    })) as { id: number };
    return { id: m.id, taskId: task.id };
  };
  // 第二十二条: an open case by hand, and a proposal as the trigger job leaves it, on a 牡丹区 ticket of 牡丹区人民政府
  const supervisionCase = async (): Promise<{ id: number }> => {
    const t: { id: number } = await S.md();
    return as('supervisor', 'POST', '/api/supervision/cases', {
      trigger: 'other',
      ticketIds: [t.id],
      reason: '诉求人多次催办',
      method: 'phone',
      answerDays: 2,
    }) as Promise<{ id: number }>;
  };
  const supervisionProposal = async (): Promise<{ id: number }> => {
    const t: { id: number } = await S.md();
    const c = await e.db.transaction().execute((trx) =>
      openCase(
        trx,
        {
          trigger: 'refusal',
          causeKey: `refusal:matrix:${u()}`,
          unitId: unit('gov-md'),
          ticketIds: [t.id],
          reason: '退单申请经审核不成立',
          evidence: {},
        },
        { rule: null, mode: 'proposal', actor: null, now: e.clock.now() },
      ),
    );
    return { id: c!.id };
  };
  // 第二十七条: a warning of 东城街道 (牡丹区), as the scheduler's job raises one
  const warning = async (): Promise<{ id: number }> => {
    const key = `matrix:${u()}`;
    const now = e.clock.now();
    const r = await e.db.transaction().execute((trx) =>
      raiseWarning(
        trx,
        {
          kind: 'collective',
          level: 'yellow',
          regionCode: '371702001',
          categoryId: null,
          windowStart: now,
          windowEnd: now,
          title: '东城街道集体诉求',
          evidence: { ticketIds: [] },
          causeKey: key,
          dedupeKey: key,
        },
        now,
        () => null,
      ),
    );
    return { id: r!.id };
  };
  let ruleSeq = 0;

  // the shared, read-only fixtures
  const S = {
    md: once(() => inProgress()),
    cx: once(async () => {
      const t = await ticket('371721001', 'agent_cx');
      await as('dispatcher', 'POST', `/api/tickets/${t.id}/dispatch`, { leadUnitId: unit('gov-cx') });
      return t;
    }),
    contact: once(cityContact),
    cxContact: once(
      async () =>
        as('agent_cx', 'POST', '/api/contacts', {
          channel: 'phone',
          externalId: `cx-${u()}`,
          requester: { phone: '13905307777' },
          content: '曹县来电：咨询低保',
        }) as Promise<{ id: number }>,
    ),
    flag: once(flag),
    complaint: once(() => complaint()),
    investigating: once(() => investigating()),
    referral: once(() => referral()),
    matter: once(() => matter()),
    supervisionCase: once(() => supervisionCase()),
    open311: once(open311Request),
    user: once(throwawayUser),
    // 第二十九条: a citizen's ticket in 东城街道第一网格 (the matrix's grid worker answers for it)
    gridTicket: once(() => ticket('371702001101')),
  };

  const get = (url: string): Spec => ({ req: () => ({ method: 'GET', url }) });
  const SPECS: Record<string, Spec> = {
    'POST /api/auth/login': {
      req: () => ({ method: 'POST', url: '/api/auth/login', body: { username: 'analyst', password: DEMO_PASSWORD } }),
    },
    // a fresh session of the same user, so the shared one survives
    'POST /api/auth/logout': {
      req: async (_f, who) => {
        if (who === 'anonymous' || who === 'gateway' || who === 'partner')
          return { method: 'POST', url: '/api/auth/logout' };
        const res = await e.app.inject({
          method: 'POST',
          url: '/api/auth/login',
          payload: { username: USERNAMES[who], password: DEMO_PASSWORD },
        });
        const set = res.headers['set-cookie'];
        return {
          method: 'POST',
          url: '/api/auth/logout',
          headers: { cookie: (Array.isArray(set) ? set[0]! : set!).split(';')[0]! },
          noAuth: true,
        };
      },
    },
    'GET /api/auth/me': get('/api/auth/me'),
    'POST /api/auth/tokens': {
      req: () => ({
        method: 'POST',
        url: '/api/auth/tokens',
        body: { userId: e.ids.users['partner'], name: `matrix ${u()}` },
      }),
    },
    'GET /api/admin/login-locks': get('/api/admin/login-locks'),
    'POST /api/admin/users/{id}/unlock': {
      fixture: S.user,
      req: (f) => ({ method: 'POST', url: `/api/admin/users/${f.id}/unlock` }),
    },
    // a fresh user with a second factor per cell: each cell signs in once with a code of its own
    'POST /api/auth/login/totp': {
      mutates: true,
      fixture: async () => {
        const user = await throwawayUser();
        const secret = generateSecret();
        await e.db
          .updateTable('users')
          .set({ totp_secret_enc: e.cipher.encrypt(secret) })
          .where('id', '=', user.id)
          .execute();
        const first = await e.app.inject({
          method: 'POST',
          url: '/api/auth/login',
          payload: { username: user.username, password: 'Welcome2025x' },
        });
        return { secret, challenge: (first.json() as { challenge: string }).challenge };
      },
      req: async (f: { secret: string; challenge: string }) => ({
        method: 'POST',
        url: '/api/auth/login/totp',
        body: { challenge: f.challenge, code: await totpAt(f.secret, 0) },
      }),
    },
    // each person changes their own password once, from the demo password (nothing later signs in with it)
    'POST /api/auth/password': {
      req: () => ({
        method: 'POST',
        url: '/api/auth/password',
        body: { currentPassword: DEMO_PASSWORD, newPassword: `Mx#${u()}Zz` },
      }),
    },
    'POST /api/auth/totp/setup': { req: () => ({ method: 'POST', url: '/api/auth/totp/setup', body: {} }) },
    // a person's own enrolment: a new secret, confirmed with its current code
    'POST /api/auth/totp/enable': {
      req: async (_f, who) => ({
        method: 'POST',
        url: '/api/auth/totp/enable',
        body: { code: PEOPLE.includes(who) ? await totpAt(await pendingSecret(who), 0) : '123456' },
      }),
    },
    // switched off with the code of the next step (the current one may have confirmed the enrolment)
    'POST /api/auth/totp/disable': {
      req: async (_f, who) => {
        if (!PEOPLE.includes(who)) return { method: 'POST', url: '/api/auth/totp/disable', body: { code: '123456' } };
        const me = await call(who, { method: 'GET', url: '/api/auth/me' });
        let secret: string;
        if (me.json().totpEnabled) {
          const row = await e.db
            .selectFrom('users')
            .select('totp_secret_enc')
            .where('username', '=', USERNAMES[who as Exclude<Who, 'anonymous'>])
            .executeTakeFirstOrThrow();
          secret = e.cipher.decrypt(row.totp_secret_enc)!;
        } else {
          secret = await pendingSecret(who);
          await as(who as Exclude<Who, 'anonymous'>, 'POST', '/api/auth/totp/enable', {
            code: await totpAt(secret, 0),
          });
        }
        return { method: 'POST', url: '/api/auth/totp/disable', body: { code: await totpAt(secret, 30) } };
      },
    },
    'POST /api/users/{id}/totp/reset': {
      fixture: S.user,
      req: (f) => ({ method: 'POST', url: `/api/users/${f.id}/totp/reset`, body: {} }),
    },
    'GET /api/admin/security-settings': get('/api/admin/security-settings'),
    // no role is required a second factor: the matrix's sessions must go on working
    'PUT /api/admin/security-settings': {
      req: () => ({
        method: 'PUT',
        url: '/api/admin/security-settings',
        body: { passwordMinLength: 10, passwordHistory: 5, totpRequiredRoles: [] },
      }),
    },
    'GET /api/regions': get('/api/regions'),
    'GET /api/units': get('/api/units'),
    'POST /api/units': {
      req: () => ({
        method: 'POST',
        url: '/api/units',
        body: {
          code: `mx-${u()}`,
          name: `矩阵测试单位${u()}`,
          kind: 'other',
          tier: 'city',
          is24x7: false,
          regionCodes: [],
        },
      }),
    },
    'PATCH /api/units/{id}': {
      req: () => ({ method: 'PATCH', url: `/api/units/${unit('zjj')}`, body: { name: '菏泽市住房和城乡建设局' } }),
    },
    'GET /api/categories': get('/api/categories'),
    'POST /api/categories': {
      req: () => ({
        method: 'POST',
        url: '/api/categories',
        body: { code: `MX-${u()}`.toUpperCase(), name: '矩阵测试分类' },
      }),
    },
    'PATCH /api/categories/{id}': {
      req: () => ({ method: 'PATCH', url: `/api/categories/${e.ids.categories['JY-ZS']}`, body: { active: true } }),
    },
    'GET /api/admin/categories': get('/api/admin/categories'),
    // a category of its own per allowed cell, merged into 招生入学 (a usable leaf that stays one)
    'POST /api/categories/{id}/merge': {
      mutates: true,
      fixture: async () =>
        e.db
          .insertInto('categories')
          .values({ code: `MX-${u()}`.toUpperCase(), name: '矩阵合并分类', parent_id: null, level: 1 })
          .returning('id')
          .executeTakeFirstOrThrow(),
      req: (f: { id: number }) => ({
        method: 'POST',
        url: `/api/categories/${f.id}/merge`,
        body: { intoId: e.ids.categories['JY-ZS'] },
      }),
    },
    'GET /api/users': get('/api/users'),
    'POST /api/users': {
      req: () => ({
        method: 'POST',
        url: '/api/users',
        body: {
          username: `mu_${u()}`.toLowerCase().replace(/[^a-z0-9_]/g, ''),
          displayName: '矩阵用户',
          password: 'Welcome2025x',
          unitId: unit('centre'),
          roles: ['analyst'],
          scope: 'region',
        },
      }),
    },
    'PATCH /api/users/{id}': {
      fixture: S.user,
      req: (f) => ({ method: 'PATCH', url: `/api/users/${f.id}`, body: { displayName: '临时用户二' } }),
    },
    'POST /api/users/{id}/password': {
      fixture: S.user,
      req: (f) => ({ method: 'POST', url: `/api/users/${f.id}/password`, body: { password: 'Another2025x' } }),
    },
    'GET /api/catalogue-rules': get('/api/catalogue-rules'),
    'POST /api/catalogue-rules': {
      req: () => ({
        method: 'POST',
        url: '/api/catalogue-rules',
        body: {
          categoryId: e.ids.categories['JY-ZS'],
          regionCode: null,
          tier: 'city',
          basis: 'statutory',
          leadUnitId: unit('jyj'),
          note: 'matrix',
        },
      }),
    },
    'PATCH /api/catalogue-rules/{id}': {
      fixture: once(async () =>
        e.db
          .selectFrom('catalogue_rules')
          .select('id')
          .where('active', '=', true)
          .orderBy('id')
          .executeTakeFirstOrThrow(),
      ),
      req: (f) => ({ method: 'PATCH', url: `/api/catalogue-rules/${f.id}`, body: { active: true } }),
    },
    'POST /api/catalogue/resolve': {
      req: () => ({
        method: 'POST',
        url: '/api/catalogue/resolve',
        body: { categoryId: cat(), regionCode: '371702001' },
      }),
    },
    'GET /api/calendar/{year}': get('/api/calendar/2025'),
    'PUT /api/calendar/days/{date}': {
      req: () => ({ method: 'PUT', url: '/api/calendar/days/2030-06-03', body: { kind: 'holiday', name: '矩阵测试' } }),
    },
    'DELETE /api/calendar/days/{date}': { req: () => ({ method: 'DELETE', url: '/api/calendar/days/2030-06-03' }) },
    'GET /api/calendar/coverage': get('/api/calendar/coverage'),
    'GET /api/admin/calendar/coverage': get('/api/admin/calendar/coverage'),
    'GET /api/admin/calendar/years/{year}': get('/api/admin/calendar/years/2027'),
    'PUT /api/admin/calendar/years/{year}': {
      req: () => ({
        method: 'PUT',
        url: '/api/admin/calendar/years/2031',
        body: { holidays: [{ name: '元旦', from: '2031-01-01', to: '2031-01-01' }], workdays: [] },
      }),
    },
    'POST /api/admin/calendar/years/{year}/confirm-builtin': {
      req: () => ({ method: 'POST', url: '/api/admin/calendar/years/2025/confirm-builtin' }),
    },
    'POST /api/admin/calendar/years/{year}/import': {
      req: () => ({
        method: 'POST',
        url: '/api/admin/calendar/years/2032/import',
        body: {
          content: JSON.stringify({ holidays: [{ name: '元旦', from: '2032-01-01', to: '2032-01-01' }], workdays: [] }),
        },
      }),
    },
    'GET /api/time-limits': get('/api/time-limits'),
    'PUT /api/time-limits': {
      req: () => ({
        method: 'PUT',
        url: '/api/time-limits',
        body: {
          step: 'reply',
          categoryId: e.ids.categories['JY-ZS'],
          urgency: null,
          clock: null,
          amount: 5,
          unit: 'working_days',
        },
      }),
    },
    'GET /api/unreachable-reply-policy': get('/api/unreachable-reply-policy'),
    'PUT /api/unreachable-reply-policy': {
      fixture: once(async () => (await call('admin', { method: 'GET', url: '/api/unreachable-reply-policy' })).json()),
      req: (f) => ({
        method: 'PUT',
        url: '/api/unreachable-reply-policy',
        body: { minAttempts: f.minAttempts, minDistinctDays: f.minDistinctDays },
      }),
    },
    'GET /api/audit/pii-access': get('/api/audit/pii-access'),
    'GET /api/sharing/subscriptions': get('/api/sharing/subscriptions'),
    'POST /api/sharing/subscriptions': {
      req: () => ({
        method: 'POST',
        url: '/api/sharing/subscriptions',
        body: {
          unitId: unit('gov-md'),
          name: `矩阵${u()}`,
          url: 'https://md.example.gov.cn/hook',
          eventGroups: ['reply'],
        },
      }),
    },
    'PATCH /api/sharing/subscriptions/{id}': {
      fixture: sharedSubscription,
      req: async (f) => ({
        method: 'PATCH',
        url: `/api/sharing/subscriptions/${f.id}`,
        body: { name: `矩阵${u()}`, version: await subscriptionVersion(f.id) },
      }),
    },
    'POST /api/sharing/subscriptions/{id}/rotate-secret': {
      fixture: sharedSubscription,
      req: (f) => ({ method: 'POST', url: `/api/sharing/subscriptions/${f.id}/rotate-secret` }),
    },
    'POST /api/sharing/subscriptions/{id}/test': {
      fixture: sharedSubscription,
      req: (f) => ({ method: 'POST', url: `/api/sharing/subscriptions/${f.id}/test` }),
    },
    'GET /api/sharing/subscriptions/{id}/deliveries': {
      fixture: sharedSubscription,
      req: (f) => ({ method: 'GET', url: `/api/sharing/subscriptions/${f.id}/deliveries` }),
    },
    'POST /api/sharing/subscriptions/{id}/replay-dead': {
      fixture: sharedSubscription,
      req: (f) => ({ method: 'POST', url: `/api/sharing/subscriptions/${f.id}/replay-dead` }),
    },
    'POST /api/sharing/deliveries/{id}/replay': {
      mutates: true,
      fixture: deadDelivery,
      req: (f) => ({ method: 'POST', url: `/api/sharing/deliveries/${f.id}/replay` }),
    },
    'GET /api/admin/api-tokens': get('/api/admin/api-tokens'),
    'POST /api/admin/api-tokens': {
      req: () => ({
        method: 'POST',
        url: '/api/admin/api-tokens',
        body: { unitId: unit('gov-md'), name: `矩阵${u()}`, scopes: ['feed:read'] },
      }),
    },
    'POST /api/admin/api-tokens/{id}/revoke': {
      fixture: once(() =>
        as('admin', 'POST', '/api/admin/api-tokens', { unitId: unit('cgj'), name: '矩阵吊销', scopes: ['feed:read'] }),
      ),
      req: (f) => ({ method: 'POST', url: `/api/admin/api-tokens/${f.id}/revoke` }),
    },
    'GET /api/admin/pii-keys': get('/api/admin/pii-keys'),
    // the one allowed cell starts a rotation (no scheduler runs here, so it stays running; nothing else needs it)
    'POST /api/admin/pii-keys/rotations': {
      mutates: true,
      req: () => ({ method: 'POST', url: '/api/admin/pii-keys/rotations' }),
    },
    'GET /api/units/feed': get('/api/units/feed?limit=5'),
    'GET /api/units/feed/tickets.ndjson': get('/api/units/feed/tickets.ndjson'),
    'GET /api/units/feed/tickets.csv': get('/api/units/feed/tickets.csv'),
    'GET /api/audit/access': get('/api/audit/access?limit=5'),
    'GET /api/audit/access.csv': get('/api/audit/access.csv?kind=search'),
    'GET /api/audit/access/verify': get('/api/audit/access/verify'),
    'GET /api/audit/access/retention': get('/api/audit/access/retention'),
    'PUT /api/audit/access/retention': {
      req: () => ({ method: 'PUT', url: '/api/audit/access/retention', body: { days: 365 } }),
    },
    'GET /api/audit/admin': get('/api/audit/admin?limit=5'),
    'GET /api/audit/admin.csv': get('/api/audit/admin.csv?entity=user'),
    'POST /api/audit/exports': {
      req: () => ({
        method: 'POST',
        url: '/api/audit/exports',
        body: { screen: '工单查询', filter: { status: 'open' }, rows: 3 },
      }),
    },
    'POST /api/exports/tickets': {
      req: () => ({ method: 'POST', url: '/api/exports/tickets', body: { format: 'csv', status: ['dispatched'] } }),
    },
    'GET /api/exports/pii-access': get('/api/exports/pii-access?format=xlsx'),
    'POST /api/exports/table.xlsx': {
      req: () => ({
        method: 'POST',
        url: '/api/exports/table.xlsx',
        body: { screen: '知识库同义词', filter: {}, header: ['词', '同义词'], rows: [['社保', '社会保险']] },
      }),
    },
    'GET /api/audit/admin.xlsx': get('/api/audit/admin.xlsx?entity=user'),
    'GET /api/audit/access.xlsx': get('/api/audit/access.xlsx?kind=search'),
    'GET /api/knowledge/articles': get('/api/knowledge/articles?limit=5'),
    'POST /api/knowledge/articles': {
      req: (_f, who) => ({
        method: 'POST',
        url: '/api/knowledge/articles',
        body: kbContent(who === 'knowledge' ? { ownerUnitId: unit('gov-md') } : {}),
      }),
    },
    'GET /api/knowledge/articles/{id}': {
      fixture: kbShared,
      req: (f) => ({ method: 'GET', url: `/api/knowledge/articles/${f.id}` }),
    },
    'PUT /api/knowledge/articles/{id}': {
      mutates: true,
      fixture: kbDraft,
      req: (f) => ({
        method: 'PUT',
        url: `/api/knowledge/articles/${f.id}`,
        body: { ...kbContent(), changeReason: '矩阵测试', lockVersion: f.lockVersion },
      }),
    },
    'POST /api/knowledge/articles/{id}/submit': kbStep('submit', kbDraft, (f) => ({ lockVersion: f.lockVersion })),
    'POST /api/knowledge/articles/{id}/approve': kbStep('approve', kbUnitReview, (f) => ({
      lockVersion: f.lockVersion,
    })),
    'POST /api/knowledge/articles/{id}/return': kbStep('return', kbCentreReview, (f) => ({
      lockVersion: f.lockVersion,
      reason: '请补充政策依据',
    })),
    'POST /api/knowledge/articles/{id}/publish': kbStep('publish', kbCentreReview, (f) => ({
      lockVersion: f.lockVersion,
    })),
    'POST /api/knowledge/articles/{id}/discard': kbStep('discard', kbDraft, (f) => ({ lockVersion: f.lockVersion })),
    'POST /api/knowledge/articles/{id}/withdraw': kbStep('withdraw', kbPublished, (f) => ({
      lockVersion: f.lockVersion,
      reason: '政策已废止',
    })),
    'POST /api/knowledge/articles/{id}/confirm-valid': kbStep('confirm-valid', kbPublished, (f) => ({
      lockVersion: f.lockVersion,
    })),
    'POST /api/knowledge/articles/{id}/attachments': kbStep('attachments', kbDraft, () => ({
      name: '政策文件.pdf',
      dataBase64: Buffer.from('%PDF-1.4\n%%EOF\n').toString('base64'),
    })),
    'GET /api/knowledge/articles/{id}/versions': {
      fixture: kbShared,
      req: (f) => ({ method: 'GET', url: `/api/knowledge/articles/${f.id}/versions` }),
    },
    'GET /api/knowledge/versions/{id}': {
      fixture: kbShared,
      req: (f) => ({ method: 'GET', url: `/api/knowledge/versions/${f.publishedVersionId}` }),
    },
    'GET /api/knowledge/articles/{id}/compare': {
      fixture: kbShared,
      req: (f) => ({
        method: 'GET',
        url: `/api/knowledge/articles/${f.id}/compare?from=${f.publishedVersionId}&to=${f.publishedVersionId}`,
      }),
    },
    'GET /api/knowledge/attachments/{id}': {
      fixture: kbShared,
      req: (f) => ({ method: 'GET', url: `/api/knowledge/attachments/${f.attachmentId}` }),
    },
    'GET /api/public/knowledge/attachments/{id}': {
      fixture: kbShared,
      req: (f) => ({ method: 'GET', url: `/api/public/knowledge/attachments/${f.attachmentId}` }),
    },
    'GET /api/knowledge/review-queue': get('/api/knowledge/review-queue'),
    'GET /api/knowledge/notices': get('/api/knowledge/notices'),
    'POST /api/knowledge/notices/{id}/read': {
      fixture: kbNotice,
      req: (f) => ({ method: 'POST', url: `/api/knowledge/notices/${f.id}/read` }),
    },
    'GET /api/knowledge/settings': get('/api/knowledge/settings'),
    'PUT /api/knowledge/settings': {
      req: () => ({
        method: 'PUT',
        url: '/api/knowledge/settings',
        body: { expiryNoticeDays: 30, defaultReviewCycleDays: 180, staleGraceDays: 30 },
      }),
    },
    'GET /api/knowledge/freshness': get('/api/knowledge/freshness'),
    'POST /api/knowledge/proposals/from-ticket/{ticketId}': {
      fixture: once(replied),
      req: (f) => ({ method: 'POST', url: `/api/knowledge/proposals/from-ticket/${f.id}`, body: {} }),
    },
    'PUT /api/knowledge/push/articles/{externalId}': {
      req: () => ({ method: 'PUT', url: `/api/knowledge/push/articles/M-${u()}`, body: kbContent() }),
    },
    'GET /api/knowledge/push/articles/{externalId}': get('/api/knowledge/push/articles/M-1'),

    'POST /api/tickets': {
      req: () => ({
        method: 'POST',
        url: '/api/tickets',
        body: {
          requestType: 'complaint',
          categoryId: cat(),
          regionCode: '371702001',
          title: '路灯不亮',
          content: '和平路路灯不亮',
        },
      }),
    },
    'GET /api/tickets': {
      req: (_f, who) => ({
        method: 'GET',
        url: `/api/tickets?view=${['handler_md', 'manager_md', 'handler_cg', 'handler_cx', 'handler_dc'].includes(who) ? 'lead' : 'centre'}&limit=5`,
      }),
    },
    'POST /api/tickets/search': {
      req: () => ({ method: 'POST', url: '/api/tickets/search', body: { q: '路灯不亮' } }),
    },
    'GET /api/tickets/{id}': { fixture: S.md, req: (f) => ({ method: 'GET', url: `/api/tickets/${f.id}` }) },
    'POST /api/tickets/{id}/requester/reveal': {
      fixture: S.md,
      req: (f) => ({ method: 'POST', url: `/api/tickets/${f.id}/requester/reveal`, body: { purpose: '联系诉求人' } }),
    },
    'POST /api/tickets/{id}/dispatch': {
      mutates: true,
      fixture: () => ticket(),
      req: (f) => ({ method: 'POST', url: `/api/tickets/${f.id}/dispatch`, body: { leadUnitId: unit('gov-md') } }),
    },
    'POST /api/tickets/{id}/accept': {
      mutates: true,
      fixture: () => dispatched(),
      req: (f) => ({ method: 'POST', url: `/api/tickets/${f.id}/accept`, body: {} }),
    },
    'POST /api/tickets/{id}/contacts': {
      mutates: true,
      fixture: () => inProgress(),
      req: (f) => ({
        method: 'POST',
        url: `/api/tickets/${f.id}/contacts`,
        body: { method: 'phone', reached: true, note: '已联系' },
      }),
    },
    'POST /api/tickets/{id}/progress-reports': {
      mutates: true,
      fixture: () => inProgress(),
      req: (f) => ({
        method: 'POST',
        url: `/api/tickets/${f.id}/progress-reports`,
        body: { content: '已联系施工单位' },
      }),
    },
    'POST /api/tickets/{id}/assist-results': {
      mutates: true,
      fixture: () => inProgress(['cgj']),
      req: (f) => ({ method: 'POST', url: `/api/tickets/${f.id}/assist-results`, body: { result: '已配合清理' } }),
    },
    'POST /api/tickets/{id}/reply': {
      mutates: true,
      fixture: contacted,
      req: (f) => ({ method: 'POST', url: `/api/tickets/${f.id}/reply`, body: { result: '已修复', solved: true } }),
    },
    'POST /api/tickets/{id}/callback': {
      mutates: true,
      fixture: replied,
      req: (f) => ({
        method: 'POST',
        url: `/api/tickets/${f.id}/callback`,
        body: { satisfaction: 'satisfied', resolved: true, outcome: 'close' },
      }),
    },
    'GET /api/tickets/{id}/callback/attempts': {
      fixture: once(replied),
      req: (f) => ({ method: 'GET', url: `/api/tickets/${f.id}/callback/attempts` }),
    },
    'POST /api/tickets/{id}/callback/attempts': {
      mutates: true,
      fixture: replied,
      req: (f) => ({ method: 'POST', url: `/api/tickets/${f.id}/callback/attempts`, body: { outcome: 'unreached' } }),
    },
    'POST /api/tickets/{id}/callback/close-unreached': {
      mutates: true,
      // the requester declined once: the callback may end without an evaluation
      fixture: async () => {
        const t = await replied();
        await as('callback', 'POST', `/api/tickets/${t.id}/callback/attempts`, { outcome: 'refused' });
        return t;
      },
      req: (f) => ({ method: 'POST', url: `/api/tickets/${f.id}/callback/close-unreached`, body: {} }),
    },
    'POST /api/tickets/{id}/return-applications': {
      mutates: true,
      fixture: () => dispatched(),
      req: (f) => ({
        method: 'POST',
        url: `/api/tickets/${f.id}/return-applications`,
        body: { reason: '不属于本单位职责', materials: [{ name: '职责依据', description: '三定方案' }] },
      }),
    },
    'POST /api/tickets/{id}/extension-applications': {
      mutates: true,
      fixture: () => inProgress(),
      req: (f) => ({
        method: 'POST',
        url: `/api/tickets/${f.id}/extension-applications`,
        body: { reason: '需要协调多个部门', days: 3, progress: '已现场查看' },
      }),
    },
    'POST /api/tickets/{id}/termination-applications': {
      mutates: true,
      fixture: contacted,
      req: (f) => ({
        method: 'POST',
        url: `/api/tickets/${f.id}/termination-applications`,
        body: { reason: '诉求人要求明显不合理', case: 'unreasonable_request', materials: [{ name: '沟通记录' }] },
      }),
    },
    'POST /api/tickets/{id}/dispute-applications': {
      mutates: true,
      fixture: () => inProgress(),
      req: (f) => ({
        method: 'POST',
        url: `/api/tickets/${f.id}/dispute-applications`,
        body: { reason: '与城管局职责存在争议' },
      }),
    },
    'GET /api/applications': get('/api/applications'),
    'POST /api/applications/{id}/review': {
      mutates: true,
      fixture: () => application('return'),
      req: (f) => ({
        method: 'POST',
        url: `/api/applications/${f.id}/review`,
        body: { decision: 'reject', note: '属于本单位职责' },
      }),
    },
    'POST /api/applications/{id}/consultation': {
      mutates: true,
      fixture: () => application('dispute'),
      req: (f) => ({
        method: 'POST',
        url: `/api/applications/${f.id}/consultation`,
        body: {
          participantUnitIds: [unit('gov-md'), unit('cgj')],
          record: '会商确定由城管局承办',
          decidedUnitId: unit('cgj'),
        },
      }),
    },
    'POST /api/tickets/{id}/merge': {
      mutates: true,
      fixture: async () => ({ a: await ticket(), b: await ticket() }),
      req: (f) => ({ method: 'POST', url: `/api/tickets/${f.a.id}/merge`, body: { intoTicketId: f.b.id } }),
    },
    'POST /api/tickets/{id}/unmerge': {
      mutates: true,
      fixture: async () => {
        const [a, b] = [await ticket(), await ticket()];
        await as('dispatcher', 'POST', `/api/tickets/${a.id}/merge`, { intoTicketId: b.id });
        return a;
      },
      req: (f) => ({ method: 'POST', url: `/api/tickets/${f.id}/unmerge`, body: { note: '并非同一诉求' } }),
    },
    'POST /api/tickets/{id}/recall': {
      mutates: true,
      fixture: () => dispatched(),
      req: (f) => ({ method: 'POST', url: `/api/tickets/${f.id}/recall`, body: { reason: '派错单位' } }),
    },
    'POST /api/tickets/{id}/reassign': {
      mutates: true,
      fixture: () => dispatched(),
      req: (f) => ({
        method: 'POST',
        url: `/api/tickets/${f.id}/reassign`,
        body: { leadUnitId: unit('cgj'), reason: '属城管职责' },
      }),
    },
    'POST /api/tickets/dispatch-batch': {
      mutates: true,
      fixture: () => ticket(),
      req: (f) => ({ method: 'POST', url: '/api/tickets/dispatch-batch', body: { ticketIds: [f.id] } }),
    },
    'POST /api/tickets/{id}/reply-signoffs': {
      mutates: true,
      fixture: contacted,
      req: (f) => ({
        method: 'POST',
        url: `/api/tickets/${f.id}/reply-signoffs`,
        body: { result: '已修复', solved: true },
      }),
    },
    'GET /api/tickets/{id}/reply-signoffs': {
      fixture: S.md,
      req: (f) => ({ method: 'GET', url: `/api/tickets/${f.id}/reply-signoffs` }),
    },
    'GET /api/reply-signoffs': get('/api/reply-signoffs'),
    'POST /api/reply-signoffs/{id}/approve': {
      mutates: true,
      fixture: pendingSignoff,
      req: (f) => ({ method: 'POST', url: `/api/reply-signoffs/${f.id}/approve`, body: {} }),
    },
    'POST /api/reply-signoffs/{id}/return': {
      mutates: true,
      fixture: pendingSignoff,
      req: (f) => ({ method: 'POST', url: `/api/reply-signoffs/${f.id}/return`, body: { reason: '请补充维修时间' } }),
    },
    'GET /api/unit-workflow-settings': get('/api/unit-workflow-settings'),
    'GET /api/unit-handlers': get('/api/unit-handlers'),
    'GET /api/tickets/{id}/extension-limit': {
      fixture: S.md,
      req: (f) => ({ method: 'GET', url: `/api/tickets/${f.id}/extension-limit` }),
    },
    'GET /api/tickets/{id}/sub-dispatch-options': {
      fixture: S.md,
      req: (f) => ({ method: 'GET', url: `/api/tickets/${f.id}/sub-dispatch-options` }),
    },
    'POST /api/tickets/{id}/sub-dispatches': {
      mutates: true,
      fixture: () => inProgress(),
      req: (f) => ({
        method: 'POST',
        url: `/api/tickets/${f.id}/sub-dispatches`,
        body: { unitId: unit('jd-dc'), instructions: '请核实现场' },
      }),
    },
    'GET /api/tickets/{id}/sub-dispatches': {
      fixture: once(() => subDispatched()),
      req: (f) => ({ method: 'GET', url: `/api/tickets/${f.ticketId}/sub-dispatches` }),
    },
    'GET /api/sub-dispatches': get('/api/sub-dispatches?view=received&limit=5'),
    'POST /api/sub-dispatches/{id}/accept': {
      mutates: true,
      fixture: () => subDispatched(),
      req: (f) => ({ method: 'POST', url: `/api/sub-dispatches/${f.id}/accept`, body: {} }),
    },
    'POST /api/sub-dispatches/{id}/return': {
      mutates: true,
      fixture: () => subDispatched(),
      req: (f) => ({ method: 'POST', url: `/api/sub-dispatches/${f.id}/return`, body: { reason: '不属于本街道' } }),
    },
    'POST /api/sub-dispatches/{id}/recall': {
      mutates: true,
      fixture: () => subDispatched(),
      req: (f) => ({ method: 'POST', url: `/api/sub-dispatches/${f.id}/recall`, body: { reason: '改由本单位办理' } }),
    },
    'POST /api/sub-dispatches/{id}/reply': {
      mutates: true,
      fixture: () => subDispatched('accepted'),
      req: (f) => ({
        method: 'POST',
        url: `/api/sub-dispatches/${f.id}/reply`,
        body: { result: '已更换灯具', solved: true },
      }),
    },
    'POST /api/sub-dispatches/{id}/review': {
      mutates: true,
      fixture: () => subDispatched('submitted'),
      req: (f) => ({ method: 'POST', url: `/api/sub-dispatches/${f.id}/review`, body: { decision: 'approve' } }),
    },
    'POST /api/sub-dispatches/{id}/extensions': {
      mutates: true,
      fixture: () => subDispatched('accepted'),
      req: (f) => ({
        method: 'POST',
        url: `/api/sub-dispatches/${f.id}/extensions`,
        body: { reason: '需协调停电施工', progress: '已订购灯具', days: 1 },
      }),
    },
    'POST /api/sub-dispatch-extensions/{id}/review': {
      mutates: true,
      fixture: subExtension,
      req: (f) => ({
        method: 'POST',
        url: `/api/sub-dispatch-extensions/${f.id}/review`,
        body: { decision: 'approve' },
      }),
    },
    'POST /api/tickets/{id}/handler': {
      mutates: true,
      fixture: () => inProgress(),
      req: (f) => ({
        method: 'POST',
        url: `/api/tickets/${f.id}/handler`,
        body: { handlerId: e.ids.users['handler_md'] },
      }),
    },
    'GET /api/notifications': get('/api/notifications?limit=5'),
    'GET /api/notifications/unread': get('/api/notifications/unread'),
    'POST /api/notifications/read': {
      mutates: true,
      req: () => ({ method: 'POST', url: '/api/notifications/read', body: { all: true } }),
    },
    'GET /api/unit-notify-phones': get('/api/unit-notify-phones'),
    'PUT /api/units/{id}/notify-phone': {
      mutates: true,
      req: () => ({ method: 'PUT', url: `/api/units/${unit('gov-md')}/notify-phone`, body: { phone: '13800005678' } }),
    },
    'PUT /api/units/{id}/reply-signoff': {
      mutates: true,
      req: () => ({ method: 'PUT', url: `/api/units/${unit('gov-md')}/reply-signoff`, body: { replySignoff: false } }),
    },

    'GET /api/contacts': get('/api/contacts?limit=5'),
    'POST /api/contacts': {
      req: () => ({
        method: 'POST',
        url: '/api/contacts',
        body: { channel: 'phone', externalId: `mc-${u()}`, content: '咨询社保缴费' },
      }),
    },
    'GET /api/contacts/{id}/screen-pop': {
      fixture: S.contact,
      req: (f) => ({ method: 'GET', url: `/api/contacts/${f.id}/screen-pop` }),
    },
    'GET /api/contacts/{id}/duplicates': {
      fixture: S.contact,
      req: (f) => ({ method: 'GET', url: `/api/contacts/${f.id}/duplicates` }),
    },
    'POST /api/contacts/{id}/disposition': {
      mutates: true,
      fixture: cityContact,
      req: (f) => ({
        method: 'POST',
        url: `/api/contacts/${f.id}/disposition`,
        body: { disposition: 'answered', answer: '已告知维修电话' },
      }),
    },
    'POST /api/contacts/{id}/reveal': {
      fixture: S.contact,
      req: (f) => ({ method: 'POST', url: `/api/contacts/${f.id}/reveal`, body: { purpose: '核实诉求人' } }),
    },
    'POST /api/duplicates/search': {
      req: () => ({ method: 'POST', url: '/api/duplicates/search', body: { text: '和平路路灯不亮' } }),
    },
    'GET /api/requesters/{id}/history': {
      fixture: S.contact,
      req: (f) => ({ method: 'GET', url: `/api/requesters/${f.requesterId}/history` }),
    },
    'POST /api/requesters/{id}/flags': {
      fixture: S.contact,
      req: (f) => ({
        method: 'POST',
        url: `/api/requesters/${f.requesterId}/flags`,
        body: { kind: 'harassment', detail: '来电辱骂话务员' },
      }),
    },
    'GET /api/requester-flags': get('/api/requester-flags'),
    'GET /api/requester-flags/{id}': {
      fixture: S.flag,
      req: (f) => ({ method: 'GET', url: `/api/requester-flags/${f.id}` }),
    },
    'POST /api/requester-flags/{id}/review': {
      mutates: true,
      fixture: flag,
      req: (f) => ({ method: 'POST', url: `/api/requester-flags/${f.id}/review`, body: { decision: 'dismiss' } }),
    },
    'GET /api/attachments/{id}': {
      fixture: S.contact,
      req: (f) => ({ method: 'GET', url: `/api/attachments/${f.attachmentId}` }),
    },
    'POST /api/work-files': { req: () => ({ method: 'POST', url: '/api/work-files', raw: workFileForm() }) },
    'GET /api/work-files/{id}': {
      fixture: once(returnWithFile),
      req: (f) => ({ method: 'GET', url: `/api/work-files/${f.fileId}` }),
    },
    'GET /api/staff-complaints': get('/api/staff-complaints'),
    'GET /api/staff-complaints/{id}': {
      fixture: S.complaint,
      req: (f) => ({ method: 'GET', url: `/api/staff-complaints/${f.id}` }),
    },
    'POST /api/staff-complaints/{id}/investigate': complaintStep('investigate', complaint, { note: '调取通话录音' }),
    'POST /api/staff-complaints/{id}/notes': complaintStep('notes', S.investigating, { note: '录音显示语气生硬' }),
    'POST /api/staff-complaints/{id}/conclude': complaintStep('conclude', investigating, {
      finding: 'substantiated',
      findingText: '属实',
    }),
    'POST /api/staff-complaints/{id}/reply': complaintStep('reply', concluded, { text: '经核实属实，已批评教育' }),
    'POST /api/staff-complaints/{id}/close': complaintStep('close', repliedComplaint, {}),
    'GET /api/supervision/rules': get('/api/supervision/rules'),
    'PUT /api/supervision/rules/{code}': {
      mutates: true,
      req: () => ({
        method: 'PUT',
        url: '/api/supervision/rules/other',
        // each saved version starts later than the one before
        body: {
          enabled: true,
          mode: 'case',
          thresholds: { answerDays: 3, method: 'written' },
          effectiveFrom: new Date(e.clock.now().getTime() + ++ruleSeq * 60_000).toISOString(),
        },
      }),
    },
    'GET /api/supervision/cases': get('/api/supervision/cases?limit=5'),
    'POST /api/supervision/cases': {
      fixture: S.md,
      req: (f) => ({
        method: 'POST',
        url: '/api/supervision/cases',
        body: { trigger: 'negative', ticketIds: [f.id], reason: '媒体报道', method: 'onsite', answerDays: 2 },
      }),
    },
    'GET /api/supervision/cases/{id}': {
      fixture: S.supervisionCase,
      req: (f) => ({ method: 'GET', url: `/api/supervision/cases/${f.id}` }),
    },
    'GET /api/supervision/cases/{id}/notice.pdf': {
      fixture: S.supervisionCase,
      req: (f) => ({ method: 'GET', url: `/api/supervision/cases/${f.id}/notice.pdf` }),
    },
    'POST /api/supervision/cases/{id}/confirm': {
      mutates: true,
      fixture: supervisionProposal,
      req: (f) => ({ method: 'POST', url: `/api/supervision/cases/${f.id}/confirm`, body: { method: 'written' } }),
    },
    'POST /api/supervision/cases/{id}/dismiss': {
      mutates: true,
      fixture: supervisionProposal,
      req: (f) => ({ method: 'POST', url: `/api/supervision/cases/${f.id}/dismiss`, body: { note: '已另案督办' } }),
    },
    'POST /api/supervision/cases/{id}/answer': {
      mutates: true,
      fixture: supervisionCase,
      req: (f) => ({
        method: 'POST',
        url: `/api/supervision/cases/${f.id}/answer`,
        body: { answer: '已联系诉求人并处理' },
      }),
    },
    'POST /api/supervision/cases/{id}/decide': {
      mutates: true,
      fixture: supervisionCase,
      req: (f) => ({
        method: 'POST',
        url: `/api/supervision/cases/${f.id}/decide`,
        body: { decision: 'close', note: '办结' },
      }),
    },
    'GET /api/supervision/tickets/{id}': {
      fixture: S.md,
      req: (f) => ({ method: 'GET', url: `/api/supervision/tickets/${f.id}` }),
    },
    'GET /api/supervision/cards': get('/api/supervision/cards'),
    'POST /api/classification/suggest': {
      req: () => ({
        method: 'POST',
        url: '/api/classification/suggest',
        body: { body: '和平路路灯一周不亮，夜里很危险' },
      }),
    },
    'GET /api/classification/tickets/{id}/unit-suggestion': {
      fixture: () => ticket(),
      req: (f) => ({ method: 'GET', url: `/api/classification/tickets/${f.id}/unit-suggestion` }),
    },
    'POST /api/classification/tickets/{id}/category': {
      mutates: true,
      fixture: () => ticket(),
      req: (f) => ({
        method: 'POST',
        url: `/api/classification/tickets/${f.id}/category`,
        body: { categoryId: cat(), suggestedCategoryIds: [cat()] },
      }),
    },
    'GET /api/classification/models': get('/api/classification/models'),
    'POST /api/classification/models/train': {
      mutates: true,
      req: () => ({ method: 'POST', url: '/api/classification/models/train', body: {} }),
    },
    'GET /api/classification/models/{id}/categories': {
      // a stored model's per-category holdout figures are the admin's
      fixture: retiredModel,
      req: (f) => ({ method: 'GET', url: `/api/classification/models/${f.id}/categories` }),
    },
    'POST /api/classification/models/{id}/activate': {
      mutates: true,
      // a model that was in use before: rolling back to it is the admin's
      fixture: retiredModel,
      req: (f) => ({ method: 'POST', url: `/api/classification/models/${f.id}/activate`, body: {} }),
    },
    'GET /api/classification/take-rates': get('/api/classification/take-rates'),
    'GET /api/referrals': get('/api/referrals?limit=5'),
    'POST /api/referrals': { req: () => ({ method: 'POST', url: '/api/referrals', body: referralBody() }) },
    'GET /api/referrals/{id}': { fixture: S.referral, req: (f) => ({ method: 'GET', url: `/api/referrals/${f.id}` }) },
    'POST /api/referrals/{id}/accept': {
      mutates: true,
      fixture: referral,
      req: (f) => ({ method: 'POST', url: `/api/referrals/${f.id}/accept`, body: { acceptedOn: today() } }),
    },
    'POST /api/referrals/{id}/conclude': {
      mutates: true,
      fixture: async () => {
        const r = await referral();
        await as('supervisor', 'POST', `/api/referrals/${r.id}/accept`, { acceptedOn: today() });
        return r;
      },
      req: (f) => ({
        method: 'POST',
        url: `/api/referrals/${f.id}/conclude`,
        body: { result: '诫勉谈话', resultOn: today() },
      }),
    },
    'GET /api/referrals/{id}/evidence': {
      fixture: S.referral,
      req: (f) => ({ method: 'GET', url: `/api/referrals/${f.id}/evidence` }),
    },
    'GET /api/referrals/{id}/evidence.pdf': {
      fixture: S.referral,
      req: (f) => ({ method: 'GET', url: `/api/referrals/${f.id}/evidence.pdf` }),
    },
    'GET /api/matters': get('/api/matters?limit=5'),
    'POST /api/matters': {
      req: () => ({
        method: 'POST',
        url: '/api/matters',
        body: { title: '专题', description: '说明', regionCode: '371702001', leadUnitId: unit('gov-md') },
      }),
    },
    'GET /api/matters/candidates': get(`/api/matters/candidates?keywords=${encodeURIComponent('路灯')}`),
    'GET /api/matters/tasks': get('/api/matters/tasks'),
    'GET /api/matters/by-ticket/{id}': {
      fixture: S.md,
      req: (f) => ({ method: 'GET', url: `/api/matters/by-ticket/${f.id}` }),
    },
    'GET /api/matters/{id}': { fixture: S.matter, req: (f) => ({ method: 'GET', url: `/api/matters/${f.id}` }) },
    'GET /api/matters/{id}/figures': {
      fixture: S.matter,
      req: (f) => ({ method: 'GET', url: `/api/matters/${f.id}/figures` }),
    },
    'PUT /api/matters/{id}/plan': {
      mutates: true,
      fixture: matter,
      req: (f) => ({ method: 'PUT', url: `/api/matters/${f.id}/plan`, body: { plan: '分段改造' } }),
    },
    'POST /api/matters/{id}/tickets': {
      mutates: true,
      fixture: async () => ({ id: (await matter()).id, ticketId: (await ticket()).id }),
      req: (f) => ({ method: 'POST', url: `/api/matters/${f.id}/tickets`, body: { ticketIds: [f.ticketId] } }),
    },
    'POST /api/matters/{id}/tickets/unlink': {
      mutates: true,
      fixture: matterWithTicket,
      req: (f) => ({
        method: 'POST',
        url: `/api/matters/${f.id}/tickets/unlink`,
        body: { ticketIds: [f.ticketId], reason: '非同一事项' },
      }),
    },
    'POST /api/matters/{id}/units': {
      mutates: true,
      fixture: matter,
      req: (f) => ({
        method: 'POST',
        url: `/api/matters/${f.id}/units`,
        body: { unitId: unit('zjj'), role: '技术指导' },
      }),
    },
    'DELETE /api/matters/{id}/units/{unitId}': {
      mutates: true,
      fixture: async () => {
        const m = await matter();
        await as('supervisor', 'POST', `/api/matters/${m.id}/units`, { unitId: unit('zjj'), role: '技术指导' });
        return m;
      },
      req: (f) => ({ method: 'DELETE', url: `/api/matters/${f.id}/units/${unit('zjj')}` }),
    },
    'POST /api/matters/{id}/tasks': {
      mutates: true,
      fixture: matter,
      req: (f) => ({
        method: 'POST',
        url: `/api/matters/${f.id}/tasks`,
        body: { title: '编制方案', ownerUnitId: unit('zjj') },
      }),
    },
    'POST /api/matters/{id}/tasks/{taskId}/status': {
      mutates: true,
      fixture: matterWithTask,
      req: (f) => ({
        method: 'POST',
        url: `/api/matters/${f.id}/tasks/${f.taskId}/status`,
        body: { status: 'in_progress' },
      }),
    },
    'POST /api/matters/{id}/minutes': {
      mutates: true,
      fixture: matter,
      req: (f) => ({
        method: 'POST',
        url: `/api/matters/${f.id}/minutes`,
        body: { heldOn: today(), unitIds: [unit('gov-md')], summary: '会商', decisions: '分工' },
      }),
    },
    'POST /api/matters/{id}/measures': {
      mutates: true,
      fixture: matter,
      req: (f) => ({
        method: 'POST',
        url: `/api/matters/${f.id}/measures`,
        body: { title: '改造方案', content: '分段改造', effectiveOn: today() },
      }),
    },
    'POST /api/matters/{id}/transition': {
      mutates: true,
      fixture: matter,
      req: (f) => ({
        method: 'POST',
        url: `/api/matters/${f.id}/transition`,
        body: { action: 'study', reason: '开始研究' },
      }),
    },

    'GET /api/public/tracking': {
      fixture: S.md,
      req: (f) => ({ method: 'GET', url: `/api/public/tracking?number=${f.number}&code=${f.trackingCode}` }),
    },
    'POST /api/public/tracking/evaluate': {
      mutates: true,
      fixture: replied,
      req: (f) => ({
        method: 'POST',
        url: '/api/public/tracking/evaluate',
        body: { number: f.number, code: f.trackingCode, satisfaction: 'satisfied' },
      }),
    },
    'POST /api/public/tracking/complaint': {
      mutates: true,
      fixture: () => ticket(),
      req: (f) => ({
        method: 'POST',
        url: '/api/public/tracking/complaint',
        body: { number: f.number, code: f.trackingCode, content: '工作人员电话里态度粗暴' },
      }),
    },
    'GET /api/public/form-token': get('/api/public/form-token'),
    'GET /api/public/categories': get('/api/public/categories'),
    'GET /api/public/regions': get('/api/public/regions'),
    'POST /api/public/requests': {
      mutates: true,
      fixture: async () => {
        const token = (
          await e.app.inject({ method: 'GET', url: '/api/public/form-token', remoteAddress: `10.200.0.${++ip & 255}` })
        ).json().token as string;
        e.clock.set(new Date(e.clock.now().getTime() + 8_000)); // a person takes seconds to fill the form
        return { token };
      },
      req: (f) => ({
        method: 'POST',
        url: '/api/public/requests',
        raw: webForm({
          formToken: f.token,
          hz_trap: '',
          name: '赵敏',
          phone: '13805308888',
          content: '丹阳路菜市场门口污水外溢，气味很大。',
          address: '牡丹区丹阳路',
          category: '城市管理',
        }),
      }),
    },
    'GET /api/stats/overview': get('/api/stats/overview'),
    'GET /api/stats/queue-deadlines': {
      fixture: S.md,
      req: (f) => ({ method: 'GET', url: `/api/stats/queue-deadlines?ticketIds=${f.id}` }),
    },
    'GET /api/knowledge/search': get(`/api/knowledge/search?q=${encodeURIComponent('公积金怎么提取')}`),
    'POST /api/knowledge/suggestions': {
      req: () => ({ method: 'POST', url: '/api/knowledge/suggestions', body: { text: '我想问一下公积金怎么提取' } }),
    },
    'POST /api/knowledge/articles/{id}/flags': {
      fixture: kArticle,
      req: (f) => ({ method: 'POST', url: `/api/knowledge/articles/${f.id}/flags`, body: { reason: 'outdated' } }),
    },
    'GET /api/knowledge/flags': get('/api/knowledge/flags'),
    'POST /api/knowledge/flags/{id}/resolve': {
      mutates: true,
      fixture: kFlag,
      req: (f) => ({ method: 'POST', url: `/api/knowledge/flags/${f.id}/resolve`, body: { resolution: '已更新' } }),
    },
    'GET /api/knowledge/synonyms': get('/api/knowledge/synonyms'),
    'POST /api/knowledge/synonyms': {
      req: () => ({ method: 'POST', url: '/api/knowledge/synonyms', body: { terms: [`甲${u()}`, `乙${u()}`] } }),
    },
    'PATCH /api/knowledge/synonyms/{id}': {
      fixture: once(() => as('knowledge', 'POST', '/api/knowledge/synonyms', { terms: [`丙${u()}`, `丁${u()}`] })),
      req: (f) => ({ method: 'PATCH', url: `/api/knowledge/synonyms/${f.id}`, body: { active: false } }),
    },
    'GET /api/knowledge/figures': get('/api/knowledge/figures?from=2025-03-01&to=2025-03-31'),
    'GET /api/assessment/schemes': get('/api/assessment/schemes'),
    'POST /api/assessment/schemes': {
      req: () => ({
        method: 'POST',
        url: '/api/assessment/schemes',
        body: {
          unitGroup: 'utility',
          name: '矩阵方案',
          effectiveFrom: '2019-01-01',
          effectiveTo: '2019-12-31',
          indicators: [{ indicator: 'satisfaction', weight: 100, target: 90, cutoff: 60 }],
        },
      }),
    },
    'POST /api/assessment/schemes/{id}/retire': {
      mutates: true,
      fixture: () =>
        as('admin', 'POST', '/api/assessment/schemes', {
          unitGroup: 'town',
          name: `矩阵停用${u()}`,
          effectiveFrom: `${2000 + (seq % 17)}-01-01`,
          effectiveTo: `${2000 + (seq % 17)}-12-31`,
          indicators: [{ indicator: 'satisfaction', weight: 100, target: 90, cutoff: 60 }],
        }),
      req: (f) => ({
        method: 'POST',
        url: `/api/assessment/schemes/${f.id}/retire`,
        body: { effectiveTo: `${f.effectiveFrom.slice(0, 4)}-06-30` },
      }),
    },
    'GET /api/assessment/settings': get('/api/assessment/settings'),
    'PUT /api/assessment/settings': {
      req: () => ({ method: 'PUT', url: '/api/assessment/settings', body: { appealWindowWorkingDays: 5 } }),
    },
    'GET /api/assessment/results': get('/api/assessment/results?period=2025-03'),
    'POST /api/assessment/results': {
      req: () => ({ method: 'POST', url: '/api/assessment/results', body: { period: '2025-03' } }),
    },
    'GET /api/assessment/results/{id}/verify': {
      fixture: once(() => as('supervisor', 'POST', '/api/assessment/results', { period: '2025-03' })),
      req: (f) => ({ method: 'GET', url: `/api/assessment/results/${f.id}/verify` }),
    },
    'GET /api/assessment/drilldown': {
      req: () => ({
        method: 'GET',
        url: `/api/assessment/drilldown?period=2025-03&unitId=${unit('gov-md')}&indicator=satisfaction`,
      }),
    },
    'GET /api/assessment/appeals': get('/api/assessment/appeals'),
    'POST /api/assessment/appeals': {
      mutates: true,
      fixture: unhappyAssessed,
      req: (f) => ({
        method: 'POST',
        url: '/api/assessment/appeals',
        body: { ticketId: f.id, indicator: 'satisfaction', reason: '不满意评价不合理，诉求超出政策' },
      }),
    },
    'POST /api/assessment/appeals/{id}/decision': {
      mutates: true,
      fixture: async () => {
        const t = await unhappyAssessed();
        return as('handler_md', 'POST', '/api/assessment/appeals', {
          ticketId: t.id,
          indicator: 'satisfaction',
          reason: '不满意评价不合理，诉求超出政策',
        });
      },
      req: (f) => ({
        method: 'POST',
        url: `/api/assessment/appeals/${f.id}/decision`,
        body: { decision: 'accept', note: '经核实予以采纳' },
      }),
    },
    'GET /api/assessment/service-figures': get('/api/assessment/service-figures?from=2025-03-01&to=2025-03-31'),
    // 第二十一条 信息公开
    'GET /api/disclosure/reports': get('/api/disclosure/reports'),
    'POST /api/disclosure/reports': {
      mutates: true,
      req: () => ({ method: 'POST', url: '/api/disclosure/reports', body: { month: nextDisclosureMonth() } }),
    },
    'GET /api/disclosure/reports/{id}': {
      fixture: once(disclosureDraft),
      req: (f) => ({ method: 'GET', url: `/api/disclosure/reports/${f.id}` }),
    },
    'PUT /api/disclosure/reports/{id}': {
      mutates: true,
      fixture: disclosureDraft,
      req: (f) => ({ method: 'PUT', url: `/api/disclosure/reports/${f.id}`, body: { foreword: '本月热线运行平稳。' } }),
    },
    'DELETE /api/disclosure/reports/{id}': {
      mutates: true,
      fixture: disclosureDraft,
      req: (f) => ({ method: 'DELETE', url: `/api/disclosure/reports/${f.id}` }),
    },
    'POST /api/disclosure/reports/{id}/regenerate': {
      mutates: true,
      fixture: disclosureDraft,
      req: (f) => ({ method: 'POST', url: `/api/disclosure/reports/${f.id}/regenerate` }),
    },
    'POST /api/disclosure/reports/{id}/submit': {
      mutates: true,
      fixture: disclosureDraft,
      req: (f) => ({ method: 'POST', url: `/api/disclosure/reports/${f.id}/submit` }),
    },
    'POST /api/disclosure/reports/{id}/return': {
      mutates: true,
      fixture: disclosureInReview,
      req: (f) => ({ method: 'POST', url: `/api/disclosure/reports/${f.id}/return`, body: { note: '请补充说明' } }),
    },
    'POST /api/disclosure/reports/{id}/publish': {
      mutates: true,
      fixture: disclosureInReview,
      req: (f) => ({ method: 'POST', url: `/api/disclosure/reports/${f.id}/publish` }),
    },
    'GET /api/public/disclosure': get('/api/public/disclosure'),
    'GET /api/public/disclosure/{month}': {
      fixture: disclosurePublished,
      req: (f) => ({ method: 'GET', url: `/api/public/disclosure/${f.month}` }),
    },
    'GET /api/public/disclosure/data/{file}': {
      fixture: disclosurePublished,
      req: (f) => ({ method: 'GET', url: `/api/public/disclosure/data/${f.month}.csv` }),
    },
    'GET /api/analytics/filters': get('/api/analytics/filters'),
    'GET /api/analytics/volume': get('/api/analytics/volume?from=2025-03-01&to=2025-03-31'),
    'GET /api/analytics/trend': get('/api/analytics/trend?from=2025-03-01&to=2025-03-31&granularity=week'),
    'GET /api/analytics/rising': get('/api/analytics/rising?from=2025-03-01&to=2025-03-31'),
    'GET /api/analytics/tickets': get('/api/analytics/tickets?from=2025-03-01&to=2025-03-31'),
    // 第二十七条 风险预警
    'GET /api/warnings': get('/api/warnings?limit=5'),
    'GET /api/warnings/export': get('/api/warnings/export?format=csv&status=open'),
    'GET /api/warnings/assignees': get('/api/warnings/assignees'),
    'GET /api/warnings/{id}': { fixture: once(warning), req: (f) => ({ method: 'GET', url: `/api/warnings/${f.id}` }) },
    'POST /api/warnings/{id}/acknowledge': {
      mutates: true,
      fixture: warning,
      req: (f) => ({ method: 'POST', url: `/api/warnings/${f.id}/acknowledge`, body: {} }),
    },
    'POST /api/warnings/{id}/assign': {
      mutates: true,
      fixture: warning,
      req: async (f) => ({
        method: 'POST',
        url: `/api/warnings/${f.id}/assign`,
        body: {
          userId: (
            await e.db.selectFrom('users').select('id').where('username', '=', 'analyst').executeTakeFirstOrThrow()
          ).id,
        },
      }),
    },
    'POST /api/warnings/{id}/link': {
      mutates: true,
      fixture: async () => ({ id: (await warning()).id, matterId: (await matter()).id }),
      req: (f) => ({ method: 'POST', url: `/api/warnings/${f.id}/link`, body: { matterId: f.matterId } }),
    },
    'POST /api/warnings/{id}/close': {
      mutates: true,
      fixture: warning,
      req: (f) => ({ method: 'POST', url: `/api/warnings/${f.id}/close`, body: { note: '已核实处理' } }),
    },
    'GET /api/warning-rules': get('/api/warning-rules'),
    'POST /api/warning-rules/words': {
      mutates: true,
      req: () => ({ method: 'POST', url: '/api/warning-rules/words', body: { word: `词${u()}`, level: 'orange' } }),
    },
    'PUT /api/warning-rules/words/{id}': {
      mutates: true,
      fixture: async () =>
        e.db
          .insertInto('warning_words')
          .values({ word: `词${u()}`, level: 'yellow' })
          .returning('id')
          .executeTakeFirstOrThrow(),
      req: (f) => ({ method: 'PUT', url: `/api/warning-rules/words/${f.id}`, body: { active: false } }),
    },
    'PUT /api/warning-rules/settings': {
      mutates: true,
      req: () => ({
        method: 'PUT',
        url: '/api/warning-rules/settings',
        body: { collectiveRequesters: 5, collectiveHours: 24, spikeSeries: 200 },
      }),
    },
    'GET /api/grids/mine': get('/api/grids/mine'),
    'POST /api/grids/reports': {
      req: () => ({
        method: 'POST',
        url: '/api/grids/reports',
        body: {
          gridCode: '371702001101',
          categoryId: cat(),
          title: '井盖缺失',
          address: '东城街道和平路128号',
          content: '巡查发现人行道井盖缺失，需尽快补装。',
        },
      }),
    },
    'GET /api/grids/tickets': get('/api/grids/tickets?view=grid&limit=5'),
    'GET /api/grids/tickets/{id}': {
      fixture: S.gridTicket,
      req: (f) => ({ method: 'GET', url: `/api/grids/tickets/${f.id}` }),
    },
    'GET /api/towns': get('/api/towns'),
    'GET /api/grid-admin/towns': get('/api/grid-admin/towns'),
    'GET /api/grid-admin/towns/{code}': get('/api/grid-admin/towns/371702001'),
    'POST /api/grid-admin/towns/{code}/grids': {
      mutates: true,
      req: () => ({ method: 'POST', url: '/api/grid-admin/towns/371702001/grids', body: { name: `网格${u()}` } }),
    },
    'PATCH /api/grid-admin/grids/{code}': {
      mutates: true,
      fixture: () => as('admin', 'POST', '/api/grid-admin/towns/371702001/grids', { name: `网格${u()}` }),
      req: (f: { code: string }) => ({
        method: 'PATCH',
        url: `/api/grid-admin/grids/${f.code}`,
        body: { centre: { lng: 115.5, lat: 35.25 } },
      }),
    },
    'PUT /api/grid-admin/grids/{code}/workers': {
      mutates: true,
      fixture: () => as('admin', 'POST', '/api/grid-admin/towns/371702001/grids', { name: `网格${u()}` }),
      req: (f: { code: string }) => ({
        method: 'PUT',
        url: `/api/grid-admin/grids/${f.code}/workers`,
        body: { userIds: [e.ids.users['grid_dc']] },
      }),
    },
    'GET /api/grid-admin/grids/{code}/history': get('/api/grid-admin/grids/371702001101/history'),
    'GET /api/towns/{code}/figures': get('/api/towns/371702001/figures?from=2025-03-01&to=2025-03-31'),
    'GET /api/towns/{code}/tickets': get('/api/towns/371702001/tickets?from=2025-03-01&to=2025-03-31&limit=5'),
    'GET /api/emerging-terms': get('/api/emerging-terms'),
    'GET /api/emerging-terms/tickets': get(
      `/api/emerging-terms/tickets?term=${encodeURIComponent('预付卡')}&week=2025-02-24`,
    ),
    'GET /api/emerging-terms/reminders': get('/api/emerging-terms/reminders'),
    'POST /api/emerging-terms/reminders/{id}/acknowledge': {
      mutates: true,
      fixture: emergingReminder,
      req: (f) => ({ method: 'POST', url: `/api/emerging-terms/reminders/${f.id}/acknowledge` }),
    },
    'GET /api/forecast/series': get('/api/forecast/series'),
    'GET /api/forecast/rises': get('/api/forecast/rises'),
    'GET /api/forecast/reminders': get('/api/forecast/reminders'),
    'POST /api/forecast/reminders/{id}/acknowledge': {
      mutates: true,
      fixture: forecastReminder,
      req: (f) => ({ method: 'POST', url: `/api/forecast/reminders/${f.id}/acknowledge` }),
    },
    'GET /api/unit-analysis': {
      req: () => ({ method: 'GET', url: `/api/unit-analysis?month=2025-03&unitId=${unit('gov-md')}` }),
    },
    'GET /api/unit-analysis/report.pdf': {
      req: () => ({ method: 'GET', url: `/api/unit-analysis/report.pdf?month=2025-03&unitId=${unit('gov-md')}` }),
    },
    'GET /api/unit-analysis/report.xlsx': {
      req: () => ({ method: 'GET', url: `/api/unit-analysis/report.xlsx?month=2025-03&unitId=${unit('gov-md')}` }),
    },
    'GET /api/public/knowledge/search': get(`/api/public/knowledge/search?q=${encodeURIComponent('公积金提取')}`),
    'GET /api/public/knowledge/articles/{id}': {
      fixture: kArticle,
      req: (f) => ({ method: 'GET', url: `/api/public/knowledge/articles/${f.id}` }),
    },
    'POST /api/public/knowledge/articles/{id}/feedback': {
      fixture: kArticle,
      req: (f) => ({ method: 'POST', url: `/api/public/knowledge/articles/${f.id}/feedback`, body: { helpful: true } }),
    },

    'GET /open311/discovery.{format}': get('/open311/discovery.json'),
    'GET /open311/v2/discovery.{format}': get('/open311/v2/discovery.json'),
    'GET /open311/v2/services.{format}': get('/open311/v2/services.json'),
    'GET /open311/v2/services/{service_code}.{format}': get('/open311/v2/services/CX-SZ.json'),
    'GET /open311/v2/requests.{format}': get('/open311/v2/requests.json'),
    // the api_key is the caller's own token where it has one
    'POST /open311/v2/requests.{format}': {
      req: (_f, who) => ({
        method: 'POST',
        url: '/open311/v2/requests.json',
        raw: {
          payload: urlencoded({
            ...streetLamp,
            ...(who === 'gateway' || who === 'partner' ? { api_key: tokens[who] } : {}),
          }),
          type: 'application/x-www-form-urlencoded',
        },
      }),
    },
    'GET /open311/v2/requests/{service_request_id}.{format}': {
      fixture: S.open311,
      req: (f) => ({ method: 'GET', url: `/open311/v2/requests/${f.id}.json` }),
    },
    'GET /open311/v2/tokens/{token}.{format}': {
      fixture: S.open311,
      req: (f) => ({ method: 'GET', url: `/open311/v2/tokens/${f.token}.json` }),
    },
    'GET /open311/v2/servicerequestupdates.{format}': get('/open311/v2/servicerequestupdates.json'),
    'POST /open311/v2/servicerequestupdates.{format}': {
      fixture: S.open311,
      req: (f, who) => ({
        method: 'POST',
        url: '/open311/v2/servicerequestupdates.json',
        raw: {
          payload: urlencoded({
            service_request_id: f.id,
            update_id: `u-${u()}`,
            description: '路灯还是不亮',
            status: 'OPEN',
            updated_datetime: '2025-03-03T11:00:00+08:00',
            ...(who === 'gateway' || who === 'partner' ? { api_key: tokens[who] } : {}),
          }),
          type: 'application/x-www-form-urlencoded',
        },
      }),
    },
    'POST /api/channels/cti/events': {
      req: () => ({
        method: 'POST',
        url: '/api/channels/cti/events',
        body: {
          type: 'call.offered',
          callId: `call-${u()}`,
          caller: '13905305555',
          callee: '12345',
          at: '2025-03-03T09:30:00+08:00',
        },
      }),
    },
    'GET /api/channels/cti/stream': get('/api/channels/cti/stream'),
    'GET /api/presence/me': get('/api/presence/me'),
    'PUT /api/presence/me': {
      mutates: true,
      req: () => ({ method: 'PUT', url: '/api/presence/me', body: { state: 'break', reason: '就餐' } }),
    },
    'GET /api/presence/me/shift': get('/api/presence/me/shift?hours=8'),
    'GET /api/presence': get('/api/presence'),
    'GET /api/saved-views': get('/api/saved-views?screen=ticket-search'),
    'POST /api/saved-views': {
      mutates: true,
      req: () => ({
        method: 'POST',
        url: '/api/saved-views',
        body: { screen: 'ticket-search', name: `视图${u()}`, params: { status: 'open' } },
      }),
    },
    // each caller deletes a view of its own (another's is 404: test/saved-views.test.ts)
    'DELETE /api/saved-views/{id}': {
      mutates: true,
      req: async (_f, who) => {
        if (who === 'anonymous') return { method: 'DELETE', url: '/api/saved-views/1' };
        const v = await e.db
          .insertInto('saved_views')
          .values({
            user_id: e.ids.users[USERNAMES[who]]!,
            screen: 'ticket-search',
            name: `删${u()}`,
            params: JSON.stringify({}),
            created_at: new Date(),
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        return { method: 'DELETE', url: `/api/saved-views/${v.id}` };
      },
    },
    'GET /api/channels/cti/agents': get('/api/channels/cti/agents'),
    'POST /api/channels/sms/inbound': {
      req: () => ({
        method: 'POST',
        url: '/api/channels/sms/inbound',
        body: {
          messageId: `sms-${u()}`,
          from: '13905306666',
          to: '106512345',
          text: '小区门口路灯坏了',
          receivedAt: '2025-03-03T20:15:00+08:00',
        },
      }),
    },
    'GET /api/channels/weibo/outbox': get('/api/channels/weibo/outbox'),
    'POST /api/channels/weibo/outbox/{id}/result': {
      mutates: true,
      fixture: weiboOutbound,
      req: (f) => ({
        method: 'POST',
        url: `/api/channels/weibo/outbox/${f.id}/result`,
        body: { delivered: true, providerId: `p-${u()}` },
      }),
    },
    'POST /api/channels/weibo/messages': {
      req: () => ({
        method: 'POST',
        url: '/api/channels/weibo/messages',
        body: {
          messageId: `wb-${u()}`,
          senderUid: '5678901234',
          senderName: '小王',
          text: '红绿灯坏了',
          createdAt: '2025-03-03T10:00:00+08:00',
        },
      }),
    },
    'POST /api/channels/partner/contacts': {
      req: () => ({
        method: 'POST',
        url: '/api/channels/partner/contacts',
        body: {
          externalId: `p-${u()}`,
          content: '曹县某小区供暖不热',
          requester: { name: '孙立', phone: '13605301111' },
        },
      }),
    },
    'GET /wechat': { req: () => ({ method: 'GET', url: `/wechat?${wechatQuery({ echostr: 'matrix-echo' })}` }) },
    'POST /wechat': {
      req: () => ({
        method: 'POST',
        url: `/wechat?${wechatQuery()}`,
        raw: {
          type: 'text/xml',
          payload: `<xml><ToUserName><![CDATA[gh_3f1e2d4c5b6a]]></ToUserName><FromUserName><![CDATA[oMatrixOpenId0000000000000]]></FromUserName><CreateTime>1740965400</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[路灯不亮]]></Content><MsgId>${Date.now()}${++seq}</MsgId></xml>`,
        },
      }),
    },
    'GET /healthz': get('/healthz'),
    'GET /readyz': get('/readyz'),
    'GET /metrics': get('/metrics'),
    'GET /api/docs/json': get('/api/docs/json'),
  };

  beforeAll(async () => {
    e = env();
    for (const who of PEOPLE) {
      const res = await e.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: USERNAMES[who as Exclude<Who, 'anonymous'>], password: DEMO_PASSWORD },
      });
      if (res.statusCode !== 200) throw new Error(`login ${who}: ${res.statusCode}`);
      const set = res.headers['set-cookie'];
      cookies[who] = (Array.isArray(set) ? set[0]! : set!).split(';')[0]!;
    }
    for (const m of ['gateway', 'partner'] as const) {
      tokens[m] = (
        await as('admin', 'POST', '/api/auth/tokens', { userId: e.ids.users[m], name: `matrix ${m}` })
      ).token;
    }
  });

  // row counts, plus every ticket's version, disposed contacts and reviewed flags (state changes without new rows)
  async function fingerprint() {
    const parts = WRITTEN.map((t) => sql`(SELECT count(*) FROM ${sql.table(t)})`);
    const r = await sql<{ f: string }>`SELECT concat_ws(',', ${sql.join(parts)},
      (SELECT coalesce(sum(version), 0) FROM tickets), (SELECT count(*) FROM contacts WHERE status = 'disposed'),
      (SELECT count(*) FROM requester_flags WHERE status <> 'open'), (SELECT count(*) FROM users WHERE active)) AS f`.execute(
      e.db,
    );
    return r.rows[0]!.f;
  }

  const matches = (cell: Cell, status: number) =>
    cell === 'skip' || (Array.isArray(cell) ? cell.includes(status) : cell === status);
  const refused = (cell: Cell) => cell !== 'skip' && (Array.isArray(cell) ? cell : [cell]).every((s) => s >= 400);

  /** Runs one row; returns the cells whose status differs from the table. */
  async function runRow(op: string, row: Row): Promise<string[]> {
    const spec = SPECS[op];
    if (!spec) return [`${op}: no request written for this operation`];
    const wrong: string[] = [];
    const check = async (who: Who, f: unknown) => {
      const res = await call(who, await spec.req(f, who));
      if (!matches(row[who], res.statusCode))
        wrong.push(
          `${op} × ${who}: expected ${JSON.stringify(row[who])}, got ${res.statusCode} ${res.body.slice(0, 160)}`,
        );
    };
    const runnable = ACTORS.filter((w) => row[w] !== 'skip');
    const denied = runnable.filter((w) => refused(row[w]));
    const allowed = runnable.filter((w) => !refused(row[w]));
    const shared = spec.fixture ? await spec.fixture() : undefined;
    const before = await fingerprint();
    for (const who of denied) await check(who, shared);
    const after = await fingerprint();
    if (after !== before) wrong.push(`${op}: the refused cells changed data: ${before} → ${after}`);
    for (const who of allowed) await check(who, spec.mutates && spec.fixture ? await spec.fixture() : shared);
    return wrong;
  }

  it('every operation of the OpenAPI document has a row, and every row an operation', () => {
    const doc = e.app.swagger() as { paths: Record<string, Record<string, unknown>> };
    const ops = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.keys(item)
        .filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
        .map((m) => `${m.toUpperCase()} ${path}`),
    );
    expect({
      missingRows: ops.filter((o) => !(o in MATRIX)).sort(),
      rowsWithoutOperation: Object.keys(MATRIX)
        .filter((k) => !ops.includes(k))
        .sort(),
    }).toEqual({ missingRows: [], rowsWithoutOperation: [] });
    expect(Object.keys(SPECS).filter((k) => !(k in MATRIX) && !(k in HIDDEN))).toEqual([]);
  });

  // in slices of rows, each with its own time: the table grows with every route and every caller, and one test
  // over all of it outgrew any timeout a loaded 2-core machine can promise
  const ALL_ROWS = [...Object.entries(MATRIX), ...Object.entries(HIDDEN)];
  const SLICE = 50;
  for (let from = 0; from < ALL_ROWS.length; from += SLICE) {
    const slice = ALL_ROWS.slice(from, from + SLICE);
    it(`every cell answers the declared status (rows ${from + 1}–${from + slice.length})`, async () => {
      const wrong: string[] = [];
      for (const [op, row] of slice) wrong.push(...(await runRow(op, row)));
      expect(wrong).toEqual([]);
    }, 240_000);
  }

  // Scope probes beyond the operation rows: the same operations on other data.
  it('scope probes: another county’s ticket and contact, another unit’s ticket, the county’s own region', async () => {
    const wrong: string[] = [];
    const probe = async (name: string, row: Row, req: () => Promise<Req>) => {
      for (const who of ACTORS) {
        if (row[who] === 'skip') continue;
        const res = await call(who, await req());
        if (!matches(row[who], res.statusCode))
          wrong.push(
            `${name} × ${who}: expected ${JSON.stringify(row[who])}, got ${res.statusCode} ${res.body.slice(0, 160)}`,
          );
      }
    };
    const cx = await S.cx();
    // a 曹县 ticket: the city centre (whose regions include 曹县), 曹县's centre and 曹县人民政府 see it; 牡丹区 and 城管局 do not
    await probe(
      'GET /api/tickets/{id} · 曹县 ticket',
      only({ ...each(CITY_CENTRE, 200), agent_cx: 200, handler_cx: 200 }, 404),
      async () => ({ method: 'GET', url: `/api/tickets/${cx.id}` }),
    );
    const cxContact = await S.cxContact();
    await probe(
      'GET /api/contacts/{id}/screen-pop · 曹县 contact',
      only({ agent: 200, dispatcher: 200, supervisor: 200, agent_cx: 200 }),
      async () => ({ method: 'GET', url: `/api/contacts/${cxContact.id}/screen-pop` }),
    );
    await probe('POST /api/tickets · 曹县 region', only({ agent: 201, agent_cx: 201 }), async () => ({
      method: 'POST',
      url: '/api/tickets',
      body: {
        requestType: 'complaint',
        categoryId: cat(),
        regionCode: '371721001',
        title: '路灯不亮',
        content: '倪集街道路灯不亮',
      },
    }));
    // 城管局 assisting on a 牡丹区 ticket sees it; 住建局 and the rest do not
    const assisted = await inProgress(['cgj']);
    await probe(
      'GET /api/tickets/{id} · assisted by unit B',
      only({ ...each(CITY_CENTRE, 200), handler_md: 200, manager_md: 200, handler_cg: 200 }, 404),
      async () => ({ method: 'GET', url: `/api/tickets/${assisted.id}` }),
    );
    expect(wrong).toEqual([]);
  }, 120_000);

  it('第三十三条 the reported unit’s view, queue and answers carry no requester text', async () => {
    const k = await as('agent', 'POST', '/api/contacts', {
      channel: 'phone',
      externalId: `r-${u()}`,
      requester: { name: '王建国', phone: '13905301234' },
      content: '我叫王建国，电话13905301234，举报区政府窗口工作人员索要好处费。',
    });
    const unitText = '反映区政府窗口工作人员办事时索要好处费，请核查。';
    const t = await as('agent', 'POST', `/api/contacts/${k.id}/disposition`, {
      disposition: 'dispatched',
      requestType: 'report',
      categoryId: e.ids.categories['QT-QT'],
      regionCode: '371702',
      title: '举报窗口工作人员',
      reportedUnitId: unit('gov-md'),
      unitText,
    });
    await as('dispatcher', 'POST', `/api/tickets/${t.ticketId}/dispatch`, { leadUnitId: unit('gov-md') });
    for (const who of ['handler_md', 'manager_md'] as const) {
      const seen = [
        (await call(who, { method: 'GET', url: `/api/tickets/${t.ticketId}` })).body,
        JSON.stringify(
          (await call(who, { method: 'GET', url: '/api/tickets?view=lead&limit=200' }))
            .json()
            .items.filter((x: { id: number }) => x.id === t.ticketId),
        ),
      ].join('\n');
      for (const w of ['王建国', '我叫', '13905301234', '01234', '1390', '****'])
        expect(seen, `${who} sees ${w}`).not.toContain(w);
      expect(seen).toContain(unitText);
    }
    expect(
      (
        await call('handler_md', {
          method: 'POST',
          url: `/api/tickets/${t.ticketId}/requester/reveal`,
          body: { purpose: '联系举报人' },
        })
      ).statusCode,
    ).toBe(403);
  });
});

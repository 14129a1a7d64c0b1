import type { SessionCache } from '../modules/auth/session-cache.js';
import type { SessionUser } from '../modules/auth/auth.service.js';
import type { FastifyBaseLogger } from 'fastify';
import { AuthService } from '../modules/auth/auth.service.js';
import { channelSettings } from '../modules/channels/channel-settings.js';
import { ChannelServices } from '../modules/channels/channels.services.js';
import { AbuseService } from '../modules/intake/abuse.service.js';
import type { AttachmentStorage } from '../modules/intake/attachment-storage.js';
import { ContactService } from '../modules/intake/contacts.service.js';
import { DuplicateService } from '../modules/intake/duplicates.service.js';
import { TriageService } from '../modules/intake/triage.service.js';
import { TrackingService } from '../modules/public/tracking.service.js';
import { SmsSurveyService } from '../modules/public/sms-survey.service.js';
import { ConfigService } from '../modules/config/config.service.js';
import { AdminService } from '../modules/config/admin.service.js';
import { ApplicationQueries } from '../modules/tickets/applications.query.js';
import { ApplicationService } from '../modules/tickets/applications.service.js';
import type { ServiceDeps } from '../modules/tickets/ticket-workflow.js';
import { TicketQueries } from '../modules/tickets/tickets.query.js';
import { TicketSearch } from '../modules/tickets/tickets.search.js';
import { TicketService } from '../modules/tickets/tickets.service.js';
import { DispatchChangeService } from '../modules/tickets/dispatch-changes.service.js';
import { ReplySignoffService } from '../modules/tickets/reply-signoff.service.js';
import { TicketHandlerService } from '../modules/tickets/ticket-handler.service.js';
import { SubDispatchService } from '../modules/tickets/sub-dispatch.service.js';
import { SubDispatchQueries } from '../modules/tickets/sub-dispatch.query.js';
import { Open311Service, open311Options } from '../modules/open311/open311.service.js';
import { buildKnowledgeAuthoring, type KnowledgeAuthoring } from '../modules/knowledge/knowledge-articles.services.js';
import { KnowledgeSynonymService } from '../modules/knowledge/knowledge-synonyms.service.js';
import { KnowledgeSearchService } from '../modules/knowledge/knowledge-search.service.js';
import { KnowledgeFlagService } from '../modules/knowledge/knowledge-flags.service.js';
import { KnowledgeFiguresService } from '../modules/knowledge/knowledge-figures.service.js';
import { KnowledgePublicService } from '../modules/knowledge/knowledge-public.service.js';
import { buildSharing, type SharingServices } from '../modules/sharing/sharing.services.js';
import { PiiKeyService } from '../modules/pii-keys/pii-keys.service.js';
import { AdminAuditService } from '../modules/audit/admin-audit.service.js';
import { buildAssessment, type AssessmentServices } from '../modules/assessment/assessment.services.js';
import { SupervisionCaseService } from '../modules/supervision/supervision-cases.service.js';
import { SupervisionRuleService } from '../modules/supervision/supervision-rules.service.js';
import { ReferralService } from '../modules/referrals/referrals.service.js';
import { PresenceService } from '../modules/presence/presence.service.js';
import { SavedViewsService } from '../modules/views/saved-views.service.js';
import { CallbackAttemptService } from '../modules/tickets/callback-attempts.service.js';
import { StaffComplaintService } from '../modules/referrals/staff-complaints.service.js';
import { buildExports, type ExportServices } from '../modules/exports/exports.services.js';
import { ClassificationService } from '../modules/classification/classification.service.js';
import { buildDisclosure, type DisclosureServices } from '../modules/disclosure/disclosure.services.js';
import { MatterService } from '../modules/matters/matters.service.js';
import { WorkFileService } from '../modules/work-files/work-files.service.js';

/** Every service, built once per app from the same dependencies. */
export interface Services {
  deps: ServiceDeps;
  auth: AuthService;
  config: ConfigService;
  admin: AdminService;
  tickets: TicketService;
  queries: TicketQueries;
  search: TicketSearch;
  applications: ApplicationService;
  dispatchChanges: DispatchChangeService;
  replySignoffs: ReplySignoffService;
  ticketHandlers: TicketHandlerService;
  // 二级派单 (第十四至十六条): a lead unit passes a ticket to its sub-unit and stays the lead
  subDispatches: SubDispatchService;
  subDispatchQueries: SubDispatchQueries;
  applicationQueries: ApplicationQueries;
  storage: AttachmentStorage;
  abuse: AbuseService;
  contacts: ContactService;
  triage: TriageService;
  duplicates: DuplicateService;
  tracking: TrackingService;
  smsSurvey: SmsSurveyService;
  channels: ChannelServices;
  open311: Open311Service;
  // 第十八条: writing, reviewing and publishing the knowledge base
  knowledgeAuthoring: KnowledgeAuthoring;
  // 第十二、十八条: searching and answering with the knowledge base
  knowledgeSynonyms: KnowledgeSynonymService;
  knowledgeSearch: KnowledgeSearchService;
  knowledgeFlags: KnowledgeFlagService;
  knowledgeFigures: KnowledgeFiguresService;
  knowledgePublic: KnowledgePublicService;
  // 第三十条: subscriptions, the units' feed, integration tokens and the access log
  sharing: SharingServices;
  // 等保 2.0 安全审计: the administrators' audit and the record of exports
  adminAudit: AdminAuditService;
  // 第六条: PII key versions and rotations (admin)
  piiKeys: PiiKeyService;
  // 第二十四条: assessment schemes, results, appeals and the GB/T 33358 service figures
  assessment: AssessmentServices;
  // 第二十二条: supervision rules and cases (督办)
  supervisionRules: SupervisionRuleService;
  supervisionCases: SupervisionCaseService;
  // 第二十三、三十二条 问责移送; 第九条 the handling of complaints about staff
  referrals: ReferralService;
  presence: PresenceService;
  savedViews: SavedViewsService;
  callbackAttempts: CallbackAttemptService;
  staffComplaints: StaffComplaintService;
  // issue 10: server-side exports (streamed CSV and Excel), each audited
  exports: ExportServices;
  // 第四、十二条 智能分类: category and unit suggestions, the models and their take rates
  classification: ClassificationService;
  // 第二十一条 信息公开: the monthly report, its review and publication, and the public's reading of it
  disclosure: DisclosureServices;
  // 第二十五、二十六条 专题治理: matters under special study and their three-level coordination
  matters: MatterService;
  // 第十四、十五、二十四条: uploaded materials of applications, replies and appeals
  workFiles: WorkFileService;
}

export function buildServices(
  deps: ServiceDeps,
  opts: {
    sessionTtlHours: number;
    /** 等保 2.0: minutes a session may stay unused (default 30) */
    sessionIdleMinutes?: number;
    /** issue 8: signed-in sessions kept for a few seconds, dropped on the database's announcements (0049) */
    sessionCache?: SessionCache<SessionUser> | null;
    storage: AttachmentStorage;
    log: Pick<FastifyBaseLogger, 'info' | 'warn' | 'error'>;
  },
): Services {
  const tickets = new TicketService(deps);
  const intake = { ...deps, storage: opts.storage };
  const abuse = new AbuseService(deps);
  const contacts = new ContactService(intake, abuse);
  const smsSurvey = new SmsSurveyService(deps);
  const knowledgeSynonyms = new KnowledgeSynonymService(deps);
  const knowledgeSearch = new KnowledgeSearchService(deps, knowledgeSynonyms);
  const sharing = buildSharing(deps, opts.log);
  const queries = new TicketQueries(deps, tickets);
  const search = new TicketSearch(deps);
  const adminAudit = new AdminAuditService(deps.db, deps.clock, sharing.access);
  const config = new ConfigService(deps.db, deps.clock);
  return {
    deps,
    auth: new AuthService(deps.db, deps.clock, opts.sessionTtlHours, deps.cipher, {
      idleMinutes: opts.sessionIdleMinutes,
      sessionCache: opts.sessionCache,
    }),
    config,
    admin: new AdminService(deps.db, deps.clock),
    tickets,
    queries,
    search,
    applications: new ApplicationService(deps),
    dispatchChanges: new DispatchChangeService(deps, tickets),
    replySignoffs: new ReplySignoffService(deps, tickets),
    ticketHandlers: new TicketHandlerService(deps),
    subDispatches: new SubDispatchService(deps),
    subDispatchQueries: new SubDispatchQueries(deps),
    applicationQueries: new ApplicationQueries(deps),
    storage: opts.storage,
    abuse,
    contacts,
    triage: new TriageService(intake, tickets, abuse),
    duplicates: new DuplicateService(deps),
    tracking: new TrackingService(deps),
    smsSurvey,
    channels: new ChannelServices(intake, contacts, abuse, smsSurvey, channelSettings(), opts.log),
    open311: new Open311Service(
      deps,
      tickets,
      new AuthService(deps.db, deps.clock, opts.sessionTtlHours, deps.cipher),
      abuse,
      open311Options(),
    ),
    knowledgeAuthoring: buildKnowledgeAuthoring(deps, opts.storage),
    knowledgeSynonyms,
    knowledgeSearch,
    knowledgeFlags: new KnowledgeFlagService(deps),
    knowledgeFigures: new KnowledgeFiguresService(deps),
    knowledgePublic: new KnowledgePublicService(deps, knowledgeSearch),
    sharing,
    adminAudit,
    piiKeys: new PiiKeyService(deps),
    assessment: buildAssessment(deps),
    supervisionRules: new SupervisionRuleService(deps),
    supervisionCases: new SupervisionCaseService(deps),
    referrals: new ReferralService(deps),
    presence: new PresenceService(deps),
    savedViews: new SavedViewsService(deps),
    callbackAttempts: new CallbackAttemptService(deps),
    staffComplaints: new StaffComplaintService(deps),
    classification: new ClassificationService(deps, tickets),
    disclosure: buildDisclosure(deps),
    matters: new MatterService(deps),
    workFiles: new WorkFileService(deps, opts.storage),
    exports: buildExports(deps, search, queries, adminAudit, config, sharing.access),
  };
}

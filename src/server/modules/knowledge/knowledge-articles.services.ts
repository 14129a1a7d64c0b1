import type { AttachmentStorage } from '../intake/attachment-storage.js';
import type { ServiceDeps } from '../tickets/ticket-workflow.js';
import { KnowledgeAttachmentService } from './knowledge-articles.attachments.js';
import { KnowledgeQueries } from './knowledge-articles.query.js';
import { KnowledgeNoticeService } from './knowledge-notices.service.js';
import { KnowledgePushService } from './knowledge-push.service.js';
import { KnowledgeSettingsService } from './knowledge-settings.service.js';
import { KnowledgeProposals } from './knowledge-workflow.proposals.js';
import { KnowledgeWorkflowService } from './knowledge-workflow.service.js';

/** 第十八条: the authoring side of the knowledge base, built once per app. */
export interface KnowledgeAuthoring {
  workflow: KnowledgeWorkflowService;
  queries: KnowledgeQueries;
  attachments: KnowledgeAttachmentService;
  notices: KnowledgeNoticeService;
  settings: KnowledgeSettingsService;
  push: KnowledgePushService;
  proposals: KnowledgeProposals;
}

export function buildKnowledgeAuthoring(deps: ServiceDeps, storage: AttachmentStorage): KnowledgeAuthoring {
  const workflow = new KnowledgeWorkflowService(deps);
  return {
    workflow,
    queries: new KnowledgeQueries(deps),
    attachments: new KnowledgeAttachmentService(deps, storage, workflow),
    notices: new KnowledgeNoticeService(deps),
    settings: new KnowledgeSettingsService(deps),
    push: new KnowledgePushService(deps, workflow),
    proposals: new KnowledgeProposals(deps, workflow),
  };
}

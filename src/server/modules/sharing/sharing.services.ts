import type { FastifyBaseLogger } from 'fastify';
import type { ServiceDeps } from '../tickets/ticket-workflow.js';
import { WebhookDeliveryWorker } from '../../jobs/webhook-delivery.js';
import { AccessLogService } from './access-log.service.js';
import { FeedService } from './feed.service.js';
import { sharingSettings, type SharingSettings } from './sharing-settings.js';
import { SubscriptionService } from './subscriptions.service.js';
import { UnitTokenService } from './tokens.service.js';

/** 第三十条: data sharing (subscriptions, feed, tokens) and the access log, built once per app. */
export interface SharingServices {
  access: AccessLogService;
  subscriptions: SubscriptionService;
  feed: FeedService;
  tokens: UnitTokenService;
  worker: WebhookDeliveryWorker;
  settings: SharingSettings;
}

export function buildSharing(
  deps: ServiceDeps,
  log: Pick<FastifyBaseLogger, 'info' | 'warn' | 'error'>,
  settings: SharingSettings = sharingSettings(),
): SharingServices {
  const access = new AccessLogService(deps.db, deps.clock);
  // the worker the screen's 测试推送 uses; the scheduler runs its own (jobs/data-sharing.ts)
  const worker = new WebhookDeliveryWorker(deps.db, deps.clock, deps.cipher, log, { timeoutMs: 5_000 });
  return {
    access,
    subscriptions: new SubscriptionService(deps.db, deps.clock, deps.cipher, settings, worker),
    feed: new FeedService(deps.db, deps.cipher, access),
    tokens: new UnitTokenService(deps.db, deps.clock),
    worker,
    settings,
  };
}

import type { Kysely } from 'kysely';
import type { FastifyBaseLogger } from 'fastify';
import type { DB } from '../db/schema.js';
import type { Clock } from '../clock.js';
import type { PiiCipher } from '../security/pii-cipher.js';
import { startRecurringJob } from './scheduler.js';
import { fanOut } from './unit-feed.js';
import { WebhookDeliveryWorker, type WebhookOptions } from './webhook-delivery.js';
import { AccessLogService } from '../modules/sharing/access-log.service.js';

/**
 * 第三十条 in the scheduler role: fan-out of new events to the units' feeds, then webhook deliveries (every
 * interval), and the access log's retention purge (hourly). Safe with several scheduler processes.
 */
export function startDataSharing(
  db: Kysely<DB>,
  clock: Clock,
  cipher: PiiCipher,
  log: FastifyBaseLogger,
  intervalMs: number,
  opts: Partial<WebhookOptions> = {},
) {
  const worker = new WebhookDeliveryWorker(db, clock, cipher, log, opts);
  const sharing = startRecurringJob('data-sharing', intervalMs, log, async () => {
    const f = await fanOut(db, clock);
    const d = await worker.runOnce();
    return { fannedOut: f.events, feedRows: f.feedRows, queued: f.deliveries, ...d };
  });
  const access = new AccessLogService(db, clock);
  const retention = startRecurringJob('access-log-retention', 3_600_000, log, () => access.purge());
  return {
    async stop() {
      await Promise.all([sharing.stop(), retention.stop()]);
    },
  };
}

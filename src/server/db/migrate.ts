import { Migrator, type Migration, type MigrationProvider } from 'kysely';
import type { Database } from './database.js';
import * as m0001 from './migrations/0001-core.js';
import * as m0002 from './migrations/0002-intake.js';
import * as m0003 from './migrations/0003-open311.js';
import * as m0004 from './migrations/0004-requester-tickets.js';
import * as m0005 from './migrations/0005-sms-surveys.js';
import * as m0006 from './migrations/0006-free-text-pii.js';
import * as m0007 from './migrations/0007-wechat-media.js';
import * as m0008 from './migrations/0008-wechat-outbound.js';
import * as m0009 from './migrations/0009-contact-reveal.js';
import * as m0010 from './migrations/0010-weibo-outbound.js';
import * as m0011 from './migrations/0011-rate-limits.js';
import * as m0012 from './migrations/0012-login-throttle.js';
import * as m0013 from './migrations/0013-ticket-number-sequence.js';
import * as m0014 from './migrations/0014-calendar-years.js';
import * as m0015 from './migrations/0015-contact-scope.js';
import * as m0016 from './migrations/0016-unreachable-reply.js';
import * as m0017 from './migrations/0017-knowledge.js';
import * as m0018 from './migrations/0018-knowledge-usage.js';
import * as m0019 from './migrations/0019-knowledge-authoring.js';
import * as m0020 from './migrations/0020-data-sharing.js';
import * as m0021 from './migrations/0021-knowledge-filter-indexes.js';
import * as m0022 from './migrations/0022-auth-hardening.js';
import * as m0023 from './migrations/0023-pii-key-rotation.js';
import * as m0024 from './migrations/0024-audit-integrity.js';
import * as m0025 from './migrations/0025-scheduler-heartbeat.js';
import * as m0026 from './migrations/0026-supervision.js';
import * as m0027 from './migrations/0027-assessment.js';
import * as m0028 from './migrations/0028-referrals.js';
import * as m0029 from './migrations/0029-disclosure.js';
import * as m0030 from './migrations/0030-classification.js';
import * as m0031 from './migrations/0031-analytics.js';
import * as m0032 from './migrations/0032-matters.js';
import * as m0033 from './migrations/0033-contact-tracking.js';
import * as m0034 from './migrations/0034-unit-workflow.js';
import * as m0035 from './migrations/0035-agent-presence.js';
import * as m0036 from './migrations/0036-callback-attempts.js';
import * as m0037 from './migrations/0037-pii-audit-day.js';
import * as m0044 from './migrations/0044-saved-views.js';
import * as m0049 from './migrations/0049-auth-change-notify.js';
import * as m0050 from './migrations/0050-session-purge.js';
import * as m0051 from './migrations/0051-category-recent.js';
import * as m0052 from './migrations/0052-sensitive-word-defaults.js';
import * as m0053 from './migrations/0053-ticket-words-once.js';
import * as m0054 from './migrations/0054-category-merge.js';
import * as m0055 from './migrations/0055-joint-handling.js';
import * as m0056 from './migrations/0056-emerging-terms.js';
import * as m0057 from './migrations/0057-emerging-reminders.js';
import * as m0048 from './migrations/0048-unit-analysis-matters.js';
import * as m0041 from './migrations/0041-second-level-dispatch.js';
import * as m0039 from './migrations/0039-warnings.js';
import * as m0038 from './migrations/0038-work-files.js';
import * as m0042 from './migrations/0042-grids.js';
import * as m0040 from './migrations/0040-forecasts.js';
import * as m0046 from './migrations/0046-grid-admin.js';
import * as m0043 from './migrations/0043-notifications.js';
import * as m0047 from './migrations/0047-unmerge-notify.js';
import * as m0045 from './migrations/0045-list-sorting.js';

// Migrations are compiled in (no directory scanning), so a bundled or relocated build runs the same set.
const migrations: Record<string, Migration> = {
  '0001-core': m0001,
  '0002-intake': m0002,
  '0003-open311': m0003,
  '0004-requester-tickets': m0004,
  '0005-sms-surveys': m0005,
  '0006-free-text-pii': m0006,
  '0007-wechat-media': m0007,
  '0008-wechat-outbound': m0008,
  '0009-contact-reveal': m0009,
  '0010-weibo-outbound': m0010,
  '0011-rate-limits': m0011,
  '0012-login-throttle': m0012,
  '0013-ticket-number-sequence': m0013,
  '0014-calendar-years': m0014,
  '0015-contact-scope': m0015,
  '0016-unreachable-reply': m0016,
  '0017-knowledge': m0017,
  '0018-knowledge-usage': m0018,
  '0019-knowledge-authoring': m0019,
  '0020-data-sharing': m0020,
  '0021-knowledge-filter-indexes': m0021,
  '0022-auth-hardening': m0022,
  '0023-pii-key-rotation': m0023,
  '0024-audit-integrity': m0024,
  '0025-scheduler-heartbeat': m0025,
  '0026-supervision': m0026,
  '0027-assessment': m0027,
  '0028-referrals': m0028,
  '0029-disclosure': m0029,
  '0030-classification': m0030,
  '0031-analytics': m0031,
  '0032-matters': m0032,
  '0033-contact-tracking': m0033,
  '0034-unit-workflow': m0034,
  '0035-agent-presence': m0035,
  '0036-callback-attempts': m0036,
  '0037-pii-audit-day': m0037,
  '0044-saved-views': m0044,
  '0049-auth-change-notify': m0049,
  '0050-session-purge': m0050,
  '0051-category-recent': m0051,
  '0052-sensitive-word-defaults': m0052,
  '0053-ticket-words-once': m0053,
  '0054-category-merge': m0054,
  '0055-joint-handling': m0055,
  '0056-emerging-terms': m0056,
  '0057-emerging-reminders': m0057,
  '0048-unit-analysis-matters': m0048,
  '0041-second-level-dispatch': m0041,
  '0039-warnings': m0039,
  '0038-work-files': m0038,
  '0042-grids': m0042,
  '0040-forecasts': m0040,
  '0043-notifications': m0043,
  '0047-unmerge-notify': m0047,
  '0045-list-sorting': m0045,
  '0046-grid-admin': m0046,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

/** The schema this code knows, in the order Kysely applies it (by name); a backup must carry exactly these. */
export const MIGRATION_NAMES: readonly string[] = Object.keys(migrations).sort();

/** Applies every pending migration; Kysely's lock table makes concurrent starts of several instances safe. */
export async function migrateToLatest(db: Database): Promise<string[]> {
  const { error, results } = await new Migrator({ db, provider }).migrateToLatest();
  throwIfFailed(error);
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** Applies the migrations up to and including `name` (tests of a migration on the schema before it). */
export async function migrateTo(db: Database, name: string): Promise<void> {
  throwIfFailed((await new Migrator({ db, provider }).migrateTo(name)).error);
}

function throwIfFailed(error: unknown) {
  if (error) throw error instanceof Error ? error : new Error(JSON.stringify(error));
}

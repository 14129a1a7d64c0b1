import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Clock } from '../../clock.js';
import { requireRole, type Actor } from '../auth/actor.js';
import { insertActorAudit } from '../audit/admin-audit.repository.js';
import { loadSettings } from './knowledge-articles.repository.js';

// 第十八条: how early owners hear of an expiry, the default review cycle, and the grace a stale article keeps before
// the assessment counts it as not current — the centre's settings (knowledge reviewer or admin).
export class KnowledgeSettingsService {
  constructor(readonly deps: { db: Kysely<DB>; clock: Clock }) {}

  async get(actor: Actor) {
    requireRole(actor, 'knowledge_reviewer', 'admin');
    const s = await loadSettings(this.deps.db);
    return { ...s, updatedAt: s.updatedAt ? new Date(s.updatedAt).toISOString() : null };
  }

  async put(actor: Actor, b: { expiryNoticeDays: number; defaultReviewCycleDays: number; staleGraceDays: number }) {
    requireRole(actor, 'knowledge_reviewer', 'admin');
    const now = this.deps.clock.now();
    // 等保 安全审计: a settings change and its audit row commit together
    await this.deps.db.transaction().execute(async (trx) => {
      const before = await loadSettings(trx);
      await trx
        .updateTable('knowledge_settings')
        .set({
          expiry_notice_days: b.expiryNoticeDays,
          default_review_cycle_days: b.defaultReviewCycleDays,
          stale_grace_days: b.staleGraceDays,
          updated_at: now,
          updated_by: actor.userId,
        })
        .where('id', '=', 1)
        .execute();
      await insertActorAudit(trx, actor, {
        entity: 'knowledge_settings',
        entityId: '1',
        action: 'update',
        before: {
          expiryNoticeDays: before.expiryNoticeDays,
          defaultReviewCycleDays: before.defaultReviewCycleDays,
          staleGraceDays: before.staleGraceDays,
        },
        after: b,
        at: now,
      });
    });
    return this.get(actor);
  }
}

import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Clock } from '../../clock.js';
import { requireRole, type Actor } from '../auth/actor.js';
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
    await this.deps.db
      .updateTable('knowledge_settings')
      .set({
        expiry_notice_days: b.expiryNoticeDays,
        default_review_cycle_days: b.defaultReviewCycleDays,
        stale_grace_days: b.staleGraceDays,
        updated_at: this.deps.clock.now(),
        updated_by: actor.userId,
      })
      .where('id', '=', 1)
      .execute();
    return this.get(actor);
  }
}

import { AppError, notFound } from '../../errors.js';
import type { WarningLevel } from '../../../shared/domain/warnings.js';
import { insertActorAudit } from '../audit/admin-audit.repository.js';
import type { Actor } from '../auth/actor.js';
import type { ServiceDeps } from '../tickets/ticket-workflow.js';
import { assertWarningRulesEditor, assertWarningRulesReader } from './warnings.policy.js';
import { loadWarningSettings } from './warnings.repository.js';
import { forgetSensitiveWords } from './sensitive-intake.js';

// 第二十七条 风险预警: the rules as data — the sensitive-risk words matched at intake and the thresholds of the
// scheduler's job — edited by admins, each change one transaction with its admin audit row (before and after).
export class WarningRuleService {
  constructor(private readonly deps: ServiceDeps) {}

  async get(actor: Actor) {
    assertWarningRulesReader(actor);
    const { db } = this.deps;
    const [words, settings] = await Promise.all([
      db
        .selectFrom('warning_words')
        .select(['id', 'word', 'level', 'active', 'updated_at'])
        .orderBy('active', 'desc')
        .orderBy('id')
        .execute(),
      loadWarningSettings(db),
    ]);
    return {
      words: words.map((w) => ({ id: w.id, word: w.word, level: w.level, active: w.active, updatedAt: w.updated_at })),
      settings,
      canEdit: actor.roles.includes('admin'),
    };
  }

  async addWord(actor: Actor, body: { word: string; level: WarningLevel; active: boolean }) {
    assertWarningRulesEditor(actor);
    const now = this.deps.clock.now();
    const row = await this.deps.db.transaction().execute(async (trx) => {
      const r = await trx
        .insertInto('warning_words')
        .values({
          word: body.word,
          level: body.level,
          active: body.active,
          created_by: actor.userId,
          created_at: now,
          updated_by: actor.userId,
          updated_at: now,
        })
        .onConflict((oc) => oc.column('word').doNothing())
        .returning(['id', 'word', 'level', 'active'])
        .executeTakeFirst();
      if (!r) throw new AppError('conflict', `敏感词“${body.word}”已存在`, { field: 'word' });
      await insertActorAudit(trx, actor, {
        entity: 'warning_word',
        entityId: String(r.id),
        action: 'create',
        before: null,
        after: { word: r.word, level: r.level, active: r.active },
        at: now,
      });
      return r;
    });
    forgetSensitiveWords(this.deps.db);
    return row;
  }

  async updateWord(actor: Actor, id: number, patch: { word?: string; level?: WarningLevel; active?: boolean }) {
    assertWarningRulesEditor(actor);
    const now = this.deps.clock.now();
    const row = await this.deps.db.transaction().execute(async (trx) => {
      const before = await trx
        .selectFrom('warning_words')
        .select(['id', 'word', 'level', 'active'])
        .where('id', '=', id)
        .forUpdate()
        .executeTakeFirst();
      if (!before) throw notFound('敏感词');
      if (patch.word && patch.word !== before.word) {
        const taken = await trx
          .selectFrom('warning_words')
          .select('id')
          .where('word', '=', patch.word)
          .executeTakeFirst();
        if (taken) throw new AppError('conflict', `敏感词“${patch.word}”已存在`, { field: 'word' });
      }
      const after = await trx
        .updateTable('warning_words')
        .set({ ...patch, updated_by: actor.userId, updated_at: now })
        .where('id', '=', id)
        .returning(['id', 'word', 'level', 'active'])
        .executeTakeFirstOrThrow();
      await insertActorAudit(trx, actor, {
        entity: 'warning_word',
        entityId: String(id),
        action: patch.active === false ? 'deactivate' : patch.active === true && !before.active ? 'activate' : 'update',
        before: { word: before.word, level: before.level, active: before.active },
        after: { word: after.word, level: after.level, active: after.active },
        at: now,
      });
      return after;
    });
    forgetSensitiveWords(this.deps.db);
    return row;
  }

  async updateSettings(
    actor: Actor,
    body: { collectiveRequesters: number; collectiveHours: number; spikeSeries: number; version?: number },
  ) {
    assertWarningRulesEditor(actor);
    const now = this.deps.clock.now();
    return this.deps.db.transaction().execute(async (trx) => {
      const before = await trx
        .selectFrom('warning_settings')
        .selectAll()
        .where('id', '=', 1)
        .forUpdate()
        .executeTakeFirstOrThrow();
      if (body.version !== undefined && body.version !== before.version)
        throw new AppError('version_conflict', '预警规则已被他人修改，请刷新后重试', {
          currentVersion: before.version,
        });
      await trx
        .updateTable('warning_settings')
        .set((eb) => ({
          collective_requesters: body.collectiveRequesters,
          collective_hours: body.collectiveHours,
          spike_series: body.spikeSeries,
          updated_by: actor.userId,
          updated_at: now,
          version: eb('version', '+', 1),
        }))
        .where('id', '=', 1)
        .execute();
      await insertActorAudit(trx, actor, {
        entity: 'warning_settings',
        entityId: '1',
        action: 'update',
        before: {
          collectiveRequesters: before.collective_requesters,
          collectiveHours: before.collective_hours,
          spikeSeries: before.spike_series,
        },
        after: {
          collectiveRequesters: body.collectiveRequesters,
          collectiveHours: body.collectiveHours,
          spikeSeries: body.spikeSeries,
        },
        at: now,
      });
      return loadWarningSettings(trx);
    });
  }
}

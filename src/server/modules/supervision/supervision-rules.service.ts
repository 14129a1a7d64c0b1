import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Clock } from '../../clock.js';
import { AppError } from '../../errors.js';
import { validateThresholds, type SupervisionTrigger } from '../../../shared/domain/supervision.js';
import type { RuleBody } from '../../../shared/contracts/supervision.js';
import { requireRole, type Actor } from '../auth/actor.js';
import { insertActorAudit } from '../audit/admin-audit.repository.js';
import * as repo from './supervision.repository.js';

// 第二十二条 and DESIGN §8 "rules as data with effective dates": a change is a new version from a moment on; the
// version it replaces ends there. A case records the version that fired it, so what was in force stays visible.
export class SupervisionRuleService {
  constructor(readonly deps: { db: Kysely<DB>; clock: Clock }) {}

  async list(actor: Actor) {
    requireRole(actor, 'supervisor', 'admin');
    const rows = await repo.listRuleRows(this.deps.db);
    const now = this.deps.clock.now().getTime();
    return rows.map((r) => ({
      ...r,
      inForce:
        new Date(r.effective_from).getTime() <= now &&
        (r.effective_to === null || now < new Date(r.effective_to).getTime()),
    }));
  }

  async update(actor: Actor, code: SupervisionTrigger, body: RuleBody) {
    requireRole(actor, 'supervisor', 'admin');
    const problems = validateThresholds(code, body.thresholds);
    if (Object.keys(problems).length)
      throw new AppError('bad_request', Object.values(problems).join('；'), { fields: problems });
    const now = this.deps.clock.now();
    const from = body.effectiveFrom ?? now;
    return this.deps.db.transaction().execute(async (trx) => {
      const current = await repo.lockLatestRule(trx, code);
      if (current && from.getTime() <= new Date(current.effective_from).getTime())
        throw new AppError('conflict', '新版本的生效时间必须晚于现行版本的生效时间', {
          field: 'effectiveFrom',
          currentEffectiveFrom: current.effective_from,
        });
      if (current)
        await trx.updateTable('supervision_rules').set({ effective_to: from }).where('id', '=', current.id).execute();
      const created = await trx
        .insertInto('supervision_rules')
        .values({
          code,
          version: (current?.version ?? 0) + 1,
          enabled: body.enabled,
          mode: body.mode,
          thresholds: JSON.stringify(body.thresholds),
          effective_from: from,
          note: body.note ?? null,
          created_at: now,
          created_by: actor.userId,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await insertActorAudit(trx, actor, {
        entity: 'supervision_rule',
        entityId: code,
        action: 'update',
        before: current
          ? { version: current.version, enabled: current.enabled, mode: current.mode, thresholds: current.thresholds }
          : null,
        after: {
          version: created.version,
          enabled: created.enabled,
          mode: created.mode,
          thresholds: created.thresholds,
          effectiveFrom: from.toISOString(),
        },
        at: now,
      });
      return created;
    });
  }
}

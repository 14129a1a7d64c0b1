import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Clock } from '../../clock.js';
import { AppError } from '../../errors.js';
import type { Actor } from '../auth/actor.js';
import { insertActorAudit } from '../audit/admin-audit.repository.js';
import { acknowledgeReminder, listReminders, reminderForUpdate } from './forecast.repository.js';
import { assertCanAcknowledge, reminderUnits } from './forecast.policy.js';

// 第二十八条(二) 预案提醒: before its seasonal peak a unit is told what last year's same month brought and what is
// forecast, so it can prepare (制定工作预案); it acknowledges having read it. The reminders are written by the
// monthly forecast job (jobs/forecast-monthly.ts); this is the units' side.

export const REMINDER_REASON_LABELS = {
  forecast_above_average: '预测量明显高于本单位月均',
  last_year_peak: '去年同月为本单位全年高峰',
  both: '预测量明显高于月均，且去年同月为全年高峰',
} as const;

export class ForecastReminderService {
  constructor(private readonly deps: { db: Kysely<DB>; clock: Clock }) {}

  async list(actor: Actor, q: { unitId?: number }) {
    const unitIds = reminderUnits(actor, q.unitId);
    const rows = await listReminders(this.deps.db, { unitIds, limit: 24 });
    return {
      reminders: rows.map((r) => ({
        id: r.id,
        unitId: r.unit_id,
        unitName: r.unit_name,
        month: String(r.month).slice(0, 7),
        reason: r.reason,
        reasonLabel: REMINDER_REASON_LABELS[r.reason],
        expected: Number(r.expected),
        average: Number(r.average),
        lastYear: r.last_year,
        details: r.details,
        createdAt: r.created_at,
        acknowledgedAt: r.acknowledged_at,
        acknowledgedByName: r.acknowledged_by_name,
      })),
    };
  }

  /** The unit has read the reminder (once; a second acknowledgement changes nothing). Audited with the change. */
  async acknowledge(actor: Actor, id: number) {
    const now = this.deps.clock.now();
    return this.deps.db.transaction().execute(async (trx) => {
      const r = await reminderForUpdate(trx, id);
      if (!r) throw new AppError('not_found', '预案提醒不存在');
      assertCanAcknowledge(actor, r.unit_id);
      if (r.acknowledged_at) return { id, acknowledgedAt: r.acknowledged_at, already: true };
      await acknowledgeReminder(trx, id, actor.userId, now);
      await insertActorAudit(trx, actor, {
        entity: 'forecast_reminder',
        entityId: String(id),
        action: 'acknowledge',
        before: { acknowledgedAt: null },
        after: { unitId: r.unit_id, month: String(r.month).slice(0, 7), acknowledgedAt: now.toISOString() },
        at: now,
      });
      return { id, acknowledgedAt: now, already: false };
    });
  }
}

import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { DB } from '../../db/schema.js';
import type { Clock } from '../../clock.js';
import { AppError } from '../../errors.js';
import type { Actor } from '../auth/actor.js';
import type { EmergingRemindersView, emergingRemindersQuery } from '../../../shared/contracts/emerging.js';
import { insertActorAudit } from '../audit/admin-audit.repository.js';
import { loadTrees } from '../analytics/analytics-tree.js';
import { assertCanAcknowledge, reminderUnits } from '../forecast/forecast.policy.js';
import { acknowledgeReminder, listReminders, reminderForUpdate } from './emerging.repository.js';

// 第二十八条(三)(四) 新兴诉求提醒: the units' side of what the weekly ranking of 新兴诉求词 tells them (written by
// jobs/emerging-terms.ts with the list): a matter rising in the city or a county of which the unit already leads
// tickets, to study as a new business form or field (研究新业态、新领域问题，开展源头治理). Who reads and acknowledges
// follows 预案提醒 (forecast.policy.ts): a unit's people their own, the centre's supervisors, analysts and admins
// every unit's; acknowledging is the unit's own step, audited.

const WHAT = '新兴诉求提醒';
const PAGE = 24;

export class EmergingReminderService {
  constructor(private readonly deps: { db: Kysely<DB>; clock: Clock }) {}

  async list(actor: Actor, q: z.infer<typeof emergingRemindersQuery>): Promise<EmergingRemindersView> {
    const unitIds = reminderUnits(actor, q.unitId, WHAT);
    const page = await listReminders(this.deps.db, {
      unitIds,
      unread: q.unread === 'true',
      before: q.before ?? null,
      limit: PAGE + 1,
    });
    const rows = page.slice(0, PAGE);
    const trees = rows.length ? await loadTrees(this.deps.db) : null;
    return {
      next: page.length > PAGE ? rows.at(-1)!.id : null,
      reminders: rows.map((r) => ({
        id: r.id,
        unitId: r.unit_id,
        unitName: r.unit_name,
        week: String(r.week).slice(0, 10),
        region: r.region_code,
        regionName: trees!.regions.path(r.region_code).at(-1) ?? r.region_code,
        term: r.term,
        words: r.words,
        recent: r.recent,
        baseline: r.baseline,
        ratio: r.ratio === null ? null : Number(r.ratio),
        isNew: r.is_new,
        unitTickets: r.unit_tickets,
        sampled: r.sampled,
        categories: r.categories.map((x) => ({ ...x, path: trees!.categories.path(x.categoryId).join(' / ') })),
        createdAt: new Date(r.created_at).toISOString(),
        acknowledgedAt: r.acknowledged_at ? new Date(r.acknowledged_at).toISOString() : null,
        acknowledgedByName: r.acknowledged_by_name,
      })),
    };
  }

  /** The unit has read the reminder (once; a second acknowledgement changes nothing). Audited with the change. */
  async acknowledge(actor: Actor, id: number) {
    const now = this.deps.clock.now();
    return this.deps.db.transaction().execute(async (trx) => {
      const r = await reminderForUpdate(trx, id);
      if (!r) throw new AppError('not_found', `${WHAT}不存在`);
      assertCanAcknowledge(actor, r.unit_id, WHAT);
      if (r.acknowledged_at) return { id, acknowledgedAt: r.acknowledged_at, already: true };
      await acknowledgeReminder(trx, id, actor.userId, now);
      await insertActorAudit(trx, actor, {
        entity: 'emerging_reminder',
        entityId: String(id),
        action: 'acknowledge',
        before: { acknowledgedAt: null },
        after: {
          unitId: r.unit_id,
          week: String(r.week).slice(0, 10),
          term: r.term,
          acknowledgedAt: now.toISOString(),
        },
        at: now,
      });
      return { id, acknowledgedAt: now, already: false };
    });
  }
}

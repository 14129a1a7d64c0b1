import { AppError } from '../../errors.js';
import { maskPhone } from '../../domain/masking.js';
import type { ServiceDeps } from '../tickets/ticket-workflow.js';
import { requireRole, type Actor } from '../auth/actor.js';
import { findUnit } from '../config/config.repository.js';
import { insertActorAudit } from '../audit/admin-audit.repository.js';
import type { UnitNotifyPhone } from '../../../shared/contracts/notifications.js';
import { listNotifyPhones, lockNotifyPhone, saveNotifyPhone } from './notify-phones.repository.js';

// 第十五条 临期提醒: the phone a unit is told on by SMS when one of its deadlines is about to breach. The admin sets it
// in 单位与区划. It is a phone number like any other (第六条): stored encrypted, shown masked, and every change audited
// with the masked number before and after (the audit never holds it in clear).

export class NotifyPhoneService {
  constructor(private readonly deps: ServiceDeps) {}

  async list(actor: Actor): Promise<{ items: UnitNotifyPhone[] }> {
    requireRole(actor, 'admin');
    const rows = await listNotifyPhones(this.deps.db);
    return {
      items: rows.map((r) => ({
        unitId: r.unit_id,
        phone: maskPhone(this.deps.cipher.decrypt(r.phone_enc)) ?? '',
        updatedAt: r.updated_at.toISOString(),
      })),
    };
  }

  async set(actor: Actor, unitId: number, input: { phone: string | null }) {
    requireRole(actor, 'admin');
    const { db, clock, cipher } = this.deps;
    return db.transaction().execute(async (trx) => {
      const unit = await findUnit(trx, unitId);
      if (!unit) throw new AppError('not_found', '单位不存在');
      if (unit.kind === 'centre') throw new AppError('bad_request', '热线工作机构不承办工单，无需设置临期提醒号码');
      const before = await lockNotifyPhone(trx, unitId);
      const now = clock.now();
      await saveNotifyPhone(trx, unitId, input.phone === null ? null : cipher.encrypt(input.phone), actor.userId, now);
      const masked = maskPhone(input.phone);
      await insertActorAudit(trx, actor, {
        entity: 'unit',
        entityId: String(unitId),
        action: 'notify_phone',
        before: { phone: before ? maskPhone(cipher.decrypt(before.phone_enc)) : null },
        after: { phone: masked },
        at: now,
      });
      return { unitId, phone: masked };
    });
  }
}

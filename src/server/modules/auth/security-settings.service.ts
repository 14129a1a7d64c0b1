import type { Kysely } from 'kysely';
import type { Clock } from '../../clock.js';
import type { DB } from '../../db/schema.js';
import { insertActorAudit } from '../audit/admin-audit.repository.js';
import { requireRole, type Actor, type Role } from './actor.js';
import * as repo from './security-settings.repository.js';

export interface SecuritySettingsInput {
  passwordMinLength: number;
  passwordHistory: number;
  totpRequiredRoles: Role[];
}

// 等保 2.0 身份鉴别: the 安全策略 an admin sets (password length and history, which roles need a second factor), shown
// with the session limits the deployment fixed in its environment. Every change is audited with before and after.
export class SecuritySettingsService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: Clock,
    private readonly sessions: { idleMinutes: number; ttlHours: number },
  ) {}

  async get(actor: Actor) {
    requireRole(actor, 'admin', 'auditor');
    return this.present(await repo.readSecuritySettings(this.db));
  }

  async update(actor: Actor, input: SecuritySettingsInput) {
    requireRole(actor, 'admin');
    const now = this.clock.now();
    const roles = [...new Set(input.totpRequiredRoles)].sort();
    await this.db.transaction().execute(async (trx) => {
      const before = await repo.lockSecuritySettings(trx);
      await repo.writeSecuritySettings(trx, { ...input, totpRequiredRoles: roles }, now, actor.userId);
      await insertActorAudit(trx, actor, {
        entity: 'security_settings',
        entityId: '1',
        action: 'update',
        before: {
          passwordMinLength: before.password_min_length,
          passwordHistory: before.password_history,
          totpRequiredRoles: before.totp_required_roles,
        },
        after: {
          passwordMinLength: input.passwordMinLength,
          passwordHistory: input.passwordHistory,
          totpRequiredRoles: roles,
        },
        at: now,
      });
    });
    return this.present(await repo.readSecuritySettings(this.db));
  }

  private present(s: repo.SecuritySettings) {
    return {
      passwordMinLength: s.passwordMinLength,
      passwordHistory: s.passwordHistory,
      totpRequiredRoles: s.totpRequiredRoles,
      // read-only here: SESSION_IDLE_MINUTES and SESSION_TTL_HOURS of the deployment
      sessionIdleMinutes: this.sessions.idleMinutes,
      sessionTtlHours: this.sessions.ttlHours,
      updatedAt: s.updatedAt?.toISOString() ?? null,
      updatedBy: s.updatedBy,
    };
  }
}

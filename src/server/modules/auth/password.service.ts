import { verify } from '@node-rs/argon2';
import type { Kysely } from 'kysely';
import type { Clock } from '../../clock.js';
import type { DB } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import { insertActorAudit } from '../audit/admin-audit.repository.js';
import type { Actor } from './actor.js';
import * as repo from './auth.repository.js';
import type { LoginThrottle } from './login-throttle.service.js';
import { assertAcceptablePassword, hashPassword, storeNewPassword } from './passwords.js';

// 第六条, 等保 2.0 身份鉴别: a user changes their own password (修改密码), at any time or because they must (after an
// admin's reset or admin:create). The current password is checked through the login throttle, so a session left
// open cannot be used to guess it; the new one passes the policy and the history; the user's other sessions end.
export class PasswordService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: Clock,
    private readonly throttle: LoginThrottle,
  ) {}

  async changeOwn(
    actor: Actor,
    input: { currentPassword: string; newPassword: string },
    ctx: { ip: string; sessionTokenHash: string },
  ): Promise<void> {
    const user = await repo.findUserById(this.db, actor.userId);
    if (!user || !user.active) throw new AppError('unauthenticated', '请先登录');
    const attempt = await this.throttle.admit(user.username, ctx.ip);
    const ok = await verify(user.password_hash, input.currentPassword).catch(() => false);
    if (!ok) {
      await this.throttle.failed(attempt);
      throw new AppError('bad_request', '当前密码不正确', { field: 'currentPassword' });
    }
    await this.throttle.confirmed(attempt);
    await assertAcceptablePassword(this.db, {
      userId: user.id,
      username: user.username,
      password: input.newPassword,
      field: 'newPassword',
    });
    const newHash = await hashPassword(input.newPassword);
    const now = this.clock.now();
    await this.db.transaction().execute(async (trx) => {
      await storeNewPassword(trx, user.id, newHash, now, false);
      // whoever else holds a session of this account (an old device, someone who learnt the old password) is out
      await repo.deleteOtherSessions(trx, user.id, ctx.sessionTokenHash);
      await trx.deleteFrom('login_challenges').where('user_id', '=', user.id).execute();
      await insertActorAudit(trx, actor, {
        entity: 'user',
        entityId: String(user.id),
        action: 'change_password',
        before: { mustChangePassword: user.must_change_password },
        after: { mustChangePassword: false, passwordChanged: true },
        at: now,
      });
    });
  }
}

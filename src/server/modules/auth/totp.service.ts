import type { Kysely } from 'kysely';
import type { Clock } from '../../clock.js';
import type { DB } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import type { PiiCipher } from '../../security/pii-cipher.js';
import { checkTotp, newTotpSecret, TOTP, totpUri } from '../../security/totp.js';
import { insertActorAudit } from '../audit/admin-audit.repository.js';
import { requireRole, type Actor } from './actor.js';
import * as repo from './auth.repository.js';
import { totpRequiredFor } from './security-settings.repository.js';

const WRONG_CODE = '动态验证码不正确，请输入验证器中当前显示的 6 位数字';

// 等保 2.0 身份鉴别 (two factors): a user enrols an authenticator app (账户安全), confirms it with a code, and from then
// on signs in with password and code; they may switch it off with a code unless their role requires it; an admin
// resets it for a user who lost the phone. The secret is stored only encrypted with the PII cipher. Every change
// is audited.
export class TotpService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: Clock,
    private readonly cipher: PiiCipher,
  ) {}

  /** Starts (or restarts) an enrolment: a new secret, kept pending until a code confirms it. */
  async setup(actor: Actor) {
    const user = await this.user(actor.userId);
    if (user.totp_secret_enc)
      throw new AppError('conflict', '已启用二次验证；如需更换验证器，请先停用后重新绑定', { reason: 'totp_enabled' });
    const secret = newTotpSecret();
    await this.db
      .updateTable('users')
      .set({ totp_pending_secret_enc: this.cipher.encrypt(secret) })
      .where('id', '=', user.id)
      .execute();
    return {
      secret,
      otpauthUri: totpUri(secret, user.username),
      issuer: TOTP.issuer,
      account: user.username,
      digits: TOTP.digits,
      periodSeconds: TOTP.periodSeconds,
    };
  }

  /** Confirms the pending secret with a code from the app: the second factor is on. */
  async enable(actor: Actor, code: string): Promise<void> {
    const user = await this.user(actor.userId);
    if (user.totp_secret_enc) throw new AppError('conflict', '已启用二次验证', { reason: 'totp_enabled' });
    if (!user.totp_pending_secret_enc)
      throw new AppError('conflict', '请先生成二次验证密钥并用验证器扫描', { reason: 'totp_not_set_up' });
    const secret = this.cipher.decrypt(user.totp_pending_secret_enc)!;
    // a new secret: no earlier step of it was ever accepted
    const step = await checkTotp(secret, code, this.clock.now(), null);
    if (step === null) throw new AppError('bad_request', WRONG_CODE, { field: 'code' });
    const now = this.clock.now();
    await this.db.transaction().execute(async (trx) => {
      const done = await trx
        .updateTable('users')
        .set({
          totp_secret_enc: user.totp_pending_secret_enc,
          totp_pending_secret_enc: null,
          totp_enabled_at: now,
          totp_last_step: step,
        })
        .where('id', '=', user.id)
        .where('totp_pending_secret_enc', '=', user.totp_pending_secret_enc)
        .where('totp_secret_enc', 'is', null)
        .returning('id')
        .executeTakeFirst();
      if (!done) throw new AppError('conflict', '二次验证设置已变化，请重新生成密钥', { reason: 'totp_changed' });
      await insertActorAudit(trx, actor, {
        entity: 'user',
        entityId: String(user.id),
        action: 'totp_enable',
        before: { totpEnabled: false },
        after: { totpEnabled: true },
        at: now,
      });
    });
  }

  /** Switches the second factor off, proven with a current code; refused when the user's role requires it. */
  async disable(actor: Actor, code: string): Promise<void> {
    const user = await this.user(actor.userId);
    if (!user.totp_secret_enc) throw new AppError('conflict', '尚未启用二次验证', { reason: 'totp_disabled' });
    if (totpRequiredFor(user.roles, await repo.totpRequiredRolesNow(this.db)))
      throw new AppError('conflict', '您的角色须使用二次验证，不能停用；如验证器丢失，请联系系统管理员重置', {
        reason: 'totp_required',
      });
    const secret = this.cipher.decrypt(user.totp_secret_enc)!;
    const step = await checkTotp(secret, code, this.clock.now(), user.totp_last_step);
    if (step === null || !(await repo.claimTotpStep(this.db, user.id, step)))
      throw new AppError('bad_request', WRONG_CODE, { field: 'code' });
    await this.clear(actor, user.id, 'totp_disable', false);
  }

  /** 重置二次验证 (admin): for a user who lost the authenticator; that user's sessions end. */
  async reset(actor: Actor, userId: number) {
    requireRole(actor, 'admin');
    const user = await repo.findUserById(this.db, userId);
    if (!user) throw new AppError('not_found', '用户不存在');
    const wasEnabled = !!user.totp_secret_enc;
    await this.clear(actor, userId, 'totp_reset', userId !== actor.userId);
    return { id: userId, username: user.username, totpEnabled: false as const, wasEnabled };
  }

  private async clear(actor: Actor, userId: number, action: 'totp_disable' | 'totp_reset', endSessions: boolean) {
    const now = this.clock.now();
    await this.db.transaction().execute(async (trx) => {
      const before = await trx
        .selectFrom('users')
        .select(['totp_secret_enc', 'totp_pending_secret_enc'])
        .where('id', '=', userId)
        .forUpdate()
        .executeTakeFirstOrThrow();
      await trx
        .updateTable('users')
        .set({ totp_secret_enc: null, totp_pending_secret_enc: null, totp_enabled_at: null })
        .where('id', '=', userId)
        .execute();
      await trx.deleteFrom('login_challenges').where('user_id', '=', userId).execute();
      if (endSessions) await trx.deleteFrom('sessions').where('user_id', '=', userId).execute();
      await insertActorAudit(trx, actor, {
        entity: 'user',
        entityId: String(userId),
        action,
        before: { totpEnabled: !!before.totp_secret_enc },
        after: { totpEnabled: false },
        at: now,
      });
    });
  }

  private async user(id: number) {
    const user = await repo.findUserById(this.db, id);
    if (!user || !user.active) throw new AppError('unauthenticated', '请先登录');
    return user;
  }
}

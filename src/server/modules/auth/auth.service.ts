import { createHash, randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import type { Kysely } from 'kysely';
import type { DB, User } from '../../db/schema.js';
import type { Clock } from '../../clock.js';
import { AppError } from '../../errors.js';
import type { PiiCipher } from '../../security/pii-cipher.js';
import { regionPrefix, requireRole, type Actor, type Role } from './actor.js';
import * as repo from './auth.repository.js';
import { LoginThrottle } from './login-throttle.service.js';

export const hashPassword = (plain: string) => hash(plain);

// Session and API tokens are random 32-byte values; only their SHA-256 is stored, so a database leak
// does not hand out live sessions.
const tokenHash = (token: string) => createHash('sha256').update(token).digest('base64url');

export class AuthService {
  readonly throttle: LoginThrottle;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: Clock,
    private readonly sessionTtlHours: number,
    cipher: PiiCipher,
  ) {
    this.throttle = new LoginThrottle(db, clock, cipher);
  }

  /**
   * 第六、三十条: the attempt passes the login throttle first (429 during a delay or a lock, without checking the
   * password); a failure counts against the account and the client address, a success clears the account's count.
   */
  async login(
    username: string,
    password: string,
    ip: string,
  ): Promise<{ token: string; actor: Actor; expiresAt: Date }> {
    const attempt = await this.throttle.admit(username, ip);
    const user = await repo.findUserByUsername(this.db, username);
    // Verify against a dummy hash when the user is unknown so timing does not reveal valid usernames.
    const ok = await verify(user?.password_hash ?? DUMMY_HASH, password).catch(() => false);
    if (!user || !user.active || !ok) {
      await this.throttle.failed(attempt);
      throw new AppError('unauthenticated', '用户名或密码错误');
    }
    await this.throttle.succeeded(attempt);
    const token = randomBytes(32).toString('base64url');
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + this.sessionTtlHours * 3_600_000);
    await repo.insertSession(this.db, {
      token_hash: tokenHash(token),
      user_id: user.id,
      created_at: now,
      expires_at: expiresAt,
    });
    return { token, actor: await this.toActor(user), expiresAt };
  }

  async logout(token: string): Promise<void> {
    await repo.deleteSession(this.db, tokenHash(token));
  }

  async actorFromSession(token: string): Promise<Actor | null> {
    const user = await repo.findSessionUser(this.db, tokenHash(token), this.clock.now());
    return user ? this.toActor(user) : null;
  }

  async actorFromApiToken(token: string): Promise<Actor | null> {
    const user = await repo.findTokenUser(this.db, tokenHash(token));
    return user ? this.toActor(user) : null;
  }

  /** Machine clients (partner systems, unit integrations) authenticate with a bearer token. */
  async createApiToken(actor: Actor, userId: number, name: string): Promise<{ token: string; id: number }> {
    requireRole(actor, 'admin');
    const user = await repo.findUserById(this.db, userId);
    if (!user) throw new AppError('not_found', '用户不存在');
    const token = `hz_${randomBytes(32).toString('base64url')}`;
    const row = await repo.insertApiToken(this.db, {
      token_hash: tokenHash(token),
      user_id: userId,
      name,
      created_at: this.clock.now(),
    });
    return { token, id: row.id };
  }

  /** The unit's regions come with the user from the session or token look-up; a login reads them here. */
  private async toActor(user: User & { unit_region_codes?: string[]; token_scopes?: string[] | null }): Promise<Actor> {
    const regions =
      user.scope !== 'region' ? [] : (user.unit_region_codes ?? (await repo.unitRegionCodes(this.db, user.unit_id)));
    return {
      userId: user.id,
      username: user.username,
      displayName: user.display_name,
      unitId: user.unit_id,
      roles: user.roles as Role[],
      scope: user.scope,
      regionPrefixes: regions.map(regionPrefix),
      // 第三十条: a scoped token (a unit's integration) may do what its scopes say and nothing else
      ...(user.token_scopes ? { tokenScopes: user.token_scopes } : {}),
    };
  }
}

const DUMMY_HASH = '$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$Wc7Xx1yW3cZ1o8iGvJrYbq4mWm4f2kY0QO0b2k5m3xY';

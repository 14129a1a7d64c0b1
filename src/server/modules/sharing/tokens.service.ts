import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Clock } from '../../clock.js';
import { AppError } from '../../errors.js';
import { requireRole, type Actor } from '../auth/actor.js';
import { insertActorAudit } from '../audit/admin-audit.repository.js';

// 第三十条: 对接令牌 — a unit's integration token, issued with a scope and revoked by the admin. It belongs to the
// unit's integration account (created on first use, no password, no role): with 'feed:read' it reads that unit's
// feed and backfill, and a role-gated route refuses it. Only the token's SHA-256 is stored (as for every token).

const tokenHash = (token: string) => createHash('sha256').update(token).digest('base64url');

export class UnitTokenService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: Clock,
  ) {}

  async list(actor: Actor) {
    requireRole(actor, 'admin');
    const rows = await this.db
      .selectFrom('api_tokens as t')
      .innerJoin('users as u', 'u.id', 't.user_id')
      .innerJoin('units', 'units.id', 'u.unit_id')
      .leftJoin('users as c', 'c.id', 't.created_by')
      .select([
        't.id',
        't.name',
        't.scopes',
        't.created_at',
        't.revoked_at',
        'u.id as user_id',
        'u.display_name as account',
        'u.roles',
        'units.id as unit_id',
        'units.name as unit_name',
        'c.display_name as created_by_name',
      ])
      .orderBy('t.id', 'desc')
      .limit(1000)
      .execute();
    return {
      items: rows.map((r) => ({
        id: r.id,
        name: r.name,
        scopes: r.scopes,
        createdAt: r.created_at,
        revokedAt: r.revoked_at,
        userId: r.user_id,
        account: r.account,
        roles: r.roles,
        unitId: r.unit_id,
        unitName: r.unit_name,
        createdByName: r.created_by_name,
      })),
    };
  }

  async issue(actor: Actor, input: { unitId: number; name: string; scopes: string[] }) {
    requireRole(actor, 'admin');
    const now = this.clock.now();
    const token = `hz_${randomBytes(32).toString('base64url')}`;
    return this.db.transaction().execute(async (trx) => {
      const unit = await trx
        .selectFrom('units')
        .select(['id', 'code', 'name'])
        .where('id', '=', input.unitId)
        .executeTakeFirst();
      if (!unit) throw new AppError('bad_request', '单位不存在', { field: 'unitId' });
      const username = `integration_${unit.id}`;
      let user = await trx.selectFrom('users').select('id').where('username', '=', username).executeTakeFirst();
      if (!user) {
        user = await trx
          .insertInto('users')
          .values({
            username,
            display_name: `${unit.name}数据对接`,
            // no password can match: the account only authenticates with its tokens
            password_hash: '!',
            unit_id: unit.id,
            roles: [],
            scope: 'unit',
            created_at: now,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
      }
      const row = await trx
        .insertInto('api_tokens')
        .values({
          token_hash: tokenHash(token),
          user_id: user.id,
          name: input.name,
          created_at: now,
          scopes: [...new Set(input.scopes)],
          created_by: actor.userId,
        })
        .returning(['id', 'name', 'created_at', 'scopes'])
        .executeTakeFirstOrThrow();
      await insertActorAudit(trx, actor, {
        entity: 'api_token',
        entityId: String(row.id),
        action: 'issue',
        before: null,
        after: { unitId: unit.id, name: input.name, scopes: row.scopes },
        at: now,
      });
      // shown once
      return { id: row.id, name: row.name, scopes: row.scopes, unitId: unit.id, createdAt: row.created_at, token };
    });
  }

  async revoke(actor: Actor, id: number) {
    requireRole(actor, 'admin');
    const now = this.clock.now();
    return this.db.transaction().execute(async (trx) => {
      const t = await trx
        .selectFrom('api_tokens')
        .select(['id', 'revoked_at'])
        .where('id', '=', id)
        .forUpdate()
        .executeTakeFirst();
      if (!t) throw new AppError('not_found', '令牌不存在');
      if (t.revoked_at) return { id, revokedAt: t.revoked_at };
      await trx.updateTable('api_tokens').set({ revoked_at: now }).where('id', '=', id).execute();
      await insertActorAudit(trx, actor, {
        entity: 'api_token',
        entityId: String(id),
        action: 'revoke',
        before: null,
        after: { revokedAt: now },
        at: now,
      });
      return { id, revokedAt: now };
    });
  }
}

import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Clock } from '../../clock.js';
import { AppError } from '../../errors.js';
import { assertAcceptablePassword, hashPassword, storeNewPassword } from '../auth/passwords.js';
import { requireRole, type Actor } from '../auth/actor.js';
import { insertActorAudit } from '../audit/admin-audit.repository.js';
import { viewTree } from '../../domain/classifier/category-prior.js';
import type {
  CreateCategoryInput,
  CreateUnitInput,
  CreateUserInput,
  UpdateCategoryInput,
  UpdateUnitInput,
  UpdateUserInput,
} from '../../../shared/contracts/admin.js';

// Create/edit of users, units and categories (管理员). Each change is one transaction with its before/after
// written to admin_audit; password hashes never leave the users table, not even into the audit trail.

const USER_COLUMNS = ['id', 'username', 'display_name', 'unit_id', 'roles', 'scope', 'active', 'created_at'] as const;

export type * from '../../../shared/contracts/admin.js';

export class AdminService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: Clock,
  ) {}

  // ---- users -------------------------------------------------------------------------------------------

  async createUser(actor: Actor, input: CreateUserInput) {
    requireRole(actor, 'admin');
    // 第六条, 等保 2.0 身份鉴别: the password policy (length, classes, not the username)
    await assertAcceptablePassword(this.db, { userId: null, username: input.username, password: input.password });
    const passwordHash = await hashPassword(input.password);
    return this.db.transaction().execute(async (trx) => {
      const taken = await trx
        .selectFrom('users')
        .select('id')
        .where('username', '=', input.username)
        .executeTakeFirst();
      if (taken) throw new AppError('conflict', `用户名 ${input.username} 已被占用`, { field: 'username' });
      await this.requireActiveUnit(trx, input.unitId);
      const row = await trx
        .insertInto('users')
        .values({
          username: input.username,
          display_name: input.displayName,
          password_hash: passwordHash,
          unit_id: input.unitId,
          roles: dedupe(input.roles),
          scope: input.scope,
          active: true,
          created_at: this.clock.now(),
        })
        .returning(USER_COLUMNS)
        .executeTakeFirstOrThrow();
      await this.audit(trx, actor, 'user', String(row.id), 'create', null, row);
      return row;
    });
  }

  async updateUser(actor: Actor, id: number, input: UpdateUserInput) {
    requireRole(actor, 'admin');
    return this.db.transaction().execute(async (trx) => {
      const before = await trx
        .selectFrom('users')
        .select(USER_COLUMNS)
        .where('id', '=', id)
        .forUpdate()
        .executeTakeFirst();
      if (!before) throw new AppError('not_found', '用户不存在');
      if (id === actor.userId) {
        if (input.active === false) throw new AppError('conflict', '不能停用自己的账号');
        if (input.roles && !input.roles.includes('admin'))
          throw new AppError('conflict', '不能移除自己的系统管理员角色');
      }
      if (input.unitId !== undefined && input.unitId !== before.unit_id)
        await this.requireActiveUnit(trx, input.unitId);
      const set: Partial<{
        display_name: string;
        unit_id: number;
        roles: string[];
        scope: 'unit' | 'region';
        active: boolean;
      }> = {};
      if (input.displayName !== undefined) set.display_name = input.displayName;
      if (input.unitId !== undefined) set.unit_id = input.unitId;
      if (input.roles !== undefined) set.roles = dedupe(input.roles);
      if (input.scope !== undefined) set.scope = input.scope;
      if (input.active !== undefined) set.active = input.active;
      const after = Object.keys(set).length
        ? await trx.updateTable('users').set(set).where('id', '=', id).returning(USER_COLUMNS).executeTakeFirstOrThrow()
        : before;
      // A deactivated account is signed out everywhere at once, not when its sessions expire.
      if (before.active && after.active === false) await trx.deleteFrom('sessions').where('user_id', '=', id).execute();
      const action =
        input.active === false && before.active
          ? 'deactivate'
          : input.active === true && !before.active
            ? 'activate'
            : 'update';
      await this.audit(trx, actor, 'user', String(id), action, before, after);
      return after;
    });
  }

  async setPassword(actor: Actor, id: number, password: string) {
    requireRole(actor, 'admin');
    const target = await this.db.selectFrom('users').select('username').where('id', '=', id).executeTakeFirst();
    if (!target) throw new AppError('not_found', '用户不存在');
    // 第六条, 等保 2.0 身份鉴别: the policy, and none of the user's last N passwords
    await assertAcceptablePassword(this.db, { userId: id, username: target.username, password });
    const passwordHash = await hashPassword(password);
    // The admin knows a password they set for someone else: that user must change it at the next sign-in.
    const mustChange = id !== actor.userId;
    return this.db.transaction().execute(async (trx) => {
      const user = await trx
        .selectFrom('users')
        .select(USER_COLUMNS)
        .where('id', '=', id)
        .forUpdate()
        .executeTakeFirst();
      if (!user) throw new AppError('not_found', '用户不存在');
      await storeNewPassword(trx, id, passwordHash, this.clock.now(), mustChange);
      // Other people's sessions end with the reset; an admin resetting their own password stays signed in.
      if (id !== actor.userId) {
        await trx.deleteFrom('sessions').where('user_id', '=', id).execute();
        await trx.deleteFrom('login_challenges').where('user_id', '=', id).execute();
      }
      await this.audit(
        trx,
        actor,
        'user',
        String(id),
        'reset_password',
        { username: user.username },
        { username: user.username, passwordChanged: true, mustChangePassword: mustChange },
      );
      return { id, passwordChanged: true as const, mustChangePassword: mustChange };
    });
  }

  // ---- units -------------------------------------------------------------------------------------------

  async createUnit(actor: Actor, input: CreateUnitInput) {
    requireRole(actor, 'admin');
    return this.db.transaction().execute(async (trx) => {
      const taken = await trx.selectFrom('units').select('id').where('code', '=', input.code).executeTakeFirst();
      if (taken) throw new AppError('conflict', `单位代码 ${input.code} 已被占用`, { field: 'code' });
      if (input.parentId != null) await this.requireUnit(trx, input.parentId, 'parentId');
      const regionCodes = await this.checkRegions(trx, input.regionCodes);
      const unit = await trx
        .insertInto('units')
        .values({
          code: input.code,
          name: input.name,
          kind: input.kind,
          tier: input.tier,
          parent_id: input.parentId ?? null,
          is_24x7: input.is24x7,
          active: true,
          created_at: this.clock.now(),
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      if (regionCodes.length)
        await trx
          .insertInto('unit_regions')
          .values(regionCodes.map((c) => ({ unit_id: unit.id, region_code: c })))
          .execute();
      const after = { ...unit, region_codes: regionCodes };
      await this.audit(trx, actor, 'unit', String(unit.id), 'create', null, after);
      return after;
    });
  }

  async updateUnit(actor: Actor, id: number, input: UpdateUnitInput) {
    requireRole(actor, 'admin');
    return this.db.transaction().execute(async (trx) => {
      const unit = await trx.selectFrom('units').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
      if (!unit) throw new AppError('not_found', '单位不存在');
      const before = { ...unit, region_codes: await this.unitRegions(trx, id) };
      if (input.parentId != null && input.parentId !== unit.parent_id) {
        await this.requireUnit(trx, input.parentId, 'parentId');
        // Walk up from the new parent: meeting this unit on the way would make it its own ancestor.
        const seen = new Set<number>();
        for (let p: number | null = input.parentId; p != null;) {
          if (p === id) throw new AppError('bad_request', '上级单位不能是本单位或其下级单位', { field: 'parentId' });
          if (seen.has(p)) break;
          seen.add(p);
          const row: { parent_id: number | null } | undefined = await trx
            .selectFrom('units')
            .select('parent_id')
            .where('id', '=', p)
            .executeTakeFirst();
          p = row?.parent_id ?? null;
        }
      }
      const set: Partial<{ name: string; parent_id: number | null; is_24x7: boolean; active: boolean }> = {};
      if (input.name !== undefined) set.name = input.name;
      if (input.parentId !== undefined) set.parent_id = input.parentId;
      if (input.is24x7 !== undefined) set.is_24x7 = input.is24x7;
      if (input.active !== undefined) set.active = input.active;
      const updated = Object.keys(set).length
        ? await trx.updateTable('units').set(set).where('id', '=', id).returningAll().executeTakeFirstOrThrow()
        : unit;
      let regionCodes = before.region_codes;
      if (input.regionCodes !== undefined) {
        regionCodes = await this.checkRegions(trx, input.regionCodes);
        await trx.deleteFrom('unit_regions').where('unit_id', '=', id).execute();
        if (regionCodes.length)
          await trx
            .insertInto('unit_regions')
            .values(regionCodes.map((c) => ({ unit_id: id, region_code: c })))
            .execute();
      }
      const after = { ...updated, region_codes: regionCodes };
      const action =
        input.active === false && unit.active
          ? 'deactivate'
          : input.active === true && !unit.active
            ? 'activate'
            : 'update';
      await this.audit(trx, actor, 'unit', String(id), action, before, after);
      return after;
    });
  }

  // ---- categories --------------------------------------------------------------------------------------

  async createCategory(actor: Actor, input: CreateCategoryInput) {
    requireRole(actor, 'admin');
    return this.db.transaction().execute(async (trx) => {
      const taken = await trx.selectFrom('categories').select('id').where('code', '=', input.code).executeTakeFirst();
      if (taken) throw new AppError('conflict', `分类代码 ${input.code} 已被占用`, { field: 'code' });
      let level = 1;
      if (input.parentId != null) {
        const parent = await trx
          .selectFrom('categories')
          .select(['id', 'level', 'active'])
          .where('id', '=', input.parentId)
          .executeTakeFirst();
        if (!parent || !parent.active)
          throw new AppError('bad_request', '上级分类不存在或已停用', { field: 'parentId' });
        level = parent.level + 1;
      }
      const row = await trx
        .insertInto('categories')
        .values({ code: input.code, name: input.name, parent_id: input.parentId ?? null, level, active: true })
        .returningAll()
        .executeTakeFirstOrThrow();
      await this.audit(trx, actor, 'category', String(row.id), 'create', null, row);
      return row;
    });
  }

  async updateCategory(actor: Actor, id: number, input: UpdateCategoryInput) {
    requireRole(actor, 'admin');
    return this.db.transaction().execute(async (trx) => {
      const before = await trx.selectFrom('categories').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
      if (!before) throw new AppError('not_found', '分类不存在');
      const set: Partial<{ name: string; active: boolean; keywords: string[]; replaced_by_id: null }> = {};
      if (input.name !== undefined) set.name = input.name;
      if (input.active !== undefined) set.active = input.active;
      // a merged category taken back into use is a category of its own again: its tickets teach it, not the successor
      if (input.active === true && before.replaced_by_id !== null) set.replaced_by_id = null;
      if (input.keywords !== undefined)
        set.keywords = [...new Set(input.keywords.map((k) => k.trim()).filter(Boolean))];
      const after = Object.keys(set).length
        ? await trx.updateTable('categories').set(set).where('id', '=', id).returningAll().executeTakeFirstOrThrow()
        : before;
      const action =
        input.active === false && before.active
          ? 'deactivate'
          : input.active === true && !before.active
            ? 'activate'
            : 'update';
      await this.audit(trx, actor, 'category', String(id), action, before, after);
      return after;
    });
  }

  /** Every category, retired and merged ones too: the admin's tree (GET /api/categories holds the active ones). */
  async allCategories(actor: Actor) {
    requireRole(actor, 'admin');
    return this.db.selectFrom('categories').selectAll().orderBy('code').execute();
  }

  /**
   * 合并: a leaf category is retired into another usable leaf (第四条 智能分类, issue 13). Its tickets keep their
   * category; the classifier learns them as the successor's and suggests the successor in its place. Categories merged
   * into it before now point at the successor too, so a chain is never longer than one step. One transaction, audited.
   */
  async mergeCategory(actor: Actor, id: number, intoId: number) {
    requireRole(actor, 'admin');
    if (id === intoId) throw new AppError('bad_request', '不能合并到分类自身', { field: 'intoId' });
    return this.db.transaction().execute(async (trx) => {
      // both rows locked in one order, so two merges of the same pair the other way round cannot deadlock
      const rows = await trx
        .selectFrom('categories')
        .selectAll()
        .where('id', 'in', [id, intoId])
        .orderBy('id')
        .forUpdate()
        .execute();
      const before = rows.find((r) => r.id === id);
      if (!before) throw new AppError('not_found', '分类不存在');
      if (!rows.some((r) => r.id === intoId)) throw new AppError('bad_request', '目标分类不存在', { field: 'intoId' });
      // the tree is a few hundred rows: read once, it answers both questions below
      const all = await trx.selectFrom('categories').select(['id', 'name', 'parent_id', 'active']).execute();
      if (all.some((c) => c.parent_id === id && c.active))
        throw new AppError('bad_request', '只能合并末级分类：请先停用或合并其下级分类', { field: 'id' });
      const tree = viewTree(
        all.map((c) => ({ id: c.id, name: c.name, parentId: c.parent_id, active: c.active, keywords: [] })),
      );
      // tickets are filed under usable leaves only, so only such a category can take the merged one's place
      if (!tree.leaves.has(intoId))
        throw new AppError('bad_request', '目标分类须为启用中的末级分类', { field: 'intoId' });
      const after = await trx
        .updateTable('categories')
        .set({ active: false, replaced_by_id: intoId })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow();
      const redirected = await trx
        .updateTable('categories')
        .set({ replaced_by_id: intoId })
        .where('replaced_by_id', '=', id)
        .returning('id')
        .execute();
      await this.audit(trx, actor, 'category', String(id), 'merge', before, {
        ...after,
        // categories merged into this one earlier: they now point at the successor as well
        redirectedIds: redirected.map((r) => r.id),
      });
      return after;
    });
  }

  // ---- helpers -----------------------------------------------------------------------------------------

  private async requireActiveUnit(trx: Kysely<DB>, unitId: number) {
    const unit = await trx.selectFrom('units').select(['id', 'active']).where('id', '=', unitId).executeTakeFirst();
    if (!unit || !unit.active) throw new AppError('bad_request', '所属单位不存在或已停用', { field: 'unitId' });
  }

  private async requireUnit(trx: Kysely<DB>, unitId: number, field: string) {
    const unit = await trx.selectFrom('units').select('id').where('id', '=', unitId).executeTakeFirst();
    if (!unit) throw new AppError('bad_request', '上级单位不存在', { field });
  }

  private async checkRegions(trx: Kysely<DB>, codes: string[]): Promise<string[]> {
    const unique = dedupe(codes);
    if (!unique.length) return [];
    const found = await trx.selectFrom('regions').select('code').where('code', 'in', unique).execute();
    const known = new Set(found.map((r) => r.code));
    const missing = unique.filter((c) => !known.has(c));
    if (missing.length)
      throw new AppError('bad_request', `行政区划代码不存在：${missing.join('、')}`, { field: 'regionCodes', missing });
    return unique.sort();
  }

  private async unitRegions(trx: Kysely<DB>, unitId: number): Promise<string[]> {
    const rows = await trx
      .selectFrom('unit_regions')
      .select('region_code')
      .where('unit_id', '=', unitId)
      .orderBy('region_code')
      .execute();
    return rows.map((r) => r.region_code);
  }

  private audit(
    trx: Kysely<DB>,
    actor: Actor,
    entity: string,
    entityId: string,
    action: string,
    before: unknown,
    after: unknown,
  ) {
    return insertActorAudit(trx, actor, {
      entity,
      entityId,
      action,
      before,
      after,
      at: this.clock.now(),
    });
  }
}

function dedupe<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}

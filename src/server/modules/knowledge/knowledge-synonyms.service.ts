import { sql, type Kysely } from 'kysely';
import type { Clock } from '../../clock.js';
import type { DB } from '../../db/schema.js';
import { normaliseQuery, type SynonymGroups } from '../../domain/knowledge-search.js';
import { AppError } from '../../errors.js';
import { insertActorAudit } from '../audit/admin-audit.repository.js';
import { requireRole, type Actor } from '../auth/actor.js';

/** How long a process trusts its copy of the synonyms: several processes converge within this after an edit. */
export const SYNONYM_TTL_MS = 30_000;

export interface SynonymGroup {
  id: number;
  terms: string[];
  active: boolean;
  updatedAt: Date;
  updatedBy: string | null;
}

// 第十八条: synonyms the centre keeps (社保 / 社会保险). Every search expands with them, so they are held in
// process and re-read when this process changed them or when its copy is older than SYNONYM_TTL_MS.
export class KnowledgeSynonymService {
  private cache: { groups: SynonymGroups; at: number } | null = null;

  constructor(private readonly deps: { db: Kysely<DB>; clock: Clock }) {}

  /** The active groups, normalised, for searching. */
  async activeGroups(): Promise<SynonymGroups> {
    const now = this.deps.clock.now().getTime();
    if (this.cache && Math.abs(now - this.cache.at) < SYNONYM_TTL_MS) return this.cache.groups;
    const rows = await this.deps.db
      .selectFrom('knowledge_synonyms')
      .select('terms')
      .where('active', '=', true)
      .orderBy('id')
      .execute();
    const groups = rows.map((r) => r.terms.map((t) => normaliseQuery(t, 40)).filter(Boolean));
    this.cache = { groups, at: now };
    return groups;
  }

  invalidate() {
    this.cache = null;
  }

  async list(): Promise<SynonymGroup[]> {
    const rows = await this.deps.db
      .selectFrom('knowledge_synonyms as s')
      .leftJoin('users as u', 'u.id', 's.updated_by')
      .select(['s.id', 's.terms', 's.active', 's.updated_at', 'u.display_name'])
      .orderBy('s.active', 'desc')
      .orderBy('s.id')
      .limit(2000)
      .execute();
    return rows.map((r) => ({
      id: r.id,
      terms: r.terms,
      active: r.active,
      updatedAt: r.updated_at,
      updatedBy: r.display_name,
    }));
  }

  async create(actor: Actor, terms: string[]) {
    requireRole(actor, 'knowledge_reviewer', 'admin');
    const clean = this.clean(terms);
    const now = this.deps.clock.now();
    const id = await this.deps.db.transaction().execute(async (trx) => {
      await this.assertNoOverlap(trx, clean, null);
      const row = await trx
        .insertInto('knowledge_synonyms')
        .values({ terms: clean, active: true, updated_by: actor.userId, updated_at: now })
        .returning('id')
        .executeTakeFirstOrThrow();
      await insertActorAudit(trx, actor, {
        entity: 'knowledge_synonym',
        entityId: String(row.id),
        action: 'create',
        before: null,
        after: { terms: clean, active: true },
        at: now,
      });
      return row.id;
    });
    this.invalidate();
    return (await this.list()).find((g) => g.id === id)!;
  }

  async update(actor: Actor, id: number, patch: { terms?: string[]; active?: boolean }) {
    requireRole(actor, 'knowledge_reviewer', 'admin');
    const now = this.deps.clock.now();
    await this.deps.db.transaction().execute(async (trx) => {
      const before = await trx
        .selectFrom('knowledge_synonyms')
        .select(['terms', 'active'])
        .where('id', '=', id)
        .forUpdate()
        .executeTakeFirst();
      if (!before) throw new AppError('not_found', '同义词组不存在');
      const terms = patch.terms ? this.clean(patch.terms) : before.terms;
      const active = patch.active ?? before.active;
      if (active) await this.assertNoOverlap(trx, terms, id);
      await trx
        .updateTable('knowledge_synonyms')
        .set({ terms, active, updated_by: actor.userId, updated_at: now })
        .where('id', '=', id)
        .execute();
      await insertActorAudit(trx, actor, {
        entity: 'knowledge_synonym',
        entityId: String(id),
        action: 'update',
        before,
        after: { terms, active },
        at: now,
      });
    });
    this.invalidate();
    return (await this.list()).find((g) => g.id === id)!;
  }

  private clean(terms: string[]): string[] {
    const out = terms.map((t) => normaliseQuery(t, 20).replace(/\s+/g, ''));
    if (out.some((t) => !t)) throw new AppError('bad_request', '同义词不能为空', { field: 'terms' });
    if (new Set(out).size !== out.length) throw new AppError('bad_request', '同一组内的词不能重复', { field: 'terms' });
    return out;
  }

  /** A term in two active groups would make the groups' meaning depend on their order: refused. */
  private async assertNoOverlap(trx: Kysely<DB>, terms: string[], exceptId: number | null) {
    let q = trx
      .selectFrom('knowledge_synonyms')
      .select(['id', 'terms'])
      .where('active', '=', true)
      .where(sql<boolean>`terms && ${sql.val(terms)}::text[]`);
    if (exceptId !== null) q = q.where('id', '!=', exceptId);
    const other = await q.executeTakeFirst();
    if (other) {
      const shared = other.terms.filter((t) => terms.includes(t));
      throw new AppError('conflict', `“${shared.join('、')}”已在另一组同义词中（${other.terms.join(' / ')}）`, {
        field: 'terms',
        groupId: other.id,
      });
    }
  }
}

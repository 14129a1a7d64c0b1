import { AppError } from '../../errors.js';
import { MAX_VIEWS_PER_SCREEN, type SavedViewBody } from '../../../shared/contracts/saved-views.js';
import { hasRole, PEOPLE_ROLES, type Actor } from '../auth/actor.js';
import { insertActorAudit } from '../audit/admin-audit.repository.js';
import type { ServiceDeps } from '../tickets/ticket-workflow.js';
import * as repo from './saved-views.repository.js';

/** Issue 14: a person's saved views of a list screen. Their own only: another's view is answered as missing. */
export class SavedViewsService {
  constructor(private readonly deps: ServiceDeps) {}

  async list(actor: Actor, screen: string) {
    personOnly(actor);
    const rows = await repo.listViews(this.deps.db, actor.userId, screen);
    return { items: rows.map(present) };
  }

  async save(actor: Actor, body: SavedViewBody) {
    personOnly(actor);
    const at = this.deps.clock.now();
    return this.deps.db.transaction().execute(async (trx) => {
      const existing = (await repo.listViews(trx, actor.userId, body.screen)).find((v) => v.name === body.name);
      if (!existing && (await repo.countViews(trx, actor.userId, body.screen)) >= MAX_VIEWS_PER_SCREEN)
        throw new AppError('unprocessable', `每个列表最多保存 ${MAX_VIEWS_PER_SCREEN} 个视图，请先删除不用的视图`);
      const row = await repo.upsertView(trx, { userId: actor.userId, ...body, at });
      await insertActorAudit(trx, actor, {
        entity: 'saved_view',
        entityId: String(row.id),
        action: existing ? 'update' : 'create',
        before: existing ? { screen: body.screen, name: existing.name, params: existing.params } : null,
        after: { screen: body.screen, name: body.name, params: body.params },
        at,
      });
      return present(row);
    });
  }

  async remove(actor: Actor, id: number) {
    personOnly(actor);
    const at = this.deps.clock.now();
    await this.deps.db.transaction().execute(async (trx) => {
      const gone = await repo.deleteOwnView(trx, actor.userId, id);
      if (!gone) throw new AppError('not_found', '视图不存在');
      await insertActorAudit(trx, actor, {
        entity: 'saved_view',
        entityId: String(id),
        action: 'delete',
        before: { screen: gone.screen, name: gone.name, params: gone.params },
        after: null,
        at,
      });
    });
  }
}

/** Views belong to people: a gateway's or partner's token (or any scoped integration token) has none. */
function personOnly(actor: Actor) {
  if (actor.tokenScopes || !hasRole(actor, ...PEOPLE_ROLES))
    throw new AppError('forbidden', '仅工作人员可使用保存的视图');
}

function present(r: { id: number; name: string; params: unknown; created_at: Date }) {
  const params = typeof r.params === 'string' ? (JSON.parse(r.params) as Record<string, string>) : r.params;
  return { id: r.id, name: r.name, params: params as Record<string, string>, createdAt: r.created_at };
}

import { AppError } from '../../errors.js';
import type { KnowledgeStanding } from '../../domain/knowledge-workflow.js';
import { hasRole, PEOPLE_ROLES, UNIT_ROLES, type Actor } from '../auth/actor.js';

// 第十八条 and 第三十条 (access control) for the knowledge base:
// - a unit's staff read and write their own unit's articles only (another unit's: 404, its existence not revealed);
// - the centre's knowledge reviewer and the admin read all; only the reviewer writes (the admin configures);
// - other centre staff (agents, dispatchers, …) read published articles only — search is their main way in;
// - machine clients use the push API only (第十八条第二款), never these routes.

/** Any person may read the knowledge base; a machine token may not. */
export function assertKnowledgeReader(actor: Actor): void {
  if (!hasRole(actor, ...PEOPLE_ROLES)) throw new AppError('forbidden', '对接系统不能使用该接口，请使用知识推送接口');
}

export type ReaderKind = 'all' | 'unit' | 'published';
export function readerKind(actor: Actor): ReaderKind {
  if (hasRole(actor, 'knowledge_reviewer', 'admin')) return 'all';
  if (hasRole(actor, ...UNIT_ROLES)) return 'unit';
  return 'published';
}

export function canSeeArticle(actor: Actor, a: { owner_unit_id: number; status: string }): boolean {
  const k = readerKind(actor);
  if (k === 'all') return true;
  if (k === 'unit') return a.owner_unit_id === actor.unitId;
  return a.status === 'published';
}

/** Whether the actor sees the article's working versions and history, not only what is published. */
export function seesWorkings(actor: Actor, a: { owner_unit_id: number }): boolean {
  const k = readerKind(actor);
  return k === 'all' || (k === 'unit' && a.owner_unit_id === actor.unitId);
}

export function standingOf(actor: Actor, a: { owner_unit_id: number }): KnowledgeStanding {
  if (hasRole(actor, 'knowledge_reviewer')) return 'reviewer';
  if (actor.unitId === a.owner_unit_id) {
    if (hasRole(actor, 'unit_manager')) return 'manager';
    if (hasRole(actor, 'handler')) return 'editor';
    if (hasRole(actor, 'partner')) return 'unit_system';
  }
  return 'outsider';
}

export const articleNotFound = () => new AppError('not_found', '知识条目不存在或无权查看');

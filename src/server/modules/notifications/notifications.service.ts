import { AppError } from '../../errors.js';
import { readJson } from '../../db/json.js';
import type { ServiceDeps } from '../tickets/ticket-workflow.js';
import { hasRole, type Actor } from '../auth/actor.js';
import { reportTitle } from '../tickets/tickets.presenter.js';
import { notificationLevel, notificationText, UNREAD_CAP } from '../../../shared/domain/notifications.js';
import type { NotificationsPage, UnreadCount } from '../../../shared/contracts/notifications.js';
import * as repo from './notifications.repository.js';

// Issue 14 (第十四、十五条): the bell of a unit's staff. Its notifications are the unit's own feed (unit_feed, fanned out
// in commit order by jobs/unit-feed.ts) filtered to the kinds a unit must act on; each user has a read cursor.
//
// Centre staff get none from here (403): what they must act on is already on their queues — the dispatcher's
// pending return and extension applications, the callback queue, the supervisors' cases — and a bell counting the
// same things again would only be noise. Machine tokens get none either: notifications are for people.

export class NotificationService {
  constructor(private readonly deps: ServiceDeps) {}

  /** The unit whose notifications the actor reads: a handler or manager of a unit, signed in. */
  private unitOf(actor: Actor): number {
    if (actor.tokenScopes || actor.scope !== 'unit' || !hasRole(actor, 'handler', 'unit_manager'))
      throw new AppError('forbidden', '通知提醒仅面向承办单位的承办人和单位负责人', {
        requiredRoles: ['handler', 'unit_manager'],
      });
    return actor.unitId;
  }

  async list(actor: Actor, q: { before?: number; limit: number }): Promise<NotificationsPage> {
    const unitId = this.unitOf(actor);
    const [rows, cursor] = await Promise.all([
      repo.notificationPage(this.deps.db, unitId, q.before, q.limit + 1),
      repo.readCursor(this.deps.db, actor.userId, unitId),
    ]);
    const page = rows.slice(0, q.limit);
    return {
      items: page.map((r) => ({
        id: r.id,
        ticketId: r.ticket_id,
        ticketNumber: r.number,
        // 第三十三条: the unit a 举报 is about reads the title written for it, as on its screens
        title: r.request_type === 'report' && r.reported_unit_id === unitId ? reportTitle(r.unit_text) : r.title,
        kind: r.kind,
        text: notificationText(r.kind, r.role, readJson<Record<string, unknown> | null>(r.data) ?? {}),
        level: notificationLevel(r.kind),
        at: r.at.toISOString(),
        read: r.id <= cursor,
      })),
      next: rows.length > q.limit ? page[page.length - 1]!.id : null,
    };
  }

  /** The badge: notifications newer than the user's cursor, counted up to the cap (never an unbounded count). */
  async unread(actor: Actor): Promise<UnreadCount> {
    const unitId = this.unitOf(actor);
    const cursor = await repo.readCursor(this.deps.db, actor.userId, unitId);
    const n = await repo.unreadCount(this.deps.db, unitId, cursor, UNREAD_CAP);
    return { count: Math.min(n, UNREAD_CAP), display: n > UNREAD_CAP ? `${UNREAD_CAP}+` : String(n) };
  }

  /**
   * Marks notifications read up to a feed id, or all so far. The cursor is the user's own screen state, not a step
   * of any ticket: it is not audited. It never moves past the unit's newest feed row (a later row must not be
   * skipped) and never moves back.
   */
  async markRead(actor: Actor, body: { upTo?: number; all?: true }) {
    const unitId = this.unitOf(actor);
    return this.deps.db.transaction().execute(async (trx) => {
      const latest = await repo.latestFeedId(trx, unitId);
      const upTo = Math.min(body.all ? latest : body.upTo!, latest);
      const cursor = await repo.advanceReadCursor(trx, actor.userId, unitId, upTo, this.deps.clock.now());
      return { readUpTo: cursor };
    });
  }
}

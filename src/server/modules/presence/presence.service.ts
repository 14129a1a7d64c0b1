import { AppError } from '../../errors.js';
import {
  checkChange,
  effectiveState,
  PRESENCE_LABELS,
  timeInStates,
  type SettableState,
} from '../../../shared/domain/agent-presence.js';
import { hasRole, requireRole, type Actor } from '../auth/actor.js';
import type { ServiceDeps } from '../tickets/ticket-workflow.js';
import * as repo from './presence.repository.js';

/** The longest look back of the shift figures: a 24-hour shift. */
export const SHIFT_MAX_HOURS = 24;

// 坐席状态 and the agent's own figures for the shift (issue 14). An agent sets 示闲/示忙/小休 for themself; the console
// beats every minute so a closed tab goes offline by itself; supervisors see their centre's agents; the CTI gateway
// reads who may be offered a call.
export class PresenceService {
  constructor(private readonly deps: ServiceDeps) {}

  async mine(actor: Actor) {
    requireRole(actor, 'agent');
    const now = this.deps.clock.now();
    const row = await repo.currentPresence(this.deps.db, actor.userId);
    // this call is the console's beat: a console back after a silence carries on in the state it had set
    if (row && row.state !== 'offline') {
      await repo.touchPresence(this.deps.db, actor.userId, now);
      row.seen_at = now;
    }
    const state = effectiveState(row && { state: row.state, since: row.since, seenAt: row.seen_at }, now);
    return {
      state,
      label: PRESENCE_LABELS[state],
      reason: state === 'break' ? (row?.reason ?? null) : null,
      since: row?.since ?? null,
    };
  }

  async set(actor: Actor, input: { state: SettableState; reason?: string | null }) {
    requireRole(actor, 'agent');
    const error = checkChange(input.state, input.reason);
    if (error) throw new AppError('bad_request', error, { field: 'state' });
    const now = this.deps.clock.now();
    await this.deps.db.transaction().execute(async (trx) => {
      // one change at a time per agent: two tabs setting at once leave one log row each, in order
      await trx.selectFrom('users').select('id').where('id', '=', actor.userId).forUpdate().executeTakeFirst();
      await repo.writePresence(trx, actor.userId, input.state, input.state === 'break' ? input.reason! : null, now);
    });
    return this.mine(actor);
  }

  /** Signing out ends the agent's availability at once (auth calls this; a no-op for everyone else). */
  async signOut(actor: Actor) {
    if (!hasRole(actor, 'agent')) return;
    const row = await repo.currentPresence(this.deps.db, actor.userId);
    if (!row || row.state === 'offline') return;
    await this.deps.db
      .transaction()
      .execute((trx) => repo.writePresence(trx, actor.userId, 'offline', null, this.deps.clock.now()));
  }

  /** 本班次: what the agent did in the last `hours` (default a 12-hour shift), and the time in each state. */
  async shift(actor: Actor, hours: number) {
    requireRole(actor, 'agent');
    const now = this.deps.clock.now();
    const from = new Date(now.getTime() - hours * 3_600_000);
    const [rows, log] = await Promise.all([
      repo.disposalsSince(this.deps.db, actor.userId, from),
      repo.presenceLog(this.deps.db, actor.userId, from, now),
    ]);
    const byDisposition = Object.fromEntries(rows.map((r) => [r.disposition ?? 'unknown', r.n]));
    const calls = rows.reduce((s, r) => s + r.calls, 0);
    const callSeconds = rows.reduce((s, r) => s + (r.avg_call_seconds ?? 0) * r.calls, 0);
    const ms = timeInStates(log.changes, from, now, log.before);
    const minutes = (x: number) => Math.round(x / 60_000);
    return {
      from,
      to: now,
      disposed: rows.reduce((s, r) => s + r.n, 0),
      byDisposition,
      ticketsOpened: byDisposition.dispatched ?? 0,
      calls,
      avgCallSeconds: calls ? Math.round(callSeconds / calls) : null,
      minutes: {
        available: minutes(ms.available),
        busy: minutes(ms.busy),
        break: minutes(ms.break),
      },
    };
  }

  /** 坐席状态 board: the agents of the supervisor's own centre. */
  async board(actor: Actor) {
    requireRole(actor, 'supervisor');
    if (actor.scope !== 'region') throw new AppError('forbidden', '仅热线工作机构的督办员可查看坐席状态');
    const now = this.deps.clock.now();
    const rows = await repo.agentsOfUnit(this.deps.db, actor.unitId);
    return rows.map((r) => {
      const state = effectiveState(
        r.state && r.since && r.seen_at ? { state: r.state, since: r.since, seenAt: r.seen_at } : null,
        now,
      );
      return {
        userId: r.id,
        name: r.display_name,
        state,
        label: PRESENCE_LABELS[state],
        reason: state === 'break' ? r.reason : null,
        since: r.state ? (state === r.state ? r.since : r.seen_at) : null,
      };
    });
  }

  /** For the CTI gateway: which agents may be offered a call now (available and their console alive). */
  async routing() {
    const now = this.deps.clock.now();
    const rows = await repo.agentsForRouting(this.deps.db);
    return rows.map((r) => {
      const state = effectiveState({ state: r.state, since: r.since, seenAt: r.seen_at }, now);
      return { agentUsername: r.username, state, available: state === 'available', since: r.since };
    });
  }
}

import { sql, type Kysely } from 'kysely';
import type { DB, TicketStatus } from '../../db/schema.js';
import type { Clock } from '../../clock.js';
import { localDateOf, localInstant } from '../../domain/calendar.js';
import {
  DEADLINE_KIND_LABELS,
  DEADLINE_STATE_LABELS,
  deadlineState,
  type DeadlineState,
} from '../../../shared/domain/deadline-state.js';
import { OPEN_STATUSES, STATUS_LABELS } from '../../../shared/domain/transitions.js';
import { AppError } from '../../errors.js';
import { CENTRE_ROLES, hasRole, UNIT_ROLES, type Actor } from '../auth/actor.js';
import * as repo from '../tickets/tickets.repository.js';

// Figures for the centre's overview and deadline states for work queues. Every query is bounded by what is
// open or by today: today's tickets through tickets_created, open tickets through tickets_status_queue, and
// their open deadlines through deadlines_ticket — never a count over the whole history.

export const CHANNEL_LABELS: Record<string, string> = {
  phone: '电话',
  sms: '短信',
  wechat: '微信',
  weibo: '微博',
  web: '网站',
  api: '接口',
  grid: '主动发现',
};

/** The risk states a queue or chart cares about. */
type RiskState = Extract<DeadlineState, 'warning' | 'breached'>;

export class StatsService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: Clock,
  ) {}

  private assertCentre(actor: Actor) {
    if (actor.scope !== 'region' || !hasRole(actor, ...CENTRE_ROLES))
      throw new AppError('forbidden', '仅热线工作机构人员可查看统计概览');
  }

  async overview(actor: Actor) {
    this.assertCentre(actor);
    const now = this.clock.now();
    const today = localDateOf(now);
    const from = localInstant(today);
    const to = localInstant(today, 1440);
    const prefixes = actor.regionPrefixes;
    const empty = {
      date: today,
      generatedAt: now,
      todayTotal: 0,
      byChannel: [],
      byCategory: [],
      openByStatus: OPEN_STATUSES.map((s) => ({ status: s, label: STATUS_LABELS[s], count: 0 })),
      deadlines: { warning: 0, breached: 0, byKind: [] },
      atRisk: [],
    };
    if (prefixes.length === 0) return empty;

    // Today's intake: range on created_at (tickets_created), grouped by channel and by top-level category.
    const todayRows = await this.db
      .selectFrom('tickets')
      .innerJoin('categories as c', 'c.id', 'tickets.category_id')
      .leftJoin('categories as p', 'p.id', 'c.parent_id')
      .select([
        'tickets.channel',
        sql<string>`coalesce(p.name, c.name)`.as('category'),
        sql<number>`count(*)::int`.as('n'),
      ])
      .where('tickets.created_at', '>=', from)
      .where('tickets.created_at', '<', to)
      .where(repo.inRegions(prefixes))
      .groupBy(['tickets.channel', sql`coalesce(p.name, c.name)`])
      .execute();
    const byChannel = new Map<string, number>();
    const byCategory = new Map<string, number>();
    for (const r of todayRows) {
      byChannel.set(r.channel, (byChannel.get(r.channel) ?? 0) + Number(r.n));
      byCategory.set(r.category, (byCategory.get(r.category) ?? 0) + Number(r.n));
    }

    // Open tickets by status: only the open statuses (tickets_status_queue), never closed history.
    const statusRows = await this.db
      .selectFrom('tickets')
      .select(['tickets.status', sql<number>`count(*)::int`.as('n')])
      .where('tickets.status', 'in', OPEN_STATUSES)
      .where(repo.inRegions(prefixes))
      .groupBy('tickets.status')
      .execute();
    const statusCount = new Map(statusRows.map((r) => [r.status, Number(r.n)]));

    // Open deadlines of open tickets (deadlines_ticket), their state derived the same way the ticket view does.
    const deadlineRows = await this.db
      .selectFrom('tickets')
      .innerJoin('deadlines as d', 'd.ticket_id', 'tickets.id')
      .leftJoin('units as u', 'u.id', 'd.unit_id')
      .select([
        'tickets.id as ticket_id',
        'tickets.number',
        'tickets.title',
        'tickets.status',
        'd.kind',
        'd.unit_id',
        'u.name as unit_name',
        'd.due_at',
        'd.warn_at',
        'd.met_at',
        'd.cancelled_at',
        'd.breached_at',
      ])
      .where('tickets.status', 'in', OPEN_STATUSES)
      .where(repo.inRegions(prefixes))
      .where('d.met_at', 'is', null)
      .where('d.cancelled_at', 'is', null)
      .where((eb) => eb.or([eb('d.breached_at', 'is not', null), eb('d.warn_at', '<=', now)]))
      .execute();
    const byKind = new Map<string, { warning: number; breached: number }>();
    const atRisk: Array<{
      ticketId: number;
      number: string;
      title: string;
      status: TicketStatus;
      statusLabel: string;
      kind: string;
      kindLabel: string;
      unitName: string | null;
      dueAt: Date;
      state: RiskState;
      stateLabel: string;
    }> = [];
    let warning = 0;
    let breached = 0;
    for (const r of deadlineRows) {
      const state = deadlineState(r, now);
      if (state !== 'warning' && state !== 'breached') continue;
      if (state === 'warning') warning++;
      else breached++;
      const k = byKind.get(r.kind) ?? { warning: 0, breached: 0 };
      k[state]++;
      byKind.set(r.kind, k);
      atRisk.push({
        ticketId: r.ticket_id,
        number: r.number,
        title: r.title,
        status: r.status,
        statusLabel: STATUS_LABELS[r.status],
        kind: r.kind,
        kindLabel: DEADLINE_KIND_LABELS[r.kind] ?? r.kind,
        unitName: r.unit_name,
        dueAt: r.due_at,
        state,
        stateLabel: DEADLINE_STATE_LABELS[state],
      });
    }
    atRisk.sort((a, b) =>
      a.state === b.state ? a.dueAt.getTime() - b.dueAt.getTime() : a.state === 'breached' ? -1 : 1,
    );

    return {
      date: today,
      generatedAt: now,
      todayTotal: todayRows.reduce((s, r) => s + Number(r.n), 0),
      byChannel: [...byChannel]
        .map(([channel, count]) => ({ channel, label: CHANNEL_LABELS[channel] ?? channel, count }))
        .sort((a, b) => b.count - a.count),
      byCategory: [...byCategory].map(([name, count]) => ({ name, count })).sort((a, b) => b.count - a.count),
      openByStatus: OPEN_STATUSES.map((s) => ({ status: s, label: STATUS_LABELS[s], count: statusCount.get(s) ?? 0 })),
      deadlines: {
        warning,
        breached,
        byKind: [...byKind].map(([kind, v]) => ({ kind, label: DEADLINE_KIND_LABELS[kind] ?? kind, ...v })),
      },
      atRisk: atRisk.slice(0, 20),
    };
  }

  /**
   * The most urgent open deadline of each listed ticket, for queue colouring (the queue itself only carries
   * due_at). Bounded by the ids given (≤ 200) and limited to tickets the actor may see.
   */
  async queueDeadlines(actor: Actor, ticketIds: number[]) {
    if (ticketIds.length === 0) return { items: [] };
    const now = this.clock.now();
    let q = this.db
      .selectFrom('deadlines as d')
      .innerJoin('tickets', 'tickets.id', 'd.ticket_id')
      .select([
        'd.ticket_id',
        'd.kind',
        'd.unit_id',
        'd.due_at',
        'd.warn_at',
        'd.met_at',
        'd.cancelled_at',
        'd.breached_at',
      ])
      .where('d.ticket_id', 'in', ticketIds)
      .where('d.met_at', 'is', null)
      .where('d.cancelled_at', 'is', null);
    if (actor.scope === 'region' && hasRole(actor, ...CENTRE_ROLES)) {
      const prefixes = actor.regionPrefixes;
      if (prefixes.length === 0) return { items: [] };
      q = q.where(repo.inRegions(prefixes));
    } else if (hasRole(actor, ...UNIT_ROLES)) {
      // Only deadlines of tickets my unit works on, and only my unit's own deadlines (or the ticket-wide ones).
      q = q
        .where((eb) =>
          eb.exists(
            eb
              .selectFrom('ticket_assignments as a')
              .select(sql`1`.as('one'))
              .whereRef('a.ticket_id', '=', 'd.ticket_id')
              .where('a.unit_id', '=', actor.unitId)
              .where('a.status', '!=', 'ended'),
          ),
        )
        .where((eb) => eb.or([eb('d.unit_id', '=', actor.unitId), eb('d.unit_id', 'is', null)]));
    } else {
      throw new AppError('forbidden', '当前角色无权查看工单时限');
    }
    const rows = await q.orderBy('d.due_at').execute();
    const rank: Record<string, number> = { breached: 0, warning: 1, ok: 2 };
    const best = new Map<
      number,
      { ticketId: number; kind: string; kindLabel: string; dueAt: Date; state: DeadlineState; stateLabel: string }
    >();
    for (const r of rows) {
      const state = deadlineState(r, now);
      const cur = best.get(r.ticket_id);
      if (cur && (rank[cur.state] ?? 3) <= (rank[state] ?? 3)) continue;
      best.set(r.ticket_id, {
        ticketId: r.ticket_id,
        kind: r.kind,
        kindLabel: DEADLINE_KIND_LABELS[r.kind] ?? r.kind,
        dueAt: r.due_at,
        state,
        stateLabel: DEADLINE_STATE_LABELS[state],
      });
    }
    return { items: [...best.values()] };
  }
}

import type { Selectable } from 'kysely';
import type { SubDispatchesTable } from '../../db/schema-sub-dispatch.js';
import { AppError } from '../../errors.js';
import {
  SUB_STATUS_LABELS,
  type SubDispatchItem,
  type SubDispatchStatus,
  type SubExtensionItem,
} from '../../../shared/contracts/sub-dispatch.js';
import { CENTRE_ROLES, hasRole, UNIT_ROLES, type Actor } from '../auth/actor.js';
import { assertCanView } from './tickets.policy.js';
import * as repo from './tickets.repository.js';
import * as sub from './sub-dispatch.repository.js';
import type { ServiceDeps } from './ticket-workflow.js';

type Row = Selectable<SubDispatchesTable> & {
  unit_name: string;
  parent_unit_name: string;
  dispatched_by_name: string | null;
  number: string;
  title: string;
  ticket_status: string;
  ticket_due_at: Date | null;
};

const iso = (d: Date | null | undefined) => (d ? new Date(d).toISOString() : null);

// Keyset cursors over (due_at, id), opaque to clients.
const encodeCursor = (due: Date, id: number) =>
  Buffer.from(JSON.stringify([new Date(due).toISOString(), id])).toString('base64url');
function decodeCursor(c: string): [Date, number] {
  try {
    const v: unknown = JSON.parse(Buffer.from(c, 'base64url').toString('utf8'));
    if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && Number.isInteger(v[1])) {
      const d = new Date(v[0]);
      if (!Number.isNaN(d.getTime()) && (v[1] as number) > 0 && (v[1] as number) < 2 ** 53) return [d, v[1] as number];
    }
  } catch {
    /* fall through */
  }
  throw new AppError('bad_request', '分页游标无效', { field: 'after' });
}

/** Reads of 二级派单: the chain on a ticket page, and the queues of the sub-unit and of the lead unit. */
export class SubDispatchQueries {
  constructor(private readonly deps: ServiceDeps) {}

  /**
   * The ticket's sub-dispatches: the centre sees the whole chain, the lead unit its sub-units' progress, and a
   * sub-unit only what was passed to it.
   */
  async forTicket(actor: Actor, ticketId: number): Promise<{ items: SubDispatchItem[] }> {
    const { db, clock } = this.deps;
    const ticket = await repo.findTicket(db, ticketId);
    await assertCanView(db, actor, ticket);
    const t = ticket!;
    const centre = actor.scope === 'region' && hasRole(actor, ...CENTRE_ROLES);
    let rows = await sub.listForTicket(db, ticketId);
    if (!centre && t.lead_unit_id !== actor.unitId) rows = rows.filter((r) => r.unit_id === actor.unitId);
    const extensions = await sub.listExtensions(
      db,
      rows.map((r) => r.id),
    );
    const now = clock.now();
    return {
      items: rows.map((r) => ({
        ...present(
          {
            ...r,
            number: t.number,
            title: t.title,
            ticket_status: t.status,
            ticket_due_at: t.due_at,
          },
          now,
        ),
        extensions: extensions.filter((x) => x.sub_dispatch_id === r.id).map(presentExtension),
      })),
    };
  }

  /** 'received': what the lead unit passed to my unit; 'sent': what my unit passed down. By sub-deadline, keyset. */
  async queue(
    actor: Actor,
    q: { view: 'received' | 'sent'; status?: SubDispatchStatus[]; after?: string; limit: number },
  ): Promise<{ items: SubDispatchItem[]; next: string | null }> {
    if (!hasRole(actor, ...UNIT_ROLES)) throw new AppError('forbidden', '仅承办单位人员可查看转派工单');
    const { db, clock } = this.deps;
    const statuses = q.status?.length ? [...new Set(q.status)] : sub.LIVE_SUB_STATUSES;
    let query = db
      .selectFrom('sub_dispatches as s')
      .innerJoin('tickets as t', 't.id', 's.ticket_id')
      .innerJoin('units as u', 'u.id', 's.unit_id')
      .innerJoin('units as p', 'p.id', 's.parent_unit_id')
      .leftJoin('users as d', 'd.id', 's.dispatched_by')
      .selectAll('s')
      .select([
        'u.name as unit_name',
        'p.name as parent_unit_name',
        'd.display_name as dispatched_by_name',
        't.number',
        't.title',
        't.status as ticket_status',
        't.due_at as ticket_due_at',
      ])
      .where(q.view === 'received' ? 's.unit_id' : 's.parent_unit_id', '=', actor.unitId)
      .where('s.status', 'in', statuses);
    if (q.after) {
      const [due, id] = decodeCursor(q.after);
      query = query.where((eb) => eb(eb.refTuple('s.due_at', 's.id'), '>', eb.tuple(due, id)));
    }
    const rows = (await query
      .orderBy('s.due_at')
      .orderBy('s.id')
      .limit(q.limit + 1)
      .execute()) as Row[];
    const items = rows.slice(0, q.limit);
    const last = items[items.length - 1];
    const now = clock.now();
    return {
      items: items.map((r) => present(r, now)),
      next: rows.length > q.limit && last ? encodeCursor(last.due_at, last.id) : null,
    };
  }
}

function present(r: Row, now: Date): SubDispatchItem {
  const live = (sub.LIVE_SUB_STATUSES as string[]).includes(r.status);
  const overdue =
    r.late_reply === true || (live && r.status !== 'submitted' && now.getTime() > new Date(r.due_at).getTime());
  return {
    id: r.id,
    ticketId: r.ticket_id,
    ticketNumber: r.number,
    ticketTitle: r.title,
    ticketStatus: r.ticket_status,
    ticketDueAt: iso(r.ticket_due_at),
    parentUnitId: r.parent_unit_id,
    parentUnitName: r.parent_unit_name,
    unitId: r.unit_id,
    unitName: r.unit_name,
    status: r.status,
    statusLabel: SUB_STATUS_LABELS[r.status],
    instructions: r.instructions,
    dispatchedAt: iso(r.dispatched_at)!,
    dispatchedByName: r.dispatched_by_name,
    acceptDueAt: iso(r.accept_due_at)!,
    returnUntil: iso(r.return_until)!,
    dueAt: iso(r.due_at)!,
    originalDueAt: iso(r.original_due_at)!,
    acceptedAt: iso(r.accepted_at),
    result: r.result,
    solved: r.solved,
    explanation: r.explanation,
    submittedAt: iso(r.submitted_at),
    reviewedAt: iso(r.reviewed_at),
    reviewNote: r.review_note,
    endedAt: iso(r.ended_at),
    endReason: r.end_reason,
    lateAccept: r.late_accept,
    lateReply: r.late_reply,
    overdue,
    canReturn:
      (r.status === 'pending' || r.status === 'accepted') && now.getTime() <= new Date(r.return_until).getTime(),
  };
}

function presentExtension(x: Awaited<ReturnType<typeof sub.listExtensions>>[number]): SubExtensionItem {
  return {
    id: x.id,
    days: x.days,
    reason: x.reason,
    progress: x.progress,
    status: x.status,
    previousDueAt: iso(x.previous_due_at)!,
    newDueAt: iso(x.new_due_at),
    reviewNote: x.review_note,
    createdAt: iso(x.created_at)!,
    decidedAt: iso(x.decided_at),
  };
}

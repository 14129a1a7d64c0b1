import type { ApplicationKind } from '../../db/schema.js';
import { requireRole, type Actor } from '../auth/actor.js';
import type { ServiceDeps } from './ticket-workflow.js';
import * as repo from './tickets.repository.js';
import { readJson } from '../../db/json.js';

/** The centre's review queue: pending applications oldest first, keyset on the indexed id. */
export class ApplicationQueries {
  constructor(private readonly deps: ServiceDeps) {}

  async pending(actor: Actor, q: { kind?: ApplicationKind; after?: number; limit: number }) {
    requireRole(actor, 'dispatcher', 'supervisor');
    let query = this.deps.db
      .selectFrom('applications')
      .innerJoin('tickets', 'tickets.id', 'applications.ticket_id')
      .innerJoin('units', 'units.id', 'applications.unit_id')
      .select([
        'applications.id',
        'applications.kind',
        'applications.ticket_id',
        'tickets.number as ticket_number',
        'tickets.title as ticket_title',
        'tickets.region_code',
        'applications.unit_id',
        'units.name as unit_name',
        'applications.reason',
        'applications.materials',
        'applications.requested_days',
        'applications.progress',
        'applications.termination_case',
        'applications.created_at',
      ])
      .where('applications.status', '=', 'pending');
    if (q.kind) query = query.where('applications.kind', '=', q.kind);
    if (q.after) query = query.where('applications.id', '>', q.after);
    const prefixes = actor.regionPrefixes;
    query = query.where(repo.inRegions(prefixes));
    const rows = prefixes.length
      ? await query
          .orderBy('applications.id')
          .limit(q.limit + 1)
          .execute()
      : [];
    const items = rows.slice(0, q.limit);
    const proposed = await this.proposedUnits(
      items.filter((a) => a.kind === 'dispute').map((a) => ({ id: a.id, ticketId: a.ticket_id })),
    );
    return {
      items: items.map((a) => ({
        id: a.id,
        kind: a.kind,
        ticketId: a.ticket_id,
        ticketNumber: a.ticket_number,
        ticketTitle: a.ticket_title,
        regionCode: a.region_code,
        unitId: a.unit_id,
        unitName: a.unit_name,
        reason: a.reason,
        materials: a.materials,
        requestedDays: a.requested_days,
        progress: a.progress,
        terminationCase: a.termination_case,
        proposedUnitIds: a.kind === 'dispute' ? (proposed.get(a.id) ?? []) : null,
        createdAt: a.created_at,
      })),
      next: rows.length > q.limit ? items[items.length - 1]!.id : null,
    };
  }

  /**
   * The units a dispute's applicant says should handle the ticket (第十六条). They are part of the application's
   * event ('dispute_applied'), the record the applicant signed; read through the ticket's event index.
   */
  private async proposedUnits(disputes: Array<{ id: number; ticketId: number }>): Promise<Map<number, number[]>> {
    if (disputes.length === 0) return new Map();
    const events = await this.deps.db
      .selectFrom('ticket_events')
      .select(['data'])
      .where('ticket_id', 'in', [...new Set(disputes.map((d) => d.ticketId))])
      .where('kind', '=', 'dispute_applied')
      .execute();
    const byApplication = new Map<number, number[]>();
    for (const e of events) {
      const data = readJson<{ applicationId?: number; proposedUnitIds?: number[] } | null>(e.data);
      if (data?.applicationId !== undefined) byApplication.set(Number(data.applicationId), data.proposedUnitIds ?? []);
    }
    return byApplication;
  }
}

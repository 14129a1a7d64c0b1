import type { ApplicationKind } from '../../db/schema.js';
import { requireRole, type Actor } from '../auth/actor.js';
import type { ServiceDeps } from './ticket-workflow.js';

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
        'applications.id', 'applications.kind', 'applications.ticket_id', 'tickets.number as ticket_number', 'tickets.title as ticket_title',
        'tickets.region_code', 'applications.unit_id', 'units.name as unit_name', 'applications.reason', 'applications.materials',
        'applications.requested_days', 'applications.progress', 'applications.termination_case', 'applications.created_at',
      ])
      .where('applications.status', '=', 'pending');
    if (q.kind) query = query.where('applications.kind', '=', q.kind);
    if (q.after) query = query.where('applications.id', '>', q.after);
    const prefixes = actor.regionPrefixes;
    query = query.where((eb) => eb.or(prefixes.map((p) => eb('tickets.region_code', 'like', `${p}%`))));
    const rows = prefixes.length ? await query.orderBy('applications.id').limit(q.limit + 1).execute() : [];
    const items = rows.slice(0, q.limit);
    return { items, next: rows.length > q.limit ? items[items.length - 1]!.id : null };
  }
}

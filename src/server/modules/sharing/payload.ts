import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { PiiCipher } from '../../security/pii-cipher.js';
import { maskName, maskPhone } from '../../domain/masking.js';
import { readJson } from '../../db/json.js';
import { eventGroupOf, SCHEMA_VERSION, type SharedEvent } from '../../../shared/contracts/sharing.js';
import { identityWithheld } from '../tickets/tickets.policy.js';
import { presentTicketSummary, SUMMARY_COLUMNS, type TicketSummaryRow } from '../tickets/tickets.presenter.js';

// 第三十条 with 第六、三十三条: what a unit receives is what it may see. Built from the same presenter as the unit's
// own screen, for that unit:
// - personal data masked as on screen (name 张**, phone 139****1234, address cut); the clear values only through
//   the audited reveal (revealPath) — never more than the screen shows without a reveal;
// - an assisting unit gets the masked name only: contacting the requester is the lead unit's work (第十六条);
// - the unit a 举报 is about gets no requester at all, the text written for it, and no event details (第三十三条);
// - a unit whose part in the ticket has ended (return approved, re-dispatched) keeps its past events but no
//   longer the ticket's current state.

export interface FeedRow {
  feed_id: number;
  unit_id: number;
  role: 'lead' | 'assist';
  event_id: number;
  ticket_id: number;
  kind: string;
  at: Date;
  from_status: string | null;
  to_status: string | null;
  reason: string | null;
  data: unknown;
}

/** Feed rows with their events: the pull feed pages them, the webhook worker reads a batch of them. */
export function feedRowsQuery(db: Kysely<DB>) {
  return db
    .selectFrom('unit_feed as f')
    .innerJoin('ticket_events as e', 'e.id', 'f.event_id')
    .select([
      'f.id as feed_id',
      'f.unit_id',
      'f.role',
      'e.id as event_id',
      'e.ticket_id',
      'e.kind',
      'e.at',
      'e.from_status',
      'e.to_status',
      'e.reason',
      'e.data',
    ]);
}

type SharedTicket = SharedEvent['ticket'];

export class SharingPayloads {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly cipher: PiiCipher,
  ) {}

  /** The events of feed rows (all of one unit or not), in the rows' order. */
  async events(rows: FeedRow[]): Promise<SharedEvent[]> {
    if (rows.length === 0) return [];
    const tickets = await this.ticketsFor(rows.map((r) => ({ unitId: r.unit_id, ticketId: r.ticket_id })));
    return rows.map((r) => {
      const t = tickets.get(`${r.unit_id}:${r.ticket_id}`)!;
      return {
        schemaVersion: SCHEMA_VERSION,
        id: String(r.feed_id),
        type: r.kind,
        group: eventGroupOf(r.kind),
        occurredAt: r.at.toISOString(),
        unit: { id: r.unit_id, role: r.role },
        event: {
          id: r.event_id,
          kind: r.kind,
          at: r.at.toISOString(),
          fromStatus: r.from_status,
          toStatus: r.to_status,
          reason: t.identityWithheld ? null : r.reason,
          data: t.identityWithheld ? {} : (readJson<Record<string, unknown> | null>(r.data) ?? {}),
        },
        ticket: t,
      };
    });
  }

  /** Tickets as each unit may see them now, keyed "unitId:ticketId". */
  async ticketsFor(pairs: Array<{ unitId: number; ticketId: number }>): Promise<Map<string, SharedTicket>> {
    const out = new Map<string, SharedTicket>();
    if (pairs.length === 0) return out;
    const ticketIds = [...new Set(pairs.map((p) => p.ticketId))];
    const unitIds = [...new Set(pairs.map((p) => p.unitId))];
    const [rows, live] = await Promise.all([
      this.db
        .selectFrom('tickets')
        .leftJoin('requesters', 'requesters.id', 'tickets.requester_id')
        .select(SUMMARY_COLUMNS)
        .select(['requesters.name_enc', 'requesters.phone_enc', 'tickets.requester_id'])
        .where('tickets.id', 'in', ticketIds)
        .execute(),
      // the unit's live part in each ticket (as the screen's access check: an assignment not ended)
      this.db
        .selectFrom('ticket_assignments')
        .select(['ticket_id', 'unit_id', 'role'])
        .where('ticket_id', 'in', ticketIds)
        .where('unit_id', 'in', unitIds)
        .where('status', '!=', 'ended')
        .execute(),
    ]);
    const byId = new Map(rows.map((r) => [r.id, r]));
    const liveRole = new Map<string, 'lead' | 'assist'>();
    for (const a of live) {
      const key = `${a.unit_id}:${a.ticket_id}`;
      if (a.role === 'lead' || !liveRole.has(key)) liveRole.set(key, a.role);
    }
    for (const p of pairs) {
      const key = `${p.unitId}:${p.ticketId}`;
      if (out.has(key)) continue;
      const t = byId.get(p.ticketId)!;
      const role = liveRole.get(key);
      out.set(key, role ? this.present(t, p.unitId, role) : ended(t));
    }
    return out;
  }

  present(
    t: TicketSummaryRow & { name_enc: string | null; phone_enc: string | null; requester_id: number | null },
    unitId: number,
    role: 'lead' | 'assist',
  ): SharedTicket {
    const viewer = { unitId };
    const s = presentTicketSummary(t, this.cipher, viewer);
    const withheld = identityWithheld(viewer, t);
    const requester =
      withheld || !t.requester_id
        ? null
        : {
            name: maskName(this.cipher.decrypt(t.name_enc)),
            phone: role === 'lead' ? maskPhone(this.cipher.decrypt(t.phone_enc)) : null,
            revealPath: role === 'lead' ? `/api/tickets/${t.id}/requester/reveal` : null,
          };
    const iso = (d: Date | null) => (d ? d.toISOString() : null);
    return {
      id: s.id,
      number: s.number,
      unitAccess: 'current',
      status: s.status,
      requestType: s.requestType,
      categoryId: s.categoryId,
      urgency: s.urgency,
      regionCode: s.regionCode,
      address: s.address,
      title: s.title,
      content: s.content,
      leadUnitId: s.leadUnitId,
      createdAt: iso(s.createdAt),
      dispatchedAt: iso(s.dispatchedAt),
      acceptedAt: iso(s.acceptedAt),
      repliedAt: iso(s.repliedAt),
      closedAt: iso(s.closedAt),
      dueAt: iso(s.dueAt),
      reply: s.reply ? { result: s.reply.result, explanation: s.reply.explanation } : null,
      satisfaction: s.satisfaction,
      requester,
      identityWithheld: withheld,
    };
  }
}

function ended(t: { id: number; number: string }): SharedTicket {
  return {
    id: t.id,
    number: t.number,
    unitAccess: 'ended',
    status: null,
    requestType: null,
    categoryId: null,
    urgency: null,
    regionCode: null,
    address: null,
    title: null,
    content: null,
    leadUnitId: null,
    createdAt: null,
    dispatchedAt: null,
    acceptedAt: null,
    repliedAt: null,
    closedAt: null,
    dueAt: null,
    reply: null,
    satisfaction: null,
    requester: null,
    identityWithheld: false,
  };
}

import { PUBLIC_EVENTS } from '../../domain/public-events.js';
import type { Kysely } from 'kysely';
import type { DB, TicketStatus } from '../../db/schema.js';
import { maskAddress, maskPhone } from '../../domain/masking.js';
import { STATUS_LABELS } from '../../../shared/domain/transitions.js';
import type { PiiCipher } from '../../security/pii-cipher.js';
import { w3cDate } from './open311.format.js';
import { readJson } from '../../db/json.js';

// The public read side of Open311. GET needs no api_key (GeoReport v2), so only tickets that came in through
// Open311 are listed — people who phoned or wrote in never agreed to publication — and nothing that names a
// person is returned: no requester, no reply text (it may address the requester), the address masked the way
// agents' screens mask it, the position rounded to about 100 m, and mobile numbers in the text masked.

/** GeoReport v2: at most this many requests per answer, and the past 90 days when no date range is given. */
export const MAX_RESULTS = 1000;
export const DEFAULT_WINDOW_DAYS = 90;

const CLOSED: TicketStatus[] = ['closed', 'terminated'];

export interface RequestFilter {
  numbers?: string[];
  serviceCodes?: string[];
  statuses?: Array<'open' | 'closed'>;
  start?: Date;
  end?: Date;
}

export async function findRequests(db: Kysely<DB>, cipher: PiiCipher, f: RequestFilter) {
  let q = db
    .selectFrom('tickets as t')
    .innerJoin('categories as c', 'c.id', 't.category_id')
    .innerJoin('units as centre', 'centre.id', 't.centre_unit_id')
    .leftJoin('units as lead', 'lead.id', 't.lead_unit_id')
    .leftJoin('contacts as k', 'k.id', 't.contact_id')
    .select((eb) => [
      't.number',
      't.status',
      't.content',
      't.created_at',
      't.updated_at',
      't.address_enc',
      't.lat',
      't.long',
      'c.code as service_code',
      'c.name as service_name',
      'centre.name as centre_name',
      'lead.name as lead_name',
      'k.meta',
      eb
        .selectFrom('deadlines as d')
        .select((d) => d.fn.min('d.due_at').as('due'))
        .whereRef('d.ticket_id', '=', 't.id')
        .where('d.kind', 'in', ['reply', 'rework'])
        .where('d.met_at', 'is', null)
        .where('d.cancelled_at', 'is', null)
        .as('expected_at'),
    ])
    .where('t.channel', '=', 'open311');
  // service_request_id overrides every other filter (GeoReport v2).
  if (f.numbers) q = q.where('t.number', 'in', f.numbers.length ? f.numbers : ['']);
  else {
    if (f.serviceCodes?.length) q = q.where('c.code', 'in', f.serviceCodes);
    if (f.statuses?.length === 1) q = q.where('t.status', f.statuses[0] === 'closed' ? 'in' : 'not in', CLOSED);
    if (f.start) q = q.where('t.created_at', '>=', f.start);
    if (f.end) q = q.where('t.created_at', '<=', f.end);
  }
  const rows = await q.orderBy('t.created_at', 'desc').orderBy('t.id', 'desc').limit(MAX_RESULTS).execute();
  return rows.map((r) => {
    const meta = readJson<{ open311?: { mediaUrl?: string; addressId?: string } } | null>(r.meta);
    return {
      service_request_id: r.number,
      status: CLOSED.includes(r.status) ? 'closed' : 'open',
      status_notes: STATUS_LABELS[r.status],
      service_name: r.service_name,
      service_code: r.service_code,
      description: maskPhones(r.content),
      agency_responsible: r.lead_name ?? r.centre_name,
      service_notice: null,
      requested_datetime: w3cDate(r.created_at),
      updated_datetime: w3cDate(r.updated_at),
      expected_datetime:
        r.status === 'replied' || CLOSED.includes(r.status)
          ? null
          : w3cDate(r.expected_at ? new Date(r.expected_at) : null),
      address: maskAddress(cipher.decrypt(r.address_enc)),
      address_id: meta?.open311?.addressId ?? null,
      zipcode: null,
      lat: roundCoord(r.lat),
      long: roundCoord(r.long),
      media_url: meta?.open311?.mediaUrl ?? null,
    };
  });
}

const roundCoord = (v: number | null) => (v === null ? null : Math.round(v * 1000) / 1000);
const maskPhones = (s: string) => s.replace(/(?<!\d)1[3-9]\d{9}(?!\d)/g, (m) => maskPhone(m)!);

/**
 * The status after an event in the FixMyStreet extended set (OPEN, INVESTIGATING, IN_PROGRESS, FIXED,
 * NO_FURTHER_ACTION, DUPLICATE, CLOSED), which FixMyStreet reads from servicerequestupdates.
 */
export function updateStatus(kind: string, status: TicketStatus, data: Record<string, unknown>): string {
  if (kind === 'merged_into') return 'DUPLICATE';
  switch (status) {
    case 'pending_dispatch':
      return 'OPEN';
    case 'dispatched':
      return 'INVESTIGATING';
    case 'in_progress':
      return 'IN_PROGRESS';
    case 'replied':
      return data.solved === false ? 'NO_FURTHER_ACTION' : 'FIXED';
    case 'terminated':
      return 'NO_FURTHER_ACTION';
    case 'closed':
      return 'CLOSED';
  }
}

/** FixMyStreet's GET servicerequestupdates: public events of Open311 tickets in a time window, oldest first. */
export async function findUpdates(db: Kysely<DB>, start: Date, end: Date) {
  const rows = await db
    .selectFrom('ticket_events as e')
    .innerJoin('tickets as t', 't.id', 'e.ticket_id')
    .select(['e.id', 'e.kind', 'e.at', 'e.to_status', 'e.data', 't.number', 't.status'])
    .where('t.channel', '=', 'open311')
    .where('e.kind', 'in', Object.keys(PUBLIC_EVENTS))
    .where('e.at', '>=', start)
    .where('e.at', '<=', end)
    .orderBy('e.at')
    .orderBy('e.id')
    .limit(MAX_RESULTS)
    .execute();
  return rows.map((r) => {
    const data = readJson<Record<string, unknown>>(r.data);
    return {
      update_id: String(r.id),
      service_request_id: r.number,
      status: updateStatus(r.kind, (r.to_status as TicketStatus | null) ?? r.status, data ?? {}),
      updated_datetime: w3cDate(r.at),
      description: PUBLIC_EVENTS[r.kind]!,
      media_url: null,
    };
  });
}

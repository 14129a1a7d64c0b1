import { localDateOf } from './calendar.js';
import { TICKET_INDICATORS, type CounterColumn, type TicketIndicator } from './assessment-indicators.js';

// 第二十四条: what one ticket counts for one unit in each indicator, computed from the ticket's current state. The
// rollup job recomputes a ticket's facts whenever it has a new event and adds the difference to the daily counters,
// so a fact is never counted twice and a replayed event changes nothing. Definitions: docs/assessment.md.

export interface FactTicket {
  status: string;
  lead_unit_id: number | null;
  replied_at: Date | null;
  rework_count: number;
  merged_into_id: number | null;
}
export interface FactDeadline {
  unit_id: number | null;
  kind: string;
  met_at: Date | null;
  breached_at: Date | null;
  cancelled_at: Date | null;
}
export interface FactInput {
  ticket: FactTicket;
  /** every lead assignment the ticket has had (a returned ticket has several units) */
  leadAssignments: { unit_id: number; dispatched_at: Date }[];
  deadlines: FactDeadline[];
  /** the latest callback: the requester's final word (a reworked ticket is called back again) */
  lastCallback: { satisfaction: string; resolved: boolean } | null;
  applications: { unit_id: number; kind: string; status: string }[];
  /** supervision cases (0026) per unit on this ticket, proposed and dismissed ones left out */
  supervision: { unit_id: number; cases: number }[];
  /** 申诉 accepted by the centre: the ticket no longer counts in that indicator for that unit */
  exclusions: { unit_id: number; indicator: string }[];
}

export type Counters = Record<CounterColumn, number>;
export interface UnitFact {
  unitId: number;
  /** the local day the unit first received the ticket as lead: it decides the period the ticket is assessed in */
  day: string;
  counters: Counters;
}

export function zeroCounters(): Counters {
  return Object.fromEntries(
    TICKET_INDICATORS.flatMap((i) => [
      [`${i}_num`, 0],
      [`${i}_den`, 0],
    ]),
  ) as Counters;
}

/**
 * A deadline step of one unit: counted once it is decided — met, or breached (a breach counts even when the step was
 * later cancelled by a return); on time when every decided deadline of that step was met without a breach.
 */
function step(deadlines: FactDeadline[], unitId: number, kinds: string[]): { due: number; onTime: number } {
  const decided = deadlines.filter(
    (d) => d.unit_id === unitId && kinds.includes(d.kind) && (d.breached_at !== null || (d.met_at && !d.cancelled_at)),
  );
  if (decided.length === 0) return { due: 0, onTime: 0 };
  return { due: 1, onTime: decided.every((d) => d.met_at !== null && d.breached_at === null) ? 1 : 0 };
}

/** The facts of one ticket for every unit that has led it. Terminated and merged-away tickets count nowhere. */
export function ticketFacts(input: FactInput): UnitFact[] {
  const { ticket } = input;
  if (ticket.status === 'terminated' || ticket.merged_into_id !== null) return [];
  const firstDispatch = new Map<number, Date>();
  for (const a of input.leadAssignments) {
    const seen = firstDispatch.get(a.unit_id);
    if (!seen || a.dispatched_at < seen) firstDispatch.set(a.unit_id, a.dispatched_at);
  }
  const facts: UnitFact[] = [];
  for (const [unitId, dispatchedAt] of firstDispatch) {
    const c = zeroCounters();
    const set = (i: TicketIndicator, num: number, den: number) => {
      c[`${i}_num`] = num;
      c[`${i}_den`] = den;
    };
    const accept = step(input.deadlines, unitId, ['accept']);
    set('accept_timely', accept.onTime, accept.due);
    const contact = step(input.deadlines, unitId, ['first_contact']);
    set('contact_timely', contact.onTime, contact.due);
    const reply = step(input.deadlines, unitId, ['reply', 'rework']);
    set('ontime_completion', reply.onTime, reply.due);
    // the unit that leads the ticket now answers for its outcome; a unit whose return was approved does not
    const leads = ticket.lead_unit_id === unitId ? 1 : 0;
    const replied = leads && ticket.replied_at !== null ? 1 : 0;
    set('completion', replied, leads);
    const cb = leads && input.lastCallback ? input.lastCallback : null;
    set('resolution', cb?.resolved ? 1 : 0, cb ? 1 : 0);
    set('satisfaction', cb && cb.satisfaction !== 'unsatisfied' ? 1 : 0, cb ? 1 : 0);
    set('rework', replied && ticket.rework_count > 0 ? 1 : 0, replied);
    const apps = input.applications.filter((a) => a.unit_id === unitId);
    const unfounded = apps.some((a) => a.kind === 'return' && a.status === 'rejected') ? 1 : 0;
    // a unit whose unfounded return left it the lead still answers for it; count it against the unit either way
    set('unfounded_return', unfounded, Math.max(leads, unfounded));
    set('extension', leads && apps.some((a) => a.kind === 'extension' && a.status === 'approved') ? 1 : 0, leads);
    const cases = input.supervision.filter((s) => s.unit_id === unitId).reduce((n, s) => n + s.cases, 0);
    set('supervision', cases, Math.max(leads, cases > 0 ? 1 : 0));
    for (const x of input.exclusions)
      if (x.unit_id === unitId && x.indicator in INDICATOR_SET) set(x.indicator as TicketIndicator, 0, 0);
    facts.push({ unitId, day: localDateOf(dispatchedAt), counters: c });
  }
  return facts.sort((a, b) => a.unitId - b.unitId);
}

const INDICATOR_SET: Record<string, true> = Object.fromEntries(TICKET_INDICATORS.map((i) => [i, true]));

/** new − old per unit and day: what the daily counters must change by (rows whose difference is all zero left out). */
export function factDelta(
  before: UnitFact[],
  after: UnitFact[],
): { unitId: number; day: string; counters: Counters }[] {
  const key = (f: UnitFact) => `${f.unitId}|${f.day}`;
  const out = new Map<string, { unitId: number; day: string; counters: Counters }>();
  const add = (f: UnitFact, sign: 1 | -1) => {
    const k = key(f);
    const row = out.get(k) ?? { unitId: f.unitId, day: f.day, counters: zeroCounters() };
    for (const col of Object.keys(row.counters) as CounterColumn[]) row.counters[col] += sign * f.counters[col];
    out.set(k, row);
  };
  for (const f of before) add(f, -1);
  for (const f of after) add(f, 1);
  return [...out.values()].filter((r) => Object.values(r.counters).some((v) => v !== 0));
}

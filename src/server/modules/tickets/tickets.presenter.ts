import type { Ticket } from '../../db/schema.js';
import { DEADLINE_KIND_LABELS, DEADLINE_STATE_LABELS, deadlineState, type DeadlineTimes } from '../../domain/deadline-state.js';
import { maskAddress, maskName, maskPhone } from '../../domain/masking.js';
import { STATUS_LABELS } from '../../domain/transitions.js';
import type { PiiCipher } from '../../security/pii-cipher.js';

// Responses are shaped here and only here. Personal data leaves the server masked (第六条); the clear
// values only come from the audited reveal endpoint.

export function presentTicketSummary(t: Ticket, cipher: PiiCipher) {
  return {
    id: t.id,
    number: t.number,
    status: t.status,
    statusLabel: STATUS_LABELS[t.status],
    version: t.version,
    requestType: t.request_type,
    categoryId: t.category_id,
    urgency: t.urgency,
    regionCode: t.region_code,
    address: maskAddress(cipher.decrypt(t.address_enc)),
    title: t.title,
    content: t.content,
    channel: t.channel,
    centreUnitId: t.centre_unit_id,
    leadUnitId: t.lead_unit_id,
    dispatchRuleId: t.dispatch_rule_id,
    createdAt: t.created_at,
    dispatchedAt: t.dispatched_at,
    acceptedAt: t.accepted_at,
    firstContactAt: t.first_contact_at,
    repliedAt: t.replied_at,
    closedAt: t.closed_at,
    dueAt: t.due_at,
    returnUntil: t.return_until,
    extensionDays: t.extension_days,
    reworkCount: t.rework_count,
    reply: t.reply_result ? { result: t.reply_result, explanation: t.reply_explanation } : null,
    satisfaction: t.satisfaction,
    resolved: t.resolved,
    mergedIntoId: t.merged_into_id,
    reportedUnitId: t.reported_unit_id,
  };
}

export function presentRequesterMasked(r: { id: number; name_enc: string | null; phone_enc: string | null } | undefined, cipher: PiiCipher) {
  if (!r) return null;
  return { id: r.id, name: maskName(cipher.decrypt(r.name_enc)), phone: maskPhone(cipher.decrypt(r.phone_enc)), masked: true };
}

export function presentDeadline<T extends DeadlineTimes & { id: number; kind: string; unit_id: number | null; unit_name: string | null; starts_at: Date; warned_at: Date | null }>(d: T, now: Date) {
  const state = deadlineState(d, now);
  return {
    id: d.id, kind: d.kind, kindLabel: DEADLINE_KIND_LABELS[d.kind] ?? d.kind, unitId: d.unit_id, unitName: d.unit_name,
    startsAt: d.starts_at, dueAt: d.due_at, warnAt: d.warn_at, warnedAt: d.warned_at, breachedAt: d.breached_at,
    metAt: d.met_at, cancelledAt: d.cancelled_at, state, stateLabel: DEADLINE_STATE_LABELS[state],
    met: d.met_at ? d.met_at.getTime() <= d.due_at.getTime() : null,
  };
}

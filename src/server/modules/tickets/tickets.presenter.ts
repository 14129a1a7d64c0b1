import type { Ticket } from '../../db/schema.js';
import {
  DEADLINE_KIND_LABELS,
  DEADLINE_STATE_LABELS,
  deadlineState,
  type DeadlineTimes,
} from '../../../shared/domain/deadline-state.js';
import { maskAddress, maskName, maskPhone } from '../../domain/masking.js';
import { STATUS_LABELS } from '../../../shared/domain/transitions.js';
import type { PiiCipher } from '../../security/pii-cipher.js';
import type { Actor } from '../auth/actor.js';
import { identityWithheld } from './tickets.policy.js';

// Responses are shaped here and only here. Personal data leaves the server masked (第六条); the clear
// values only come from the audited reveal endpoint.

/** The columns a summary needs: lists select these, not the search words and vector a row also carries. */
export const SUMMARY_COLUMNS = [
  'tickets.id',
  'tickets.number',
  'tickets.status',
  'tickets.version',
  'tickets.request_type',
  'tickets.category_id',
  'tickets.urgency',
  'tickets.region_code',
  'tickets.address_enc',
  'tickets.title',
  'tickets.content',
  'tickets.channel',
  'tickets.centre_unit_id',
  'tickets.lead_unit_id',
  'tickets.dispatch_rule_id',
  'tickets.created_at',
  'tickets.dispatched_at',
  'tickets.accepted_at',
  'tickets.first_contact_at',
  'tickets.replied_at',
  'tickets.closed_at',
  'tickets.due_at',
  'tickets.return_until',
  'tickets.extension_days',
  'tickets.rework_count',
  'tickets.reply_result',
  'tickets.reply_explanation',
  'tickets.satisfaction',
  'tickets.resolved',
  'tickets.merged_into_id',
  'tickets.reported_unit_id',
  'tickets.reply_unreachable',
  'tickets.unit_text',
] as const;
type Unprefixed<T> = T extends `tickets.${infer C}` ? C : never;
export type TicketSummaryRow = Pick<Ticket, Unprefixed<(typeof SUMMARY_COLUMNS)[number]>>;

/**
 * 第三十三条: the unit a 举报 is about reads the text the agent wrote for the units instead of the requester's own
 * words (which may name them or give a number). Everyone else reads the request as it came, and the centre also
 * sees the text the units were given.
 */
export const REPORT_TEXT_PLACEHOLDER = '（举报事项，详情请与热线工作机构联系）';

/**
 * The title too: the console proposes the first words of the message as the title, which for a 举报 are often
 * "我叫…，电话…". The reported unit's title is the start of the text written for it.
 */
export function reportTitle(unitText: string | null): string {
  const first = (unitText ?? '').split(/[。！？\n]/)[0]!.trim();
  if (!first) return '举报事项';
  return first.length > 30 ? `${first.slice(0, 30)}…` : first;
}

export function presentTicketSummary(t: TicketSummaryRow, cipher: PiiCipher, viewer?: Pick<Actor, 'unitId'>) {
  const withheld = !!viewer && identityWithheld(viewer, t);
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
    title: withheld ? reportTitle(t.unit_text) : t.title,
    content: withheld ? (t.unit_text ?? REPORT_TEXT_PLACEHOLDER) : t.content,
    unitText: withheld ? null : t.unit_text,
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
    // 第十五条: a reply given without reaching the requester carries why (shown at callback)
    reply: t.reply_result
      ? {
          result: t.reply_result,
          explanation: t.reply_explanation,
          unreachableNote: t.reply_unreachable?.note ?? null,
          unreachable: t.reply_unreachable ?? null,
        }
      : null,
    satisfaction: t.satisfaction,
    resolved: t.resolved,
    mergedIntoId: t.merged_into_id,
    reportedUnitId: t.reported_unit_id,
  };
}

const EXCERPT_CHARS = 80;

/**
 * One row of a work queue: the summary without the full request text and reply (up to 10 000 characters each,
 * ≈ 100 KiB a page of 50 with real texts), which a list does not show; an excerpt tells the matter at a glance.
 * The ticket page (GET /api/tickets/:id) has everything.
 */
export function presentQueueItem(t: TicketSummaryRow, cipher: PiiCipher, viewer?: Pick<Actor, 'unitId'>) {
  const { content, reply, ...rest } = presentTicketSummary(t, cipher, viewer);
  const text = content.replace(/\s+/g, ' ').trim();
  // 第十五条: the callback queue tells at a glance that the unit could not reach the requester, and why
  const unreachable = reply?.unreachable
    ? { basis: reply.unreachable.basis, summary: reply.unreachable.summary, note: reply.unreachable.note }
    : null;
  return {
    ...rest,
    excerpt: text.length > EXCERPT_CHARS ? `${text.slice(0, EXCERPT_CHARS)}…` : text,
    hasReply: reply !== null,
    unreachable,
  };
}

export function presentRequesterMasked(
  r: { id: number; name_enc: string | null; phone_enc: string | null } | undefined,
  cipher: PiiCipher,
) {
  if (!r) return null;
  return {
    id: r.id,
    name: maskName(cipher.decrypt(r.name_enc)),
    phone: maskPhone(cipher.decrypt(r.phone_enc)),
    masked: true,
  };
}

export function presentDeadline<
  T extends DeadlineTimes & {
    id: number;
    kind: string;
    unit_id: number | null;
    unit_name: string | null;
    starts_at: Date;
    warned_at: Date | null;
    calendar_unconfirmed?: boolean;
  },
>(d: T, now: Date) {
  const state = deadlineState(d, now);
  return {
    id: d.id,
    kind: d.kind,
    kindLabel: DEADLINE_KIND_LABELS[d.kind] ?? d.kind,
    unitId: d.unit_id,
    unitName: d.unit_name,
    startsAt: d.starts_at,
    dueAt: d.due_at,
    warnAt: d.warn_at,
    warnedAt: d.warned_at,
    breachedAt: d.breached_at,
    metAt: d.met_at,
    cancelledAt: d.cancelled_at,
    state,
    stateLabel: DEADLINE_STATE_LABELS[state],
    met: d.met_at ? d.met_at.getTime() <= d.due_at.getTime() : null,
    // 第八条: counted over a year whose holidays no admin had confirmed
    calendarUnconfirmed: d.calendar_unconfirmed ?? false,
  };
}

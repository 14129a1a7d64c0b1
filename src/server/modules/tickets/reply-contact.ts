import type { Kysely } from 'kysely';
import type { DB, Ticket, UnreachableReply } from '../../db/schema.js';
import {
  decideReplyContact,
  describeUnreachable,
  policyText,
  type ContactAttempt,
  type ContactMethod,
  type ReplyContactDecision,
  type UnreachableBasis,
  type UnreachablePolicy,
} from '../../domain/contact-attempts.js';
import { loadUnreachablePolicy } from '../config/config.repository.js';

// 第十五条(一)(四): what the ticket's contact record allows for its reply. The attempts are the lead unit's
// requester_contacted events since the ticket came to it (a unit that took over after a return starts afresh);
// the rule itself is the pure src/server/domain/contact-attempts.ts.

const METHODS: readonly ContactMethod[] = ['phone', 'sms', 'visit', 'other'];

export interface ReplyContactState {
  decision: ReplyContactDecision;
  policy: UnreachablePolicy;
  anonymous: boolean;
}

export async function replyContactState(
  db: Kysely<DB>,
  ticket: Pick<Ticket, 'id' | 'lead_unit_id' | 'dispatched_at' | 'requester_id' | 'request_type' | 'reported_unit_id'>,
): Promise<ReplyContactState> {
  const [events, anonymous, policy] = await Promise.all([
    ticket.lead_unit_id === null
      ? []
      : db
          .selectFrom('ticket_events')
          .select(['at', 'data'])
          .where('ticket_id', '=', ticket.id)
          .where('kind', '=', 'requester_contacted')
          .where('actor_unit_id', '=', ticket.lead_unit_id)
          .$if(ticket.dispatched_at !== null, (q) => q.where('at', '>=', ticket.dispatched_at!))
          .orderBy('id')
          .execute(),
    isAnonymous(db, ticket),
    loadUnreachablePolicy(db),
  ]);
  const attempts: ContactAttempt[] = events.map((e) => {
    const d = e.data as { method?: string; reached?: unknown };
    return {
      at: e.at,
      reached: d.reached === true,
      method: METHODS.includes(d.method as ContactMethod) ? (d.method as ContactMethod) : 'other',
    };
  });
  // 第三十三条: a 举报 handled by the unit it is about — that unit may not learn who made it, so cannot call them
  const withheld =
    ticket.request_type === 'report' &&
    ticket.reported_unit_id !== null &&
    ticket.reported_unit_id === ticket.lead_unit_id;
  return {
    decision: decideReplyContact({ attempts, anonymous, withheld, policy }),
    policy,
    anonymous: anonymous || withheld,
  };
}

/** 第十条: no requester of the matter (several after a merge) left a phone number or a message channel to answer on. */
async function isAnonymous(db: Kysely<DB>, ticket: Pick<Ticket, 'id' | 'requester_id'>): Promise<boolean> {
  const reachable = await db
    .selectFrom('requesters')
    .select('requesters.id')
    .where((eb) =>
      eb.or([
        eb(
          'requesters.id',
          'in',
          eb.selectFrom('ticket_requesters').select('requester_id').where('ticket_id', '=', ticket.id),
        ),
        ...(ticket.requester_id !== null ? [eb('requesters.id', '=', ticket.requester_id)] : []),
      ]),
    )
    .where((eb) =>
      eb.or([eb('phone_enc', 'is not', null), eb('wechat_hash', 'is not', null), eb('weibo_hash', 'is not', null)]),
    )
    .limit(1)
    .executeTakeFirst();
  return !reachable;
}

/** The explanation stored with a reply given without reaching the requester. */
export function unreachableRecord(
  decision: ReplyContactDecision & { basis: UnreachableBasis },
  note: string,
): UnreachableReply {
  const t = decision.tally;
  return {
    basis: decision.basis,
    note,
    summary: describeUnreachable(decision.basis, t),
    attempts: t.attempts,
    distinctDays: t.days.length,
    firstAttemptAt: t.firstAt?.toISOString() ?? null,
    lastAttemptAt: t.lastAt?.toISOString() ?? null,
  };
}

/** For the unit's screen: whether and why it may reply now (the web shows it; the reply step enforces it). */
export function presentReplyContact(s: ReplyContactState) {
  const d = s.decision;
  return {
    reached: d.allowed && d.basis === 'reached',
    anonymous: s.anonymous,
    failedAttempts: d.tally.attempts,
    distinctDays: d.tally.days.length,
    policy: s.policy,
    policyText: policyText(s.policy),
    // the reply may go through without a reached contact, with an explanation (unreachableNote)
    unreachableAllowed: d.allowed && d.basis !== 'reached',
    summary: d.allowed && d.basis !== 'reached' ? describeUnreachable(d.basis, d.tally) : null,
    blockedReason: d.allowed ? null : d.message,
  };
}

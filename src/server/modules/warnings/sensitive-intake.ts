import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Clock } from '../../clock.js';
import { matchSensitiveWords, type SensitiveWord } from '../../domain/warning-rules.js';
import { activeSensitiveWords, raiseWarning } from './warnings.repository.js';

// 第二十七条 风险预警 at intake: a new ticket whose text holds a listed sensitive-risk word (讨薪、跳楼、堵路 …) raises
// a `sensitive` warning with the matched words and the ticket's number — never the requester's name, phone, address
// or the text itself.
//
// Why in the ticket's own transaction (TicketService.createInTrx) and not through the outbox or a job over the events:
// the warning commits with the ticket or not at all (none lost, none for a ticket rolled back), it is on the feed the
// moment the agent saves, and the words are matched against the text as the agent typed it, before personal data in
// it is masked for storage (the stored text could no longer be matched reliably). The one-statement hot path of
// POST /api/tickets has no transaction to join: it writes the same warning and its event as part of that one
// statement (TicketService.create asks sensitiveHit first, tickets.repository.ts inserts sensitiveWarning's rows;
// issue 8 — one in twenty TipDM messages holds a listed word). The words are cached for WORDS_TTL_MS, and an edit on
// this process drops the cache at once; another process sees it within the TTL.

export const WORDS_TTL_MS = 60_000;
const cache = new WeakMap<object, { at: number; words: SensitiveWord[] }>();

/** The active words, cached per database handle (`key`); read with `exec` (the caller's transaction, if any). */
export async function sensitiveWords(key: object, exec: Kysely<DB>, clock: Clock): Promise<SensitiveWord[]> {
  const now = clock.now().getTime();
  const hit = cache.get(key);
  if (hit && now - hit.at >= 0 && now - hit.at < WORDS_TTL_MS) return hit.words;
  const words = await activeSensitiveWords(exec);
  cache.set(key, { at: now, words });
  return words;
}

export function forgetSensitiveWords(key: object) {
  cache.delete(key);
}

export type SensitiveHit = NonNullable<ReturnType<typeof matchSensitiveWords>>;

/** The listed words a new ticket's text holds, or null. */
export async function sensitiveHit(deps: { db: Kysely<DB>; clock: Clock }, text: string): Promise<SensitiveHit | null> {
  return matchSensitiveWords(text, await sensitiveWords(deps.db, deps.db, deps.clock));
}

/** What a new ticket's warning says: the same on both paths (raiseSensitiveAtIntake and the one statement). */
export function sensitiveWarning(hit: SensitiveHit, ticketNumber: string, contactId: number | null) {
  const quoted = hit.words.map((w) => `“${w}”`).join('、');
  return {
    kind: 'sensitive' as const,
    level: hit.level,
    title: `敏感风险词${quoted}：工单 ${ticketNumber}`,
    words: hit.words,
    contactId,
  };
}

/** The warning's evidence: the words and the ticket, never the requester's name, phone, address or the text. */
export const sensitiveEvidence = (
  w: Pick<ReturnType<typeof sensitiveWarning>, 'words' | 'contactId'>,
  ticket: { id: number; number: string },
) => ({ words: w.words, ticketIds: [ticket.id], ticketNumber: ticket.number, contactId: w.contactId });

/** One open warning per cause, one per occurrence: for a ticket's words both are the ticket itself. */
export const sensitiveKey = (ticketId: number | string) => `sensitive:${ticketId}`;

/**
 * The warning as the ticket's one statement writes it (tickets.repository.ts, NewTicketExtras.warning): the number
 * is `numberSlot` in the title, the statement fills the ticket's id and number into the evidence and the keys.
 */
export function statementWarning(hit: SensitiveHit, numberSlot: string) {
  const w = sensitiveWarning(hit, numberSlot, null);
  const evidence = sensitiveEvidence(w, { id: 0, number: '' });
  return { kind: w.kind, level: w.level, title: w.title, evidence, keyPrefix: sensitiveKey('') };
}

/** Raises the warning of a new ticket inside its transaction, when its text holds a listed word. */
export async function raiseSensitiveAtIntake(
  trx: Transaction<DB>,
  deps: { db: Kysely<DB>; clock: Clock },
  ticket: { id: number; number: string; region_code: string; category_id: number; created_at: Date | string },
  text: string,
  contactId: number | null,
): Promise<boolean> {
  const hit = matchSensitiveWords(text, await sensitiveWords(deps.db, trx, deps.clock));
  if (!hit) return false;
  const at = new Date(ticket.created_at);
  const w = sensitiveWarning(hit, ticket.number, contactId);
  const r = await raiseWarning(
    trx,
    {
      kind: w.kind,
      level: w.level,
      regionCode: ticket.region_code,
      categoryId: ticket.category_id,
      windowStart: at,
      windowEnd: at,
      title: w.title,
      evidence: sensitiveEvidence(w, ticket),
      causeKey: sensitiveKey(ticket.id),
      dedupeKey: sensitiveKey(ticket.id),
    },
    deps.clock.now(),
    () => null,
  );
  return !!r?.raised;
}

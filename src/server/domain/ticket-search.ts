import { normalisePhone } from '../security/pii-cipher.js';
import { tokenize } from './text-tokens.js';
import { webReferenceId } from './tracking-code.js';

// What a call-taker types into one search box: a ticket number read out by a citizen, the number a
// citizen is calling from, or a few words of the matter. The shape of the input decides which.

export type SearchIntent =
  | { kind: 'number'; number: string }
  | { kind: 'reference'; contactId: number }
  | { kind: 'phone'; phone: string }
  | { kind: 'text'; terms: string[] };

/** Ticket numbers as issued: HZ + local date + six digits of ticket_number_seq (tickets.repository.ts insertNewTicket). */
export const TICKET_NUMBER_RE = /^HZ\d{8}-\d{6}$/;
/** Mobile numbers, and landlines with their area code (0530 is Heze's); short local numbers are too ambiguous. */
const PHONE_RE = /^(1\d{10}|0\d{9,11})$/;
/** A text search ANDs at most this many terms; more only narrows what is already narrow. */
export const MAX_TEXT_TERMS = 12;

export function classifySearch(input: string): SearchIntent | null {
  const q = input.trim();
  if (!q) return null;
  const upper = q.toUpperCase().replace(/\s+/g, '');
  if (TICKET_NUMBER_RE.test(upper)) return { kind: 'number', number: upper };
  // issue 14: the 留言编号 a portal user reads out (WEB-1024) finds the ticket(s) their message became
  if (/^WEB-\d+$/.test(upper)) {
    const contactId = webReferenceId(upper);
    return contactId === null ? null : { kind: 'reference', contactId };
  }
  if (/^[\d\s()+-]+$/.test(q)) {
    const phone = normalisePhone(q);
    if (phone && PHONE_RE.test(phone)) return { kind: 'phone', phone };
  }
  const terms = textTerms(q);
  return terms.length ? { kind: 'text', terms } : null;
}

/**
 * Terms every matching ticket must contain. Chinese is matched by character bigrams, which searchTokens stores
 * for every ticket however jieba segmented it. Each run of Chinese characters is tiled by non-overlapping
 * bigrams ("路灯不亮" → 路灯 + 不亮, the last one overlapping for an odd length), so the words must all be there
 * but need not be adjacent: "路灯不亮" finds "路灯已经一周不亮". Other words (digits, Latin) are kept whole.
 */
export function textTerms(q: string): string[] {
  const terms = new Set<string>();
  for (const run of q.match(/\p{Script=Han}{2,}/gu) ?? []) {
    const tiles: string[] = [];
    for (let i = 0; i + 2 <= run.length; i += 2) tiles.push(run.slice(i, i + 2));
    if (run.length % 2 === 1) tiles.push(run.slice(-2));
    // a tile the index would not hold (two stop characters) cannot be required
    for (const tile of tiles) if (tokenize(tile).includes(tile)) terms.add(tile);
  }
  for (const w of tokenize(q)) if (!/\p{Script=Han}/u.test(w)) terms.add(w);
  return [...terms].slice(0, MAX_TEXT_TERMS);
}

/** A to_tsquery expression requiring every term (quoted, so no operator can be injected). */
export function allTermsQuery(terms: string[]): string | null {
  const quoted = terms.map((w) => `'${w.replace(/'/g, "''").replace(/\\/g, '')}'`);
  return quoted.length ? quoted.join(' & ') : null;
}

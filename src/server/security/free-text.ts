import { maskPiiInText, type KnownPersons } from '../domain/pii-text.js';
import type { PiiCipher } from './pii-cipher.js';

// 第六条 for free text: the stored, searchable text has phone, ID card and bank card numbers, names (the requester's
// own, passed as `known`, and names introduced as one) and household addresses masked; when anything was masked, the
// original is kept encrypted beside it for the audited reveal. Nothing is lost, and what was masked never reaches
// search tokens, queue excerpts, exports, Open311 answers or logs.

export function protectText(
  cipher: PiiCipher,
  text: string,
  known?: KnownPersons,
): { text: string; enc: string | null } {
  const m = maskPiiInText(text, known);
  return { text: m.text, enc: m.found.length ? cipher.encrypt(text) : null };
}

/** A ticket's title and content; the originals of whichever held personal numbers, encrypted together. */
export function protectTicketText(
  cipher: PiiCipher,
  title: string,
  content: string,
  known?: KnownPersons,
): { title: string; content: string; enc: string | null } {
  const t = maskPiiInText(title, known);
  const c = maskPiiInText(content, known);
  if (!t.found.length && !c.found.length) return { title, content, enc: null };
  return { title: t.text, content: c.text, enc: cipher.encrypt(JSON.stringify({ title, content })) };
}

export function originalTicketText(cipher: PiiCipher, enc: string | null): { title: string; content: string } | null {
  const clear = cipher.decrypt(enc);
  return clear ? (JSON.parse(clear) as { title: string; content: string }) : null;
}

import { maskPiiInText } from '../domain/pii-text.js';
import type { PiiCipher } from './pii-cipher.js';

// 第六条 for free text: the stored, searchable text has phone, ID card and bank card numbers masked; when
// anything was masked, the original is kept encrypted beside it for the audited reveal. Nothing is lost and
// the clear numbers never reach search tokens, queue excerpts, exports or logs.

export function protectText(cipher: PiiCipher, text: string): { text: string; enc: string | null } {
  const m = maskPiiInText(text);
  return { text: m.text, enc: m.found.length ? cipher.encrypt(text) : null };
}

/** A ticket's title and content; the originals of whichever held personal numbers, encrypted together. */
export function protectTicketText(
  cipher: PiiCipher,
  title: string,
  content: string,
): { title: string; content: string; enc: string | null } {
  const t = maskPiiInText(title);
  const c = maskPiiInText(content);
  if (!t.found.length && !c.found.length) return { title, content, enc: null };
  return { title: t.text, content: c.text, enc: cipher.encrypt(JSON.stringify({ title, content })) };
}

export function originalTicketText(cipher: PiiCipher, enc: string | null): { title: string; content: string } | null {
  const clear = cipher.decrypt(enc);
  return clear ? (JSON.parse(clear) as { title: string; content: string }) : null;
}

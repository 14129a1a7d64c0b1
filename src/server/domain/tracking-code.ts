import { randomInt } from 'node:crypto';

// 第九条: the requester's key to their matter without an account — a ticket's 查询码, and since issue 14 the code a
// portal message gets at once, before any agent has seen it. Codes avoid look-alike characters (0/O, 1/I/L)
// because people read them out on the phone.
const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';

export function newTrackingCode(): string {
  let code = '';
  for (let i = 0; i < 8; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return code;
}

/** 留言编号 of a portal message: WEB- and the contact's id (what the portal has shown since the web form exists). */
export const WEB_REFERENCE_RE = /^WEB-(\d{1,12})$/;

/** The contact id a 留言编号 names, or null when the text is not one. */
export function webReferenceId(text: string): number | null {
  const m = WEB_REFERENCE_RE.exec(text.trim().toUpperCase());
  if (!m) return null;
  const id = Number(m[1]);
  return Number.isSafeInteger(id) && id > 0 && id <= 2_147_483_647 ? id : null;
}

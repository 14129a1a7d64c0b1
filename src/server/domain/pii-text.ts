// 第六条: personal data inside free text. A caller's words often carry a phone number, an ID card number or a
// bank card number ("联系人李先生13800001111"). Those are found by their shape and masked in the stored,
// searchable text; the original is kept only encrypted, for an audited reveal. Names and addresses in prose
// have no reliable shape and are not touched here (see docs/privacy.md).

export type PiiKind = 'id_card' | 'bank_card' | 'mobile' | 'landline';

// Digits must not continue on either side, so parts of longer numbers (ticket numbers, MsgIds) never match.
// Order matters: the longer shapes first, so an 18-digit ID number is not read as a bank card.
const PATTERNS: Array<{ kind: PiiKind; re: RegExp }> = [
  // 居民身份证号: 6-digit region, birth date 19xx/20xx, 3-digit sequence, check digit or X
  {
    kind: 'id_card',
    re: /(?<![\dA-Za-z])\d{6}(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![\dA-Za-z])/g,
  },
  // bank card: 16–19 digits, optionally grouped by 4 with spaces
  { kind: 'bank_card', re: /(?<![\dA-Za-z])(?:\d{4}[ -]?){3}\d{4}(?:[ -]?\d{1,3})?(?![\dA-Za-z])/g },
  // mobile, with or without +86 and separators: 138 0000 1111, 138-0000-1111
  { kind: 'mobile', re: /(?<![\dA-Za-z])(?:\+?86[ -]?)?1[3-9]\d[ -]?\d{4}[ -]?\d{4}(?![\dA-Za-z])/g },
  // landline with area code: 0530-5551234, 05305551234, (0530)5551234
  { kind: 'landline', re: /(?<![\dA-Za-z])(?:\(0\d{2,3}\)|0\d{2,3})[ -]?\d{7,8}(?![\dA-Za-z])/g },
];

function maskDigits(s: string, keepStart: number, keepEnd: number): string {
  const digits = [...s].filter((ch) => /[\dXx]/.test(ch));
  const start = digits.slice(0, keepStart).join('');
  const end = digits.slice(digits.length - keepEnd).join('');
  return start + '*'.repeat(Math.max(4, digits.length - keepStart - keepEnd)) + end;
}

const MASK: Record<PiiKind, (s: string) => string> = {
  id_card: (s) => maskDigits(s, 4, 4),
  bank_card: (s) => maskDigits(s, 0, 4),
  mobile: (s) => maskDigits(s.replace(/^\+?86[ -]?/, ''), 3, 4),
  landline: (s) => {
    const area = /^\(?(0\d{2,3})\)?/.exec(s)![1]!;
    return `${area}-${maskDigits(s.slice(s.indexOf(area) + area.length), 0, 2)}`;
  },
};

export interface MaskedText {
  /** the text with every number of a personal kind masked; equal to the input when nothing was found */
  text: string;
  found: PiiKind[];
}

export function maskPiiInText(text: string): MaskedText {
  let out = text;
  const found: PiiKind[] = [];
  for (const { kind, re } of PATTERNS) {
    out = out.replace(re, (m) => {
      found.push(kind);
      return MASK[kind](m);
    });
  }
  return { text: out, found };
}

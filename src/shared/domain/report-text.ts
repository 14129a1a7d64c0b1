// 第三十三条: a 举报 reaches the unit it is about only in the words the agent writes for it (the unit text). That
// text says what the matter is and nothing that could lead back to the requester: no phone, ID card or bank card
// number — not even masked, since "139****1234" still narrows it down. Dates, house numbers and amounts are fine.
// The server also refuses the requester's name in it (domain/pii-text.ts namesRequester, tickets.service.ts).

export const UNIT_TEXT_MIN = 5;
export const UNIT_TEXT_MAX = 2000;

const NUMBER_LIKE = [
  /\d{7,}/, // a phone, landline, ID card or bank card number written out
  /\d{3,4}[\s-]\d{3,4}[\s-]\d{4}/, // the same in groups: 139 0530 1234, 0530-123-4567
  /[*＊]{3,}/, // a masked number: 139****1234
];

/** True when the text holds something that reads like a personal number (or a masked one). */
export function holdsPersonalNumber(text: string): boolean {
  return NUMBER_LIKE.some((re) => re.test(text));
}

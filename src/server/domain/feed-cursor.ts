// 第三十条: the pull feed's cursor. Opaque to the client (base64url), stable across restarts (it is only the unit
// and the last feed row id), and bound to the unit: a cursor another unit was given is refused, not followed.

export type CursorResult = { ok: true; afterId: number } | { ok: false; reason: 'malformed' | 'other_unit' };

const PREFIX = 'f1';

export function encodeFeedCursor(unitId: number, afterId: number): string {
  return Buffer.from(`${PREFIX}:${unitId}:${afterId}`, 'utf8').toString('base64url');
}

export function decodeFeedCursor(cursor: string, unitId: number): CursorResult {
  if (!/^[A-Za-z0-9_-]{1,80}$/.test(cursor)) return { ok: false, reason: 'malformed' };
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const m = /^f1:(\d{1,10}):(\d{1,15})$/.exec(text);
  if (!m) return { ok: false, reason: 'malformed' };
  const unit = Number(m[1]);
  const afterId = Number(m[2]);
  if (!Number.isSafeInteger(afterId)) return { ok: false, reason: 'malformed' };
  if (unit !== unitId) return { ok: false, reason: 'other_unit' };
  return { ok: true, afterId };
}

import { describe, expect, it } from 'vitest';
import { TICKET_SORTS } from '../../shared/domain/ticket-sort.js';
import { decodeListCursor, encodeListCursor } from './list-cursor.js';

const raw = (v: unknown) => Buffer.from(JSON.stringify(v), 'utf8').toString('base64url');

describe('issue 14 list cursor: the sort key to the microsecond, the id, bound to its order', () => {
  it('round-trips every order, with microseconds and with the NULL tail where the column may be NULL', () => {
    for (const sort of TICKET_SORTS) {
      const c = encodeListCursor(sort, '2025-06-01T02:00:00.123456Z', 42);
      expect(decodeListCursor(c, sort)).toEqual({ ok: true, cursor: { value: '2025-06-01T02:00:00.123456Z', id: 42 } });
    }
    for (const sort of ['deadline', '-deadline'] as const)
      expect(decodeListCursor(encodeListCursor(sort, null, 7), sort)).toEqual({
        ok: true,
        cursor: { value: null, id: 7 },
      });
  });

  it('is opaque URL-safe text', () => {
    expect(encodeListCursor('-created', '2025-06-01T02:00:00Z', 1)).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it("refuses another order's cursor", () => {
    const c = encodeListCursor('-created', '2025-06-01T02:00:00Z', 1);
    expect(decodeListCursor(c, 'created')).toEqual({ ok: false, reason: 'other_sort' });
    expect(decodeListCursor(c, 'deadline')).toEqual({ ok: false, reason: 'other_sort' });
  });

  it('a created order has no NULL tail', () => {
    expect(decodeListCursor(encodeListCursor('created', null, 1), 'created')).toEqual({
      ok: false,
      reason: 'malformed',
    });
  });

  it('accepts the cursors given out before lists could be sorted, as the deadline order', () => {
    expect(decodeListCursor(raw(['2025-06-01T02:00:00.000Z', 9]), 'deadline')).toEqual({
      ok: true,
      cursor: { value: '2025-06-01T02:00:00.000Z', id: 9 },
    });
    expect(decodeListCursor(raw([null, 9]), 'deadline')).toEqual({ ok: true, cursor: { value: null, id: 9 } });
    expect(decodeListCursor(raw([null, 9]), '-created')).toEqual({ ok: false, reason: 'other_sort' });
  });

  it('refuses anything malformed', () => {
    const bad = [
      '',
      '!!!',
      'a'.repeat(201),
      Buffer.from('not json').toString('base64url'),
      raw({ value: null, id: 1 }),
      raw(['k1', 'created', '2025-06-01T02:00:00Z']),
      raw(['k2', 'created', '2025-06-01T02:00:00Z', 1]),
      raw(['k1', 'created', '2025-06-01T02:00:00Z', 0]),
      raw(['k1', 'created', '2025-06-01T02:00:00Z', -3]),
      raw(['k1', 'created', '2025-06-01T02:00:00Z', 1.5]),
      raw(['k1', 'created', '2025-06-01T02:00:00Z', 2 ** 60]),
      raw(['k1', 'created', '2025-06-01T02:00:00Z', '1']),
      raw(['k1', 'created', '2025-06-01 02:00:00', 1]),
      raw(['k1', 'created', '2025-06-01T02:00:00+08:00', 1]),
      raw(['k1', 'created', '2025-06-01T02:00:00.1234567Z', 1]),
      raw(['k1', 'created', '2025-13-01T02:00:00Z', 1]),
      raw(['k1', 'created', '2025-02-30T02:00:00Z', 1]),
      raw(['k1', 'created', '2025-06-01T24:00:00Z', 1]),
      raw(['k1', 'created', '0000-01-01T00:00:00Z', 1]),
      raw(['k1', 'created', "2025-06-01T02:00:00Z'; --", 1]),
      raw(['k1', 'created', 20250601, 1]),
      raw(['yesterday', 1]),
    ];
    for (const c of bad) expect(decodeListCursor(c, 'created'), c).toEqual({ ok: false, reason: 'malformed' });
  });
});

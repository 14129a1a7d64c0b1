import { describe, expect, it } from 'vitest';
import {
  addDependencies,
  encryptedJsonValues,
  initialProgress,
  keyVersionAdvice,
  missingVersions,
  nextTable,
  overallPercent,
  rewriteEncryptedJson,
  ROTATION_TABLES,
  tablePercent,
  type TableProgress,
} from './pii-rotation.js';

const p = (over: Partial<TableProgress>): TableProgress => ({
  cursor: null,
  done: false,
  scanned: 0,
  reencrypted: 0,
  rehashed: 0,
  estimate: 0,
  unreadable: 0,
  unreadableKeys: [],
  ...over,
});
const zero = Object.fromEntries(ROTATION_TABLES.map(({ table }) => [table, 0])) as Parameters<
  typeof initialProgress
>[0];

describe('第六条 个人信息加密 密钥轮换: progress, JSON fields and which old keys may go', () => {
  describe('tables and order', () => {
    it('walks requesters first (look-ups by phone) and the sources of copied ciphertexts before their copies', () => {
      const order = ROTATION_TABLES.map((t) => t.table);
      expect(order[0]).toBe('requesters');
      expect(order.indexOf('requesters')).toBeLessThan(order.indexOf('outbound_messages'));
      expect(order.indexOf('contacts')).toBeLessThan(order.indexOf('outbound_messages'));
      expect(new Set(order).size).toBe(order.length);
    });
    it('starts every table at no cursor, with its estimate (never negative)', () => {
      const prog = initialProgress({ ...zero, tickets: 1234.4, contacts: -1 });
      expect(prog.tickets).toEqual(p({ estimate: 1234 }));
      expect(prog.contacts.estimate).toBe(0);
      expect(Object.keys(prog)).toEqual(ROTATION_TABLES.map((t) => t.table));
    });
    it('goes to the next table not done, and to none when all are', () => {
      const prog = initialProgress(zero);
      expect(nextTable(prog)).toBe('requesters');
      prog.requesters.done = true;
      expect(nextTable(prog)).toBe('tickets');
      for (const t of ROTATION_TABLES) prog[t.table].done = true;
      expect(nextTable(prog)).toBeNull();
      // a table missing from an older rotation's progress counts as not done
      expect(nextTable({})).toBe('requesters');
    });
  });

  describe('percentages', () => {
    it('a table: rows read over the estimate, held at 99 until done, 100 when done', () => {
      expect(tablePercent(p({ scanned: 0, estimate: 0 }))).toBe(0);
      expect(tablePercent(p({ scanned: 250, estimate: 1000 }))).toBe(25);
      expect(tablePercent(p({ scanned: 1500, estimate: 1000 }))).toBe(99);
      expect(tablePercent(p({ scanned: 3, estimate: 1000, done: true }))).toBe(100);
    });
    it('overall: weighted by size; a done table counts the rows it really had', () => {
      expect(overallPercent({})).toBe(0);
      expect(
        overallPercent({
          requesters: p({ scanned: 100, estimate: 100, done: true }),
          tickets: p({ scanned: 0, estimate: 300 }),
        }),
      ).toBe(25);
      // the estimate was low: the done table weighs what it scanned
      expect(
        overallPercent({
          requesters: p({ scanned: 300, estimate: 100, done: true }),
          tickets: p({ scanned: 150, estimate: 300 }),
        }),
      ).toBe(75);
      // all scanned but not marked done: never 100
      expect(overallPercent({ requesters: p({ scanned: 10, estimate: 10 }) })).toBe(99);
      expect(overallPercent(Object.fromEntries(ROTATION_TABLES.map((t) => [t.table, p({ done: true })])))).toBe(100);
    });
  });

  describe('encrypted JSON fields', () => {
    const meta = {
      category: 'x',
      address: '和平路**',
      addressEnc: 'v1.a.b.c',
      nested: { open311: { clientIdentityEnc: 'v1.d.e.f', lat: 1 } },
      list: [{ senderUidEnc: 'v1.g.h.i' }, 'v1.not.under.key'],
      openIdEnc: null,
      enc: 'v1.not.an.enc.key',
      secret_enc: 'v1.j.k.l',
    };
    it('finds every string under a key ending in Enc or _enc, at any depth, and nothing else', () => {
      expect(encryptedJsonValues(meta).sort()).toEqual(['v1.a.b.c', 'v1.d.e.f', 'v1.g.h.i', 'v1.j.k.l']);
      expect(encryptedJsonValues(null)).toEqual([]);
      expect(encryptedJsonValues('v1.a.b.c')).toEqual([]);
    });
    it('rewrites them and leaves the rest as it was', () => {
      const r = rewriteEncryptedJson(meta, (s) => s.replace('v1.', 'v2.'));
      expect(r.changed).toBe(true);
      expect(r.value).toEqual({
        ...meta,
        addressEnc: 'v2.a.b.c',
        nested: { open311: { clientIdentityEnc: 'v2.d.e.f', lat: 1 } },
        list: [{ senderUidEnc: 'v2.g.h.i' }, 'v1.not.under.key'],
        secret_enc: 'v2.j.k.l',
      });
      expect(meta.addressEnc).toBe('v1.a.b.c');
    });
    it('says nothing changed (and returns the same document) when every value stays', () => {
      const r = rewriteEncryptedJson(meta, (s) => s);
      expect(r).toEqual({ value: meta, changed: false });
      expect(r.value).toBe(meta);
    });
  });

  it('adds dependency counts by kind and version', () => {
    expect(
      addDependencies({ tracking_code: { '1': 3 } }, { tracking_code: { '1': 2, '2': 1 }, wechat: { '1': 1 } }),
    ).toEqual({ tracking_code: { '1': 5, '2': 1 }, wechat: { '1': 1 } });
    expect(addDependencies({}, {})).toEqual({});
  });

  describe('which old key versions may be removed', () => {
    const done = (deps: Record<string, Record<string, number>> = {}) => ({
      targetVersion: 3,
      status: 'completed' as const,
      finishedAt: new Date(),
      dependencies: deps,
    });
    it('the current one never', () => {
      const [cur] = keyVersionAdvice(3, [], done(), null);
      expect(cur).toMatchObject({ version: 3, role: 'current', removable: false });
    });
    it('none before a rotation to the current version completed', () => {
      const a = keyVersionAdvice(3, [2, 1], null, null);
      expect(a.slice(1).map((x) => x.removable)).toEqual([false, false]);
      expect(a[1]!.reason).toMatch(/尚未完成到版本 3 的轮换/);
    });
    it('none while a rotation to the current version runs, even after an earlier completed one', () => {
      const a = keyVersionAdvice(3, [2], done(), { targetVersion: 3 });
      expect(a[1]).toMatchObject({ removable: false, reason: '轮换进行中：完成前须保留' });
    });
    it('after completion: those nothing depends on; those rows still need are kept, with what needs them', () => {
      const a = keyVersionAdvice(3, [2, 1], done({ tracking_code: { '1': 12, '2': 0 }, wechat: { '1': 2 } }), null);
      expect(a[1]).toMatchObject({ version: 2, removable: true, dependents: [] });
      expect(a[2]).toMatchObject({
        version: 1,
        removable: false,
        dependents: [
          { kind: 'tracking_code', label: '工单查询码', rows: 12 },
          { kind: 'wechat', label: '微信用户标识', rows: 2 },
        ],
      });
      expect(a[2]!.reason).toBe('仍有数据依赖此版本（工单查询码 12 条，微信用户标识 2 条）：须保留');
    });
  });

  it('names the versions rows still need that are not configured', () => {
    const latest = {
      targetVersion: 3,
      status: 'completed' as const,
      finishedAt: null,
      dependencies: { tracking_code: { '1': 4, '2': 0 }, weibo: { '2': 1 } },
    };
    expect(missingVersions(latest, [3])).toEqual([1, 2]);
    expect(missingVersions(latest, [3, 2, 1])).toEqual([]);
    expect(missingVersions(null, [3])).toEqual([]);
  });
});

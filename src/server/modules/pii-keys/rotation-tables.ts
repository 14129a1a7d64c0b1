import { sql, type RawBuilder, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import { rewriteEncryptedJson, type RotationTable } from '../../domain/pii-rotation.js';
import { PiiKeyNotConfiguredError, type PiiCipher } from '../../security/pii-cipher.js';

// 第六条 key rotation: one batch of one table. A batch reads the next rows after the cursor in primary-key order
// (no lock), then locks only the rows that need rewriting with FOR UPDATE SKIP LOCKED and re-reads them, so a row an
// app transaction holds is never waited for (and never deadlocked on) and never overwritten with a stale value.
// A row that was skipped ends the batch's range: the cursor stops just before it and the next batch reads it again.
// The caller commits the rows and the cursor in one transaction (rotation.repository.ts).

export type Key = number | string;

export interface BatchResult {
  /** the last key the batch covered (everything up to it is on the target key or recorded as a dependency) */
  cursor: Key | null;
  /** no rows after the cursor */
  done: boolean;
  scanned: number;
  reencrypted: number;
  rehashed: number;
  /** keys of covered rows with a value that does not decrypt (damaged), left as they are */
  unreadable: Key[];
  /** covered rows still depending on an older key: kind → version → rows */
  dependencies: Record<string, Record<string, number>>;
}

interface Row {
  [column: string]: unknown;
}

/** Rewrites one ciphertext under the current key; a damaged value is reported, a missing key version is fatal. */
function rewrite(cipher: PiiCipher, v: string | null, onUnreadable: () => void): string | null {
  if (cipher.isCurrent(v)) return v;
  try {
    return cipher.reencrypt(v);
  } catch (err) {
    if (err instanceof PiiKeyNotConfiguredError) throw err;
    onUnreadable();
    return v;
  }
}

function needsRewrite(cipher: PiiCipher, v: unknown): boolean {
  return typeof v === 'string' && !cipher.isCurrent(v);
}

function count(deps: Record<string, Record<string, number>>, kind: string, version: number) {
  deps[kind] ??= {};
  deps[kind][String(version)] = (deps[kind][String(version)] ?? 0) + 1;
}

/** Where the batch's range ends: before the first row it wanted but could not lock, else at the last row read. */
function coveredUpTo(rows: Row[], key: string, skipped: Set<Key>, previous: Key | null) {
  const firstSkipped = rows.findIndex((r) => skipped.has(r[key] as Key));
  const covered = firstSkipped < 0 ? rows : rows.slice(0, firstSkipped);
  const cursor = covered.length ? (covered[covered.length - 1]![key] as Key) : previous;
  return { covered, cursor, complete: firstSkipped < 0 };
}

const after = (key: string, cursor: Key | null): RawBuilder<unknown> =>
  cursor === null ? sql`true` : sql`${sql.ref(key)} > ${cursor}`;

// ---- tables whose personal fields are ciphertext columns (and JSON documents with "...Enc" keys) -------------

interface ColumnTable {
  table: RotationTable;
  key: string;
  keyType: 'bigint' | 'text';
  columns: string[];
  json?: string[];
  /** further columns the dependency count reads */
  extra?: string[];
  /** what a covered row still depends on (after this batch) */
  dependsOn?: (row: Row, target: number) => Array<{ kind: string; version: number }>;
}

async function columnTableBatch(
  trx: Transaction<DB>,
  cipher: PiiCipher,
  t: ColumnTable,
  cursor: Key | null,
  limit: number,
): Promise<BatchResult> {
  const json = t.json ?? [];
  const read = [t.key, ...t.columns, ...json, ...(t.extra ?? [])];
  const cols = sql.join(read.map((c) => sql.ref(c)));
  const { rows } = await sql<Row>`
    SELECT ${cols} FROM ${sql.table(t.table)} WHERE ${after(t.key, cursor)}
    ORDER BY ${sql.ref(t.key)} LIMIT ${limit}`.execute(trx);
  const needs = (r: Row) =>
    t.columns.some((c) => needsRewrite(cipher, r[c])) ||
    json.some((j) => {
      let found = false;
      rewriteEncryptedJson(r[j], (s) => {
        if (!cipher.isCurrent(s)) found = true;
        return s;
      });
      return found;
    });
  const wanted = rows.filter(needs).map((r) => r[t.key] as Key);
  const locked = wanted.length
    ? (
        await sql<Row>`
          SELECT ${cols} FROM ${sql.table(t.table)}
          WHERE ${sql.ref(t.key)} = ANY(${sql.val(wanted)}::${sql.raw(t.keyType)}[])
          ORDER BY ${sql.ref(t.key)} FOR UPDATE SKIP LOCKED`.execute(trx)
      ).rows
    : [];
  const lockedKeys = new Set(locked.map((r) => r[t.key] as Key));
  const skipped = new Set(wanted.filter((k) => !lockedKeys.has(k)));

  const unreadable = new Set<Key>();
  const updates: Row[] = [];
  for (const r of locked) {
    const k = r[t.key] as Key;
    const bad = () => unreadable.add(k);
    const next: Row = { [t.key]: k };
    let changed = false;
    for (const c of t.columns) {
      next[c] = rewrite(cipher, r[c] as string | null, bad);
      if (next[c] !== r[c]) changed = true;
    }
    for (const j of json) {
      const res = rewriteEncryptedJson(r[j], (s) => rewrite(cipher, s, bad) ?? s);
      next[j] = JSON.stringify(res.value);
      if (res.changed) changed = true;
    }
    if (changed) updates.push(next);
  }
  if (updates.length) {
    const arrays = [t.key, ...t.columns, ...json].map((c) => {
      const type = c === t.key ? t.keyType : 'text';
      return sql`${sql.val(updates.map((u) => u[c] ?? null))}::${sql.raw(type)}[]`;
    });
    const names = [t.key, ...t.columns, ...json].map((_, i) => sql.raw(`c${i}`));
    const sets = [...t.columns, ...json].map(
      (c, i) => sql`${sql.ref(c)} = ${sql.raw(`u.c${i + 1}`)}${sql.raw(json.includes(c) ? '::jsonb' : '')}`,
    );
    await sql`
      UPDATE ${sql.table(t.table)} AS t SET ${sql.join(sets)}
      FROM unnest(${sql.join(arrays)}) AS u(${sql.join(names)})
      WHERE t.${sql.ref(t.key)} = u.c0`.execute(trx);
  }

  const range = coveredUpTo(rows, t.key, skipped, cursor);
  const dependencies: BatchResult['dependencies'] = {};
  if (t.dependsOn)
    for (const r of range.covered)
      for (const d of t.dependsOn(r, cipher.currentVersion)) count(dependencies, d.kind, d.version);
  const coveredKeys = new Set(range.covered.map((r) => r[t.key] as Key));
  return {
    cursor: range.cursor,
    done: range.complete && rows.length < limit,
    scanned: range.covered.length,
    reencrypted: updates.length,
    rehashed: 0,
    unreadable: [...unreadable].filter((k) => coveredKeys.has(k)),
    dependencies,
  };
}

const COLUMN_TABLES: Record<Exclude<RotationTable, 'requesters'>, ColumnTable> = {
  tickets: {
    table: 'tickets',
    key: 'id',
    keyType: 'bigint',
    columns: ['address_enc', 'original_enc'],
    extra: ['tracking_code_hash', 'tracking_key_version'],
    // The tracking code's plaintext is never stored (the requester holds it): its hash stays on the key that made
    // it until the requester uses the code (tracking.service.ts moves it to the current key then).
    dependsOn: (r, target) => {
      const v = (r.tracking_key_version as number | null) ?? 1;
      return r.tracking_code_hash !== null && v !== target ? [{ kind: 'tracking_code', version: v }] : [];
    },
  },
  contacts: { table: 'contacts', key: 'id', keyType: 'bigint', columns: ['content_enc'], json: ['meta'] },
  unit_notify_phones: { table: 'unit_notify_phones', key: 'unit_id', keyType: 'bigint', columns: ['phone_enc'] },
  outbound_messages: { table: 'outbound_messages', key: 'id', keyType: 'bigint', columns: ['to_enc'] },
  webhook_subscriptions: {
    table: 'webhook_subscriptions',
    key: 'id',
    keyType: 'bigint',
    columns: ['secret_enc', 'previous_secret_enc'],
  },
  // keyed by the hash of the username: the key itself is an ephemeral counter's name (see docs/operations.md)
  login_throttle_accounts: {
    table: 'login_throttle_accounts',
    key: 'account_key',
    keyType: 'text',
    columns: ['last_failure_ip_enc'],
  },
  users: { table: 'users', key: 'id', keyType: 'bigint', columns: ['totp_secret_enc', 'totp_pending_secret_enc'] },
};

// ---- requesters: ciphertexts and the keyed hashes every look-up by phone, WeChat or Weibo uses -------------------

interface RequesterRow {
  id: number;
  name_enc: string | null;
  phone_enc: string | null;
  phone_hash: string | null;
  wechat_hash: string | null;
  weibo_hash: string | null;
  key_version: number | null;
}

type Identity = 'phone' | 'wechat' | 'weibo';
const HASH_COLUMN = { phone: 'phone_hash', wechat: 'wechat_hash', weibo: 'weibo_hash' } as const;

/**
 * The WeChat openids and Weibo uids a requester wrote from, decrypted from their latest contacts' meta (the ids
 * are kept encrypted there to answer them; the requester row holds only their hashes). A few contacts each: one
 * whose id hashes to the stored hash is enough, and a frequent writer's whole history is not needed for that.
 */
async function channelIds(trx: Transaction<DB>, cipher: PiiCipher, ids: number[]) {
  if (!ids.length) return new Map<number, { wechat: string[]; weibo: string[] }>();
  const { rows } = await sql<{ requester_id: number; channel: 'wechat' | 'weibo'; enc: string | null }>`
    SELECT r.id AS requester_id, c.channel, c.enc
    FROM unnest(${sql.val(ids)}::bigint[]) AS r(id)
    CROSS JOIN LATERAL (
      (SELECT 'wechat' AS channel, meta->>'openIdEnc' AS enc FROM contacts
        WHERE requester_id = r.id AND channel = 'wechat' AND meta->>'openIdEnc' IS NOT NULL
        ORDER BY received_at DESC LIMIT 3)
      UNION ALL
      (SELECT 'weibo', meta->>'senderUidEnc' FROM contacts
        WHERE requester_id = r.id AND channel = 'weibo' AND meta->>'senderUidEnc' IS NOT NULL
        ORDER BY received_at DESC LIMIT 3)
    ) c`.execute(trx);
  const out = new Map<number, { wechat: string[]; weibo: string[] }>();
  for (const r of rows) {
    let plain: string | null = null;
    try {
      plain = cipher.decrypt(r.enc);
    } catch (err) {
      if (err instanceof PiiKeyNotConfiguredError) throw err;
    }
    if (!plain) continue;
    const e = out.get(r.requester_id) ?? { wechat: [], weibo: [] };
    e[r.channel].push(plain);
    out.set(r.requester_id, e);
  }
  return out;
}

/** The hash under the current key of the identifier (among `plains`) that the stored hash was made from. */
function rehash(cipher: PiiCipher, purpose: string, stored: string, plains: string[]): string | null {
  for (const p of plains) if (cipher.keyedHashes(purpose, p).includes(stored)) return cipher.keyedHash(purpose, p);
  return null;
}

async function requestersBatch(
  trx: Transaction<DB>,
  cipher: PiiCipher,
  cursor: Key | null,
  limit: number,
): Promise<BatchResult> {
  const target = cipher.currentVersion;
  const select = sql`SELECT id, name_enc, phone_enc, phone_hash, wechat_hash, weibo_hash, key_version FROM requesters`;
  const { rows } = await sql<RequesterRow>`${select} WHERE ${after('id', cursor)} ORDER BY id LIMIT ${limit}`.execute(
    trx,
  );
  const needs = (r: RequesterRow) =>
    !cipher.isCurrent(r.name_enc) || !cipher.isCurrent(r.phone_enc) || (r.key_version ?? 1) !== target;
  const wanted = rows.filter(needs).map((r) => r.id);
  const locked = wanted.length
    ? (
        await sql<RequesterRow>`${select} WHERE id = ANY(${sql.val(wanted)}::bigint[])
          ORDER BY id FOR UPDATE SKIP LOCKED`.execute(trx)
      ).rows
    : [];
  const lockedIds = new Set(locked.map((r) => r.id));
  const skipped = new Set<Key>(wanted.filter((id) => !lockedIds.has(id)));
  const stale = (r: RequesterRow) => (r.key_version ?? 1) !== target;
  const channel = await channelIds(
    trx,
    cipher,
    locked.filter((r) => stale(r) && (r.wechat_hash || r.weibo_hash)).map((r) => r.id),
  );

  // Each row's values under the current key, and the identities whose hash cannot be remade (kept on the old key).
  const unreadable = new Set<Key>();
  const planned = locked.map((r) => {
    const bad = () => unreadable.add(r.id);
    const keep = new Set<Identity>();
    const hash: Record<Identity, string | null> = { phone: r.phone_hash, wechat: r.wechat_hash, weibo: r.weibo_hash };
    let phone: string | null = null;
    try {
      phone = cipher.decrypt(r.phone_enc);
    } catch (err) {
      if (err instanceof PiiKeyNotConfiguredError) throw err;
      bad();
    }
    // phone_hash is always written with phone_enc, so the number it was made from is the one stored beside it
    if (r.phone_hash) {
      const h = cipher.phoneHash(phone);
      if (h) hash.phone = h;
      else keep.add('phone');
    }
    if (stale(r))
      for (const kind of ['wechat', 'weibo'] as const) {
        const stored = r[HASH_COLUMN[kind]];
        if (!stored) continue;
        const h = rehash(cipher, kind, stored, channel.get(r.id)?.[kind] ?? []);
        if (h) hash[kind] = h;
        else keep.add(kind);
      }
    return {
      row: r,
      name_enc: rewrite(cipher, r.name_enc, bad),
      phone_enc: rewrite(cipher, r.phone_enc, bad),
      hash,
      keep,
    };
  });

  // The hash indexes are unique: a person already on record under the new hash (a second requester row for one
  // number, which only a process without the old key could have made) keeps this row on its old hash instead of
  // failing the batch; it is counted as a dependency for the admin to see.
  const newHashes = (kind: Identity) =>
    planned.map((p) => p.hash[kind]).filter((h, i): h is string => !!h && h !== planned[i]!.row[HASH_COLUMN[kind]]);
  const owner = new Map<string, number>();
  const fresh = { phone: newHashes('phone'), wechat: newHashes('wechat'), weibo: newHashes('weibo') };
  if (fresh.phone.length + fresh.wechat.length + fresh.weibo.length) {
    const { rows: holders } = await sql<Pick<RequesterRow, 'id' | 'phone_hash' | 'wechat_hash' | 'weibo_hash'>>`
      SELECT id, phone_hash, wechat_hash, weibo_hash FROM requesters
      WHERE phone_hash = ANY(${sql.val(fresh.phone)}::text[])
         OR wechat_hash = ANY(${sql.val(fresh.wechat)}::text[])
         OR weibo_hash = ANY(${sql.val(fresh.weibo)}::text[])`.execute(trx);
    for (const o of holders) for (const h of [o.phone_hash, o.wechat_hash, o.weibo_hash]) if (h) owner.set(h, o.id);
  }
  let rehashed = 0;
  let reencrypted = 0;
  const updates: Array<
    Record<Identity | 'name_enc' | 'phone_enc', string | null> & { id: number; key_version: number }
  > = [];
  for (const p of planned) {
    const r = p.row;
    for (const kind of ['phone', 'wechat', 'weibo'] as const) {
      const old = r[HASH_COLUMN[kind]];
      const h = p.hash[kind];
      if (!h || h === old) continue;
      const holder = owner.get(h);
      if (holder !== undefined && holder !== r.id) {
        p.hash[kind] = old;
        p.keep.add(kind);
      } else {
        owner.set(h, r.id);
        rehashed++;
      }
    }
    const keyVersion = p.keep.size ? (r.key_version ?? 1) : target;
    const encChanged = p.name_enc !== r.name_enc || p.phone_enc !== r.phone_enc;
    if (encChanged) reencrypted++;
    if (
      encChanged ||
      keyVersion !== r.key_version ||
      p.hash.phone !== r.phone_hash ||
      p.hash.wechat !== r.wechat_hash ||
      p.hash.weibo !== r.weibo_hash
    )
      updates.push({ id: r.id, name_enc: p.name_enc, phone_enc: p.phone_enc, ...p.hash, key_version: keyVersion });
  }
  if (updates.length) {
    const col = (k: keyof (typeof updates)[number]) => sql.val(updates.map((u) => u[k]));
    await sql`
      UPDATE requesters AS r SET name_enc = u.name_enc, phone_enc = u.phone_enc, phone_hash = u.phone_hash,
        wechat_hash = u.wechat_hash, weibo_hash = u.weibo_hash, key_version = u.key_version
      FROM unnest(${col('id')}::bigint[], ${col('name_enc')}::text[], ${col('phone_enc')}::text[],
        ${col('phone')}::text[], ${col('wechat')}::text[], ${col('weibo')}::text[], ${col('key_version')}::integer[])
        AS u(id, name_enc, phone_enc, phone_hash, wechat_hash, weibo_hash, key_version)
      WHERE r.id = u.id`.execute(trx);
  }

  const range = coveredUpTo(rows as unknown as Row[], 'id', skipped, cursor);
  const covered = new Set(range.covered.map((r) => r.id as number));
  const dependencies: BatchResult['dependencies'] = {};
  for (const p of planned)
    if (covered.has(p.row.id)) for (const kind of p.keep) count(dependencies, kind, p.row.key_version ?? 1);
  return {
    cursor: range.cursor,
    done: range.complete && rows.length < limit,
    scanned: range.covered.length,
    reencrypted,
    rehashed,
    unreadable: [...unreadable].filter((k) => covered.has(k as number)),
    dependencies,
  };
}

/** One batch of the named table under the current key. */
export function rotateBatch(
  trx: Transaction<DB>,
  cipher: PiiCipher,
  table: RotationTable,
  cursor: Key | null,
  limit: number,
): Promise<BatchResult> {
  return table === 'requesters'
    ? requestersBatch(trx, cipher, cursor, limit)
    : columnTableBatch(trx, cipher, COLUMN_TABLES[table], cursor, limit);
}

/** Rows per table when the rotation starts: the planner's estimate, or the highest id before any ANALYZE. */
export async function estimateRows(trx: Transaction<DB>, table: RotationTable): Promise<number> {
  const { rows } = await sql<{ n: number | null }>`
    SELECT reltuples::float8 AS n FROM pg_class WHERE oid = to_regclass(${table})`.execute(trx);
  const n = rows[0]?.n ?? -1;
  if (n > 0) return Math.round(n);
  // never analysed (-1), or analysed while empty (0): the highest id bounds the count from an index; the tables
  // without an id column are small by design (one row per account under attack, per unit)
  const fallback =
    table === 'login_throttle_accounts' || table === 'unit_notify_phones'
      ? sql<{ n: number }>`SELECT count(*)::int AS n FROM (SELECT 1 FROM ${sql.table(table)} LIMIT 100000) s`
      : sql<{ n: number }>`SELECT coalesce(max(id), 0)::bigint AS n FROM ${sql.table(table)}`;
  return Number((await fallback.execute(trx)).rows[0]?.n ?? 0);
}

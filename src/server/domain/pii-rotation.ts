// 第六条 key rotation: the pure parts — which tables a rotation walks and in what order, how far it is, which
// encrypted values a JSON document holds, and which old key versions an operator may remove. The batches that
// rewrite rows are modules/pii-keys/rotation-tables.ts.

/**
 * The tables holding personal data under the PII key, in the order a rotation walks them, with their labels. The
 * order matters: the app copies ciphertexts from requesters (phone_enc) and contacts (openIdEnc, senderUidEnc)
 * into outbound_messages.to_enc, so those sources are done first and a copy made after them is already current.
 */
export const ROTATION_TABLES = [
  // first: phone look-ups (screen pop, 工单查询 by number) depend on requesters' keyed hashes
  { table: 'requesters', label: '诉求人（姓名、电话及其检索哈希）' },
  { table: 'tickets', label: '工单（地址、原始诉求文本）' },
  { table: 'contacts', label: '来电来信记录（原文、地址、微信/微博标识）' },
  // before the messages: a deadline SMS copies the unit's phone ciphertext into outbound_messages.to_enc
  { table: 'unit_notify_phones', label: '单位临期短信号码' },
  { table: 'outbound_messages', label: '短信与渠道消息（收件人）' },
  { table: 'webhook_subscriptions', label: '数据推送订阅（签名密钥）' },
  { table: 'login_throttle_accounts', label: '登录失败记录（来源地址）' },
  { table: 'users', label: '用户（二次验证密钥）' },
] as const;
export type RotationTable = (typeof ROTATION_TABLES)[number]['table'];

/** What may keep depending on an older key after a completed rotation: keyed hashes without a stored plaintext. */
export const DEPENDENCY_LABELS: Record<string, string> = {
  tracking_code: '工单查询码',
  wechat: '微信用户标识',
  weibo: '微博用户标识',
  phone: '来电号码（同一号码的重复诉求人）',
};

export interface TableProgress {
  cursor: number | string | null;
  done: boolean;
  scanned: number;
  reencrypted: number;
  rehashed: number;
  estimate: number;
  unreadable: number;
  unreadableKeys: Array<number | string>;
}

export function initialProgress(estimates: Record<RotationTable, number>): Record<RotationTable, TableProgress> {
  return Object.fromEntries(
    ROTATION_TABLES.map(({ table }) => [
      table,
      {
        cursor: null,
        done: false,
        scanned: 0,
        reencrypted: 0,
        rehashed: 0,
        estimate: Math.max(0, Math.round(estimates[table] ?? 0)),
        unreadable: 0,
        unreadableKeys: [],
      },
    ]),
  ) as unknown as Record<RotationTable, TableProgress>;
}

/** The first table not done yet, in walking order; null when the rotation has nothing left. */
export function nextTable(progress: Partial<Record<string, TableProgress>>): RotationTable | null {
  return ROTATION_TABLES.find(({ table }) => !progress[table]?.done)?.table ?? null;
}

/**
 * A table's percent: 100 when done, else rows read over the estimate, held at 99 until the table is done (an
 * estimate from statistics can be low, and "100 %" must mean finished).
 */
export function tablePercent(p: TableProgress): number {
  if (p.done) return 100;
  if (p.estimate <= 0) return 0;
  return Math.min(99, Math.floor((p.scanned / p.estimate) * 100));
}

/** The whole rotation's percent, each table weighted by its size (a done table by the rows it really had). */
export function overallPercent(progress: Partial<Record<string, TableProgress>>): number {
  const tables = ROTATION_TABLES.map(({ table }) => progress[table]).filter((p): p is TableProgress => !!p);
  if (tables.length > 0 && tables.every((p) => p.done)) return 100;
  let done = 0;
  let total = 0;
  for (const p of tables) {
    const size = p.done ? p.scanned : Math.max(p.estimate, p.scanned);
    total += size;
    done += p.done ? p.scanned : Math.min(p.scanned, size);
  }
  return total === 0 ? 0 : Math.min(99, Math.floor((done / total) * 100));
}

/** A JSON key that holds a ciphertext: "...Enc" or "..._enc" (the convention contacts' meta follows). */
export const ENCRYPTED_JSON_KEY = /(_enc|Enc)$/;

/**
 * Rewrites every string under an encrypted key of a JSON document (at any depth) with `rewrite`; returns the new
 * document and whether anything changed. Values under other keys are left alone, whatever they look like.
 */
export function rewriteEncryptedJson(
  doc: unknown,
  rewrite: (ciphertext: string) => string,
): { value: unknown; changed: boolean } {
  let changed = false;
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (v === null || typeof v !== 'object') return v;
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      if (typeof x === 'string' && ENCRYPTED_JSON_KEY.test(k)) {
        const y = rewrite(x);
        if (y !== x) changed = true;
        out[k] = y;
      } else out[k] = walk(x);
    }
    return out;
  };
  const value = walk(doc);
  return { value: changed ? value : doc, changed };
}

/** Every string under an encrypted key of a JSON document (for tests and checks). */
export function encryptedJsonValues(doc: unknown): string[] {
  const found: string[] = [];
  rewriteEncryptedJson(doc, (s) => {
    found.push(s);
    return s;
  });
  return found;
}

/** Adds one batch's dependency counts to the rotation's. */
export function addDependencies(
  into: Record<string, Record<string, number>>,
  add: Record<string, Record<string, number>>,
): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (const src of [into, add])
    for (const [kind, byVersion] of Object.entries(src))
      for (const [v, n] of Object.entries(byVersion)) {
        out[kind] ??= {};
        out[kind][v] = (out[kind][v] ?? 0) + n;
      }
  return out;
}

/** Dependency counts as a list in a fixed order of kinds (stored JSON keeps no order), versions ascending. */
export function dependencyList(deps: Record<string, Record<string, number>>) {
  const kinds = Object.keys(DEPENDENCY_LABELS);
  const rank = (k: string) => (kinds.includes(k) ? kinds.indexOf(k) : kinds.length);
  return Object.entries(deps)
    .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b))
    .flatMap(([kind, byVersion]) =>
      Object.entries(byVersion)
        .filter(([, rows]) => rows > 0)
        .map(([version, rows]) => ({ kind, label: DEPENDENCY_LABELS[kind] ?? kind, version: Number(version), rows }))
        .sort((a, b) => a.version - b.version),
    );
}

export interface RotationSummary {
  targetVersion: number;
  status: 'running' | 'completed' | 'failed';
  finishedAt: Date | null;
  dependencies: Record<string, Record<string, number>>;
}

export interface KeyVersionAdvice {
  version: number;
  role: 'current' | 'previous';
  removable: boolean;
  /** why, in the admin's words */
  reason: string;
  /** rows that still need this version, by kind (from the last completed rotation) */
  dependents: Array<{ kind: string; label: string; rows: number }>;
}

/**
 * Which configured versions an operator may remove from PII_KEYS_PREVIOUS. Only a completed rotation to the current
 * version proves that no ciphertext needs an older key; what it counted as still depending on a version (keyed
 * hashes whose plaintext is not stored) keeps that version. `latest` is the newest completed rotation to the
 * current version, if any.
 */
export function keyVersionAdvice(
  current: number,
  previous: number[],
  latest: RotationSummary | null,
  running: { targetVersion: number } | null,
): KeyVersionAdvice[] {
  const dependentsOf = (v: number) =>
    latest
      ? dependencyList(latest.dependencies)
          .filter((d) => d.version === v)
          .map(({ kind, label, rows }) => ({ kind, label, rows }))
      : [];
  return [
    {
      version: current,
      role: 'current',
      removable: false,
      reason: '当前密钥：用于所有新数据的加密与检索哈希',
      dependents: [],
    },
    ...previous.map((version): KeyVersionAdvice => {
      const dependents = dependentsOf(version);
      let reason: string;
      if (running && running.targetVersion === current) reason = '轮换进行中：完成前须保留';
      else if (!latest) reason = `尚未完成到版本 ${current} 的轮换：旧数据仍可能以此版本加密，须保留`;
      else if (dependents.length)
        reason = `仍有数据依赖此版本（${dependents.map((d) => `${d.label} ${d.rows} 条`).join('，')}）：须保留`;
      else reason = '轮换已完成且无数据依赖：可从 PII_KEYS_PREVIOUS 中移除';
      const removable = !(running && running.targetVersion === current) && !!latest && dependents.length === 0;
      return { version, role: 'previous', removable, reason, dependents };
    }),
  ];
}

/** Versions the last completed rotation found still needed but which this process was not given. */
export function missingVersions(latest: RotationSummary | null, configured: number[]): number[] {
  if (!latest) return [];
  const needed = new Set<number>();
  for (const byVersion of Object.values(latest.dependencies))
    for (const [v, n] of Object.entries(byVersion)) if (n > 0) needed.add(Number(v));
  return [...needed].filter((v) => !configured.includes(v)).sort((a, b) => a - b);
}

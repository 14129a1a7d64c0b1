import { createHash } from 'node:crypto';

// 第三十条第二款: the access log is tamper-evident. Each row's hash covers the previous row's hash and the row's own
// canonical form, so changing, removing or inserting a row breaks every link after it; `npm run audit:verify`
// walks the chain and names the first broken link.

export const GENESIS_HASH = '0'.repeat(64);

/** JSON with object keys sorted at every depth: jsonb reorders keys, the hash must not depend on that. */
export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  if (typeof value === 'number' && !Number.isFinite(value)) return 'null';
  return JSON.stringify(value);
}

/** The fields a link covers (everything but its id and its own hash). */
export interface ChainedRow {
  at: Date;
  userId: number | null;
  unitId: number | null;
  actorKind: string;
  actorLabel: string;
  kind: string;
  ticketIds: number[];
  filter: unknown;
  rowCount: number;
  contentSha256: string | null;
  requestId: string | null;
}

export function chainHash(prevHash: string, row: ChainedRow): string {
  const canonical = canonicalJson({
    at: row.at.toISOString(),
    userId: row.userId,
    unitId: row.unitId,
    actorKind: row.actorKind,
    actorLabel: row.actorLabel,
    kind: row.kind,
    ticketIds: row.ticketIds,
    filter: row.filter,
    rowCount: row.rowCount,
    contentSha256: row.contentSha256,
    requestId: row.requestId,
  });
  return createHash('sha256').update(prevHash).update('\n').update(canonical).digest('hex');
}

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

export type ChainBreak = { id: number; reason: 'prev_hash' | 'hash' };

/**
 * Checks a run of stored rows (in id order) that should follow `expectedPrev`. Returns the first broken link and
 * the hash the next run must start from.
 */
export function verifyLinks(
  rows: Array<ChainedRow & { id: number; prevHash: string; hash: string }>,
  expectedPrev: string,
): { broken: ChainBreak | null; last: string } {
  let prev = expectedPrev;
  for (const r of rows) {
    if (r.prevHash !== prev) return { broken: { id: r.id, reason: 'prev_hash' }, last: prev };
    if (chainHash(r.prevHash, r) !== r.hash) return { broken: { id: r.id, reason: 'hash' }, last: prev };
    prev = r.hash;
  }
  return { broken: null, last: prev };
}

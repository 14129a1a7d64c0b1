import { KNOWLEDGE_FIELD_LABELS } from '../../shared/contracts/knowledge.js';
// 第十八条: any two versions of an article can be compared. Field by field: lists say what was added and removed,
// texts a diff good for Chinese (no spaces between words): first by lines, then by characters inside the lines
// that changed. Plain LCS, bounded so that a 10 000-character answer never costs more than a few million cells.

export type DiffOp = 'equal' | 'insert' | 'delete';
export interface TextSegment {
  op: DiffOp;
  text: string;
}

/** Above this many cells an LCS is not run: the block is shown as removed and added as a whole. */
const MAX_CELLS = 4_000_000;

function lcs<T>(a: T[], b: T[]): Array<{ op: DiffOp; item: T }> | null {
  const n = a.length;
  const m = b.length;
  if ((n + 1) * (m + 1) > MAX_CELLS) return null;
  const w = m + 1;
  const t = new Uint32Array((n + 1) * w);
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      t[i * w + j] = a[i] === b[j] ? t[(i + 1) * w + j + 1]! + 1 : Math.max(t[(i + 1) * w + j]!, t[i * w + j + 1]!);
  const out: Array<{ op: DiffOp; item: T }> = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      out.push({ op: 'equal', item: a[i]! });
      i++;
      j++;
    } else if (t[(i + 1) * w + j]! >= t[i * w + j + 1]!) out.push({ op: 'delete', item: a[i++]! });
    else out.push({ op: 'insert', item: b[j++]! });
  }
  while (i < n) out.push({ op: 'delete', item: a[i++]! });
  while (j < m) out.push({ op: 'insert', item: b[j++]! });
  return out;
}

function push(out: TextSegment[], op: DiffOp, text: string) {
  if (!text) return;
  const last = out[out.length - 1];
  if (last && last.op === op) last.text += text;
  else out.push({ op, text });
}

function charDiff(a: string, b: string, out: TextSegment[]) {
  const ca = Array.from(a);
  const cb = Array.from(b);
  const ops = lcs(ca, cb);
  if (!ops) {
    push(out, 'delete', a);
    push(out, 'insert', b);
    return;
  }
  for (const o of ops) push(out, o.op, o.item);
}

/** A diff of two texts as segments; equal + delete segments rebuild `a`, equal + insert rebuild `b`. */
export function diffText(a: string, b: string): TextSegment[] {
  const out: TextSegment[] = [];
  if (a === b) {
    push(out, 'equal', a);
    return out;
  }
  const la = a.split(/(?<=\n)/);
  const lb = b.split(/(?<=\n)/);
  const ops = lcs(la, lb);
  if (!ops) {
    charDiff(a, b, out);
    return out;
  }
  // runs of removed and added lines are compared character by character, so one changed word in a long line
  // shows as that word
  let del = '';
  let ins = '';
  const flush = () => {
    if (del && ins) charDiff(del, ins, out);
    else {
      push(out, 'delete', del);
      push(out, 'insert', ins);
    }
    del = '';
    ins = '';
  };
  for (const o of ops) {
    if (o.op === 'equal') {
      flush();
      push(out, 'equal', o.item);
    } else if (o.op === 'delete') del += o.item;
    else ins += o.item;
  }
  flush();
  return out;
}

export interface ComparableVersion {
  title: string;
  aliases: string[];
  answer: string;
  shortAnswer: string;
  publicAnswer: string | null;
  visibility: string;
  policyBasis: Array<{ document: string; number?: string | null; clause?: string | null }>;
  categoryIds: number[];
  regionCodes: string[];
  effectiveFrom: string;
  expiresOn: string | null;
  policyChangedOn: string | null;
  attachmentIds: number[];
}

export type FieldDiff =
  | { field: string; kind: 'text'; changed: boolean; segments: TextSegment[] }
  | { field: string; kind: 'list'; changed: boolean; added: string[]; removed: string[]; kept: string[] }
  | { field: string; kind: 'value'; changed: boolean; from: string | null; to: string | null };

/** The labels shared with the web (src/shared/contracts/knowledge.ts), checked to name every field. */
export const FIELD_LABELS: Record<keyof ComparableVersion, string> = KNOWLEDGE_FIELD_LABELS;

function listDiff(field: string, a: string[], b: string[]): FieldDiff {
  const sa = new Set(a);
  const sb = new Set(b);
  const added = b.filter((x) => !sa.has(x));
  const removed = a.filter((x) => !sb.has(x));
  return {
    field,
    kind: 'list',
    changed: added.length > 0 || removed.length > 0,
    added,
    removed,
    kept: b.filter((x) => sa.has(x)),
  };
}

const basisText = (p: ComparableVersion['policyBasis'][number]) =>
  [p.document, p.number, p.clause].filter((x) => x && x.trim()).join(' ');

/** Every field of the two versions, each with whether it changed and how. */
export function diffVersions(a: ComparableVersion, b: ComparableVersion): FieldDiff[] {
  const text = (field: 'title' | 'answer' | 'shortAnswer' | 'publicAnswer'): FieldDiff => {
    const x = a[field] ?? '';
    const y = b[field] ?? '';
    return { field, kind: 'text', changed: x !== y, segments: diffText(x, y) };
  };
  const value = (field: 'visibility' | 'effectiveFrom' | 'expiresOn' | 'policyChangedOn'): FieldDiff => ({
    field,
    kind: 'value',
    changed: (a[field] ?? null) !== (b[field] ?? null),
    from: a[field] ?? null,
    to: b[field] ?? null,
  });
  return [
    text('title'),
    listDiff('aliases', a.aliases, b.aliases),
    text('shortAnswer'),
    text('answer'),
    text('publicAnswer'),
    value('visibility'),
    listDiff('policyBasis', a.policyBasis.map(basisText), b.policyBasis.map(basisText)),
    listDiff('categoryIds', a.categoryIds.map(String), b.categoryIds.map(String)),
    listDiff('regionCodes', a.regionCodes, b.regionCodes),
    value('effectiveFrom'),
    value('expiresOn'),
    value('policyChangedOn'),
    listDiff('attachmentIds', a.attachmentIds.map(String), b.attachmentIds.map(String)),
  ];
}

// 第四条 智能分类, issue 13 (training under 300 MB): the first pass over 100 000 TipDM-length tickets meets ~190 000
// distinct terms, most of them seen once and never in the vocabulary. A Map of strings held them at ~40 bytes a term
// (8 MB), and each growth of the Map left the old one to the collector; here they are their UTF-16 code units in one
// array, the ids in an open-addressing table of Int32, ~20 bytes a term with the slack of doubling. Terms are
// compared code unit by code unit, so two terms never share an id whatever their hashes.

const EMPTY = -1;

/** Terms → dense ids 0, 1, 2 … in the order they are first seen; the terms read back as strings. */
export class TermTable {
  /** the code units of every term, back to back: term i is units[start[i] … start[i + 1]) */
  private units = new Uint16Array(1 << 12);
  private start = new Uint32Array(1 << 10);
  /** term id per slot (EMPTY when free), at most half full; a slot's index is the hash, then the next ones */
  private slots = new Int32Array(1 << 11).fill(EMPTY);
  private count = 0;

  /** Distinct terms seen. */
  get size(): number {
    return this.count;
  }

  /** The term's id, a new one (the next) when the term is new. */
  id(term: string): number {
    const mask = this.slots.length - 1;
    for (let s = hashTerm(term) & mask; ; s = (s + 1) & mask) {
      const id = this.slots[s]!;
      if (id === EMPTY) {
        this.slots[s] = this.append(term);
        if (this.count * 2 > this.slots.length) this.rehash();
        return this.count - 1;
      }
      if (this.equals(id, term)) return id;
    }
  }

  /** Term `id` as a string. */
  term(id: number): string {
    let out = '';
    // String.fromCharCode takes its code units as arguments: a long term goes in pieces
    for (let at = this.start[id]!, end = this.start[id + 1]!; at < end; at += 4096)
      out += String.fromCharCode(...this.units.subarray(at, Math.min(end, at + 4096)));
    return out;
  }

  /** Terms `a` and `b` in JavaScript's string order (code unit by code unit, as `<` compares): negative, 0, positive. */
  compare(a: number, b: number): number {
    const aFrom = this.start[a]!;
    const bFrom = this.start[b]!;
    const aLength = this.start[a + 1]! - aFrom;
    const bLength = this.start[b + 1]! - bFrom;
    for (let i = 0; i < aLength && i < bLength; i++) {
      const d = this.units[aFrom + i]! - this.units[bFrom + i]!;
      if (d) return d;
    }
    return aLength - bLength;
  }

  private equals(id: number, term: string): boolean {
    const from = this.start[id]!;
    if (this.start[id + 1]! - from !== term.length) return false;
    for (let i = 0; i < term.length; i++) if (this.units[from + i] !== term.charCodeAt(i)) return false;
    return true;
  }

  private append(term: string): number {
    const id = this.count++;
    if (this.count + 1 > this.start.length) this.start = grown(this.start, this.count + 1);
    const from = this.start[id]!;
    if (from + term.length > this.units.length) this.units = grown(this.units, from + term.length);
    for (let i = 0; i < term.length; i++) this.units[from + i] = term.charCodeAt(i);
    this.start[id + 1] = from + term.length;
    return id;
  }

  private rehash(): void {
    this.slots = new Int32Array(this.slots.length * 2).fill(EMPTY);
    const mask = this.slots.length - 1;
    for (let id = 0; id < this.count; id++) {
      let h = FNV_OFFSET;
      for (let i = this.start[id]!, end = this.start[id + 1]!; i < end; i++) h = fnv(h, this.units[i]!);
      let s = mix(h) & mask;
      while (this.slots[s] !== EMPTY) s = (s + 1) & mask;
      this.slots[s] = id;
    }
  }
}

const FNV_OFFSET = 0x811c9dc5;
const fnv = (h: number, unit: number) => Math.imul(h ^ unit, 0x01000193);
/** FNV-1a's low bits are its weakest, and the table indexes by them: the high bits are folded in */
const mix = (h: number) => (h ^ (h >>> 15)) >>> 0;

/** The 32-bit hash a term is placed by (FNV-1a of its UTF-16 code units). */
export function hashTerm(term: string): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < term.length; i++) h = fnv(h, term.charCodeAt(i));
  return mix(h);
}

/** A copy at least `need` long, doubling. */
function grown<A extends Uint16Array | Uint32Array>(a: A, need: number): A {
  let length = a.length * 2;
  while (length < need) length *= 2;
  const out = new (a.constructor as new (length: number) => A)(length);
  out.set(a);
  return out;
}

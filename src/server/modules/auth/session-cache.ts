/**
 * A signed-in session's user row, kept by an app process for a few seconds so that a busy agent's requests do not
 * each read it again (issue 8: ticket intake; the look-up was one statement of two per POST /api/tickets).
 *
 * Safe across processes because it trusts only what the database announces (migration 0049): every change of a
 * session, a user, a unit's regions or the security settings is NOTIFYed at commit and drops the entries it
 * touches, in this process and every other. While this process may be missing announcements (no listener yet, its
 * connection lost) nothing is served from the cache. A look-up that raced with an announcement is not stored
 * (the generation check), so an entry never outlives a change it did not see. The lifetime is a backstop, not the
 * mechanism: an idle timeout or absolute expiry is checked on every use against the cached row.
 */
export interface CachedSession<Row> {
  row: Row;
  userId: number;
}

export interface SessionCacheStats {
  hits: number;
  misses: number;
  invalidations: number;
  size: number;
  listening: boolean;
}

export class SessionCache<Row> {
  private readonly entries = new Map<string, CachedSession<Row> & { storedAt: number }>();
  private generation = 0;
  private listening = false;
  private readonly counts = { hits: 0, misses: 0, invalidations: 0 };

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
    // the process's own time, not the app clock: tests move the app clock by days
    private readonly monotonicNow: () => number = () => performance.now(),
  ) {}

  /** The generation to hand back to set(): a look-up that an announcement overtook must not be stored. */
  begin(): number {
    return this.generation;
  }

  get(tokenHash: string): Row | undefined {
    if (!this.listening) return undefined;
    const e = this.entries.get(tokenHash);
    if (!e) {
      this.counts.misses++;
      return undefined;
    }
    if (this.monotonicNow() - e.storedAt >= this.ttlMs) {
      this.entries.delete(tokenHash);
      this.counts.misses++;
      return undefined;
    }
    this.counts.hits++;
    return e.row;
  }

  set(tokenHash: string, userId: number, row: Row, generation: number): void {
    if (!this.listening || generation !== this.generation) return;
    if (this.entries.size >= this.maxEntries && !this.entries.has(tokenHash)) {
      // oldest first (a Map iterates in insertion order)
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.delete(tokenHash);
    this.entries.set(tokenHash, { row, userId, storedAt: this.monotonicNow() });
  }

  /** Replaces a cached row in place (a refreshed last_seen_at), keeping its age. */
  update(tokenHash: string, row: Row): void {
    const e = this.entries.get(tokenHash);
    if (e) e.row = row;
  }

  /** An announcement: 's:<token hash>', 'u:<user id>' or '*' (anything else is treated as '*'). */
  invalidate(payload: string): void {
    this.generation++;
    this.counts.invalidations++;
    if (payload.startsWith('s:')) this.entries.delete(payload.slice(2));
    else if (payload.startsWith('u:') && /^u:\d+$/.test(payload)) {
      const userId = Number(payload.slice(2));
      for (const [k, e] of this.entries) if (e.userId === userId) this.entries.delete(k);
    } else this.entries.clear();
  }

  /** Whether this process hears the announcements; while it does not, nothing is cached or served. */
  setListening(up: boolean): void {
    this.generation++;
    this.listening = up;
    if (!up) this.entries.clear();
  }

  stats(): SessionCacheStats {
    return { ...this.counts, size: this.entries.size, listening: this.listening };
  }
}

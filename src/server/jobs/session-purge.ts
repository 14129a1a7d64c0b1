import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.js';

/** How many sessions one statement deletes: a short transaction and a bounded burst of hz_auth notifications. */
export const SESSION_PURGE_BATCH = 1_000;
/** At most this many batches a pass, so a first pass over years of sessions does not hold the scheduler. */
const MAX_BATCHES = 50;

/**
 * 第六条 (personal data kept no longer than needed): deletes sessions past their absolute lifetime. Such a session is
 * refused at every request already (auth.repository.ts findSessionUser), so deleting it changes nothing a user
 * sees; its row only said who was signed in when — the audit log keeps sign-ins. Several schedulers may run this at
 * once: a row deleted by one is skipped by the other's DELETE.
 */
export async function purgeExpiredSessions(db: Kysely<DB>, now: Date): Promise<{ sessionsPurged: number }> {
  let purged = 0;
  for (let i = 0; i < MAX_BATCHES; i++) {
    const r = await sql`
      DELETE FROM sessions WHERE token_hash IN (
        SELECT token_hash FROM sessions WHERE expires_at <= ${now} ORDER BY expires_at LIMIT ${SESSION_PURGE_BATCH}
      )`.execute(db);
    const n = Number(r.numAffectedRows ?? 0n);
    purged += n;
    if (n < SESSION_PURGE_BATCH) break;
  }
  return { sessionsPurged: purged };
}

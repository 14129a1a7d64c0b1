import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { purgeExpiredSessions, SESSION_PURGE_BATCH } from '../src/server/jobs/session-purge.js';
import { ApiClient } from './helpers/api.js';
import { describeEachDb } from './helpers/test-env.js';

const count = async (db: Parameters<typeof purgeExpiredSessions>[0]) =>
  Number((await sql<{ n: string }>`SELECT count(*) AS n FROM sessions`.execute(db)).rows[0]!.n);

describeEachDb('第六条 sessions past their lifetime are purged', (env) => {
  it('deletes expired sessions in batches, keeps live ones, and a purged session stays refused', async () => {
    const e = env();
    const agent = await ApiClient.login(e, 'agent');
    const userId = e.ids.users.agent!;
    const now = e.clock.now();
    // more than two batches of sessions that ended yesterday (a busy centre's sign-ins)
    const expired = 2 * SESSION_PURGE_BATCH + 17;
    await sql`
      INSERT INTO sessions (token_hash, user_id, created_at, expires_at, last_seen_at)
      SELECT 'old-' || i, ${userId}, ${new Date(now.getTime() - 2 * 86_400_000)}, ${new Date(now.getTime() - 86_400_000)},
        ${new Date(now.getTime() - 86_400_000)}
      FROM generate_series(1, ${expired}) AS i`.execute(e.db);
    const before = await count(e.db);

    expect(await purgeExpiredSessions(e.db, now)).toEqual({ sessionsPurged: expired });
    expect(await count(e.db)).toBe(before - expired);
    expect((await agent.get('/api/auth/me')).status).toBe(200);
    expect(await purgeExpiredSessions(e.db, now)).toEqual({ sessionsPurged: 0 });

    // past the agent's own session's lifetime (the test app's is 400 days): refused before the purge, gone after it
    e.clock.advanceDays(401);
    expect((await agent.get('/api/auth/me')).status).toBe(401);
    const { sessionsPurged } = await purgeExpiredSessions(e.db, e.clock.now());
    expect(sessionsPurged).toBeGreaterThanOrEqual(1);
    expect((await agent.get('/api/auth/me')).status).toBe(401);
    const mine = await e.db.selectFrom('sessions').select('token_hash').where('user_id', '=', userId).execute();
    expect(mine).toEqual([]);
  });
});

import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { AccountThrottle, AddressThrottle } from '../../domain/login-throttle.js';

// Rows of login throttling (migration 0012). The gate reads both rows FOR UPDATE, always the account's first and
// then the address's, so concurrent attempts queue on the row instead of losing counts, and never deadlock.

/** Creates the rows if missing and locks them; returns their state. */
export async function lockThrottleRows(
  trx: Transaction<DB>,
  accountKey: string,
  userId: number | null,
  addressKey: string,
  now: Date,
) {
  // A clean-up may delete a stale row between the insert and the lock: then insert again.
  for (let i = 0; ; i++) {
    await trx
      .insertInto('login_throttle_accounts')
      .values({ account_key: accountKey, user_id: userId })
      .onConflict((oc) => oc.column('account_key').doNothing())
      .execute();
    await trx
      .insertInto('login_throttle_addresses')
      .values({ address_key: addressKey, window_start: now })
      .onConflict((oc) => oc.column('address_key').doNothing())
      .execute();
    const account = await trx
      .selectFrom('login_throttle_accounts')
      .selectAll()
      .where('account_key', '=', accountKey)
      .forUpdate()
      .executeTakeFirst();
    const address = await trx
      .selectFrom('login_throttle_addresses')
      .selectAll()
      .where('address_key', '=', addressKey)
      .forUpdate()
      .executeTakeFirst();
    if (account && address) return { account, address };
    if (i >= 2) throw new Error('login throttle rows vanished');
  }
}

export async function storeAccount(
  trx: Transaction<DB>,
  accountKey: string,
  userId: number | null,
  s: AccountThrottle,
) {
  await trx
    .updateTable('login_throttle_accounts')
    .set({ user_id: userId, failures: s.failures, last_attempt_at: s.lastAttemptAt, locked_until: s.lockedUntil })
    .where('account_key', '=', accountKey)
    .execute();
}

export async function storeAddress(trx: Transaction<DB>, addressKey: string, s: AddressThrottle) {
  await trx
    .updateTable('login_throttle_addresses')
    .set({ window_start: s.windowStart!, failures: s.failures, last_attempt_at: s.lastAttemptAt })
    .where('address_key', '=', addressKey)
    .execute();
}

export async function recordFailure(trx: Transaction<DB>, accountKey: string, at: Date, ipEnc: string | null) {
  await trx
    .updateTable('login_throttle_accounts')
    .set({ last_failure_at: at, last_failure_ip_enc: ipEnc })
    .where('account_key', '=', accountKey)
    .execute();
}

export async function lockAccountRow(trx: Transaction<DB>, accountKey: string) {
  return trx
    .selectFrom('login_throttle_accounts')
    .selectAll()
    .where('account_key', '=', accountKey)
    .forUpdate()
    .executeTakeFirst();
}

/** Clears an account's count and lock (a successful login, an admin's unlock). */
export async function resetAccount(trx: Transaction<DB>, accountKey: string) {
  await trx
    .updateTable('login_throttle_accounts')
    .set({ failures: 0, locked_until: null, last_attempt_at: null, last_failure_at: null, last_failure_ip_enc: null })
    .where('account_key', '=', accountKey)
    .execute();
}

/** Gives back the failure a successful attempt reserved on its address, if the window is still the same. */
export async function giveBackAddressFailure(db: Kysely<DB>, addressKey: string, windowStart: Date) {
  await db
    .updateTable('login_throttle_addresses')
    .set({ failures: sql<number>`greatest(failures - 1, 0)` })
    .where('address_key', '=', addressKey)
    .where('window_start', '=', windowStart)
    .execute();
}

/**
 * Drops rows nothing depends on any more: address windows long over, and accounts whose failures are forgotten.
 * Rows in use by a login right now are skipped (SKIP LOCKED), so the clean-up never waits for or blocks a login.
 */
export async function deleteStale(db: Kysely<DB>, addressBefore: Date, accountBefore: Date, now: Date) {
  await sql`DELETE FROM login_throttle_addresses WHERE address_key IN (
    SELECT address_key FROM login_throttle_addresses WHERE window_start < ${addressBefore} FOR UPDATE SKIP LOCKED)`.execute(
    db,
  );
  await sql`DELETE FROM login_throttle_accounts WHERE account_key IN (
    SELECT account_key FROM login_throttle_accounts
    WHERE (last_attempt_at IS NULL OR last_attempt_at < ${accountBefore}) AND (locked_until IS NULL OR locked_until < ${now})
    FOR UPDATE SKIP LOCKED)`.execute(db);
}

/** Accounts of known users with recent failures or a lock, for the admin. */
export async function listThrottledUsers(db: Kysely<DB>, since: Date, now: Date) {
  return db
    .selectFrom('login_throttle_accounts as t')
    .innerJoin('users as u', 'u.id', 't.user_id')
    .select([
      'u.id as userId',
      'u.username',
      'u.display_name as displayName',
      't.failures',
      't.locked_until as lockedUntil',
      't.last_attempt_at as lastAttemptAt',
      't.last_failure_at as lastFailureAt',
      't.last_failure_ip_enc as lastFailureIpEnc',
    ])
    .where((eb) =>
      eb.or([
        eb('t.locked_until', '>', now),
        eb.and([
          eb('t.failures', '>', 0),
          eb('t.last_failure_at', 'is not', null),
          eb('t.last_attempt_at', '>', since),
        ]),
      ]),
    )
    .orderBy('t.locked_until', (ob) => ob.desc().nullsLast())
    .orderBy('t.failures', 'desc')
    .orderBy('u.username')
    .limit(500)
    .execute();
}

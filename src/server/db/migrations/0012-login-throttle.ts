import { sql, type Kysely } from 'kysely';

// 第六、三十条: login throttling (domain/login-throttle.ts). The counts live in the database so that every HTTP
// process behind a load balancer applies the same delays and locks. Accounts are keyed by a keyed hash of the
// username typed (known or not, so a lock does not reveal which usernames exist, and mistyped text is not kept);
// addresses by a keyed hash of the client address. The last failing address is kept only encrypted, for the admin.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
CREATE TABLE login_throttle_accounts (
  account_key text PRIMARY KEY,
  user_id integer REFERENCES users(id),
  failures integer NOT NULL DEFAULT 0 CHECK (failures >= 0),
  last_attempt_at timestamptz,
  last_failure_at timestamptz,
  last_failure_ip_enc text,
  locked_until timestamptz
);
CREATE INDEX login_throttle_accounts_user ON login_throttle_accounts(user_id) WHERE failures > 0 OR locked_until IS NOT NULL;
CREATE TABLE login_throttle_addresses (
  address_key text PRIMARY KEY,
  window_start timestamptz NOT NULL,
  failures integer NOT NULL DEFAULT 0 CHECK (failures >= 0),
  last_attempt_at timestamptz
);
CREATE INDEX login_throttle_addresses_window ON login_throttle_addresses(window_start);
`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('0012-login-throttle is not reversible');
}

import { sql, type Kysely } from 'kysely';

// 第六条, 等保 2.0 身份鉴别: password policy with history, forced change after an admin reset, session idle timeout,
// an optional TOTP second factor and the admin-edited security settings that govern them.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
-- must_change_password: set by an admin's reset of another user's password and by admin:create; until the user
-- changes it every API call but the change itself answers 403 PASSWORD_CHANGE_REQUIRED.
-- totp_secret_enc: the TOTP secret, encrypted with the PII cipher; totp_pending_secret_enc: an enrolment not yet
-- confirmed with a code; totp_last_step: the last time step accepted, so a code is never accepted twice.
ALTER TABLE users
  ADD COLUMN must_change_password boolean NOT NULL DEFAULT false,
  ADD COLUMN password_changed_at timestamptz,
  ADD COLUMN totp_secret_enc text,
  ADD COLUMN totp_pending_secret_enc text,
  ADD COLUMN totp_enabled_at timestamptz,
  ADD COLUMN totp_last_step integer;

-- Idle timeout: a session not used for SESSION_IDLE_MINUTES ends; last_seen_at is refreshed at most once a minute.
ALTER TABLE sessions ADD COLUMN last_seen_at timestamptz;
UPDATE sessions SET last_seen_at = created_at;
ALTER TABLE sessions ALTER COLUMN last_seen_at SET NOT NULL;

-- Hashes a user's passwords had before the current one (argon2, never the text), newest last; the current
-- password is users.password_hash. A new password may be none of the last N (security_settings.password_history).
CREATE TABLE password_history (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id integer NOT NULL REFERENCES users(id),
  password_hash text NOT NULL,
  replaced_at timestamptz NOT NULL
);
CREATE INDEX password_history_user ON password_history(user_id, id);

-- The second login step: a password proven, a TOTP code still due. Only the token's SHA-256 is stored.
CREATE TABLE login_challenges (
  token_hash text PRIMARY KEY,
  user_id integer NOT NULL REFERENCES users(id),
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  failures integer NOT NULL DEFAULT 0 CHECK (failures >= 0)
);
CREATE INDEX login_challenges_expiry ON login_challenges(expires_at);
CREATE INDEX login_challenges_user ON login_challenges(user_id);

-- One row: the settings an admin edits (audited in admin_audit). Session lifetimes come from the environment.
CREATE TABLE security_settings (
  id smallint PRIMARY KEY CHECK (id = 1),
  password_min_length integer NOT NULL DEFAULT 10 CHECK (password_min_length BETWEEN 10 AND 64),
  password_history integer NOT NULL DEFAULT 5 CHECK (password_history BETWEEN 1 AND 24),
  totp_required_roles text[] NOT NULL DEFAULT '{}',
  updated_at timestamptz,
  updated_by integer REFERENCES users(id)
);
INSERT INTO security_settings (id) VALUES (1);
`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('0022-auth-hardening is not reversible');
}

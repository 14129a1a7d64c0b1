import { sql, type Kysely } from 'kysely';

// Issue 8 (intake at half of PostgreSQL's limit): app processes may keep a signed-in session's actor for a few
// seconds instead of reading it on every request (modules/auth/session-cache.ts). What makes that safe across
// processes is that the database itself announces every change a cached actor depends on, whoever makes it (a
// logout, an admin's deactivation or role change, a migration, psql): NOTIFY on channel hz_auth, delivered at
// commit to every process that LISTENs, which drops the entry. Payloads: 's:<token hash>' (one session),
// 'u:<user id>' (a user's sessions), '*' (everything: a unit's regions, the security settings).
// A session's refreshed last_seen_at (at most once a minute per session) is no change to announce.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
CREATE FUNCTION hz_notify_session_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND (to_jsonb(OLD) - 'last_seen_at') = (to_jsonb(NEW) - 'last_seen_at') THEN
    RETURN NULL;
  END IF;
  PERFORM pg_notify('hz_auth', 's:' || OLD.token_hash);
  RETURN NULL;
END $$;

CREATE FUNCTION hz_notify_user_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('hz_auth', 'u:' || OLD.id);
  RETURN NULL;
END $$;

CREATE FUNCTION hz_notify_auth_change_all() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('hz_auth', '*');
  RETURN NULL;
END $$;

CREATE TRIGGER sessions_notify_change AFTER UPDATE OR DELETE ON sessions
  FOR EACH ROW EXECUTE FUNCTION hz_notify_session_change();
CREATE TRIGGER users_notify_change AFTER UPDATE OR DELETE ON users
  FOR EACH ROW EXECUTE FUNCTION hz_notify_user_change();
CREATE TRIGGER unit_regions_notify_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON unit_regions
  FOR EACH STATEMENT EXECUTE FUNCTION hz_notify_auth_change_all();
CREATE TRIGGER security_settings_notify_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON security_settings
  FOR EACH STATEMENT EXECUTE FUNCTION hz_notify_auth_change_all();
`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('0049-auth-change-notify is not reversible');
}

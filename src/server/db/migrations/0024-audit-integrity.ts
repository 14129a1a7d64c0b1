import { sql, type Kysely } from 'kysely';

// 等保 2.0 安全审计 (and 第六、三十条): the administrators' audit says from where a change came, and no application
// role can change or remove an audit record — the database refuses it, whatever the code does.
//
// - admin_audit gains the request's source address and request id (who / when / what / from where), and the
//   append-only guard ticket_events and pii_access_log have had since 0001. A row may leave only through a
//   retention purge that says so for its own transaction (hz.audit_purge) and only when it is older than 180 days
//   (网络安全法 第二十一条: network logs kept at least six months).
// - TRUNCATE bypasses row triggers, so every audit table also refuses TRUNCATE.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
ALTER TABLE admin_audit ADD COLUMN source_ip text, ADD COLUMN request_id text;
CREATE INDEX admin_audit_at ON admin_audit(at, id);
CREATE INDEX admin_audit_user ON admin_audit(user_id, id);
CREATE INDEX admin_audit_entity ON admin_audit(entity, id);

CREATE FUNCTION audit_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND current_setting('hz.audit_purge', true) = 'on'
     AND OLD.at < now() - interval '180 days' THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'table % is append-only', TG_TABLE_NAME;
END $$;
CREATE TRIGGER admin_audit_append_only BEFORE UPDATE OR DELETE ON admin_audit
  FOR EACH ROW EXECUTE FUNCTION audit_guard();

CREATE FUNCTION forbid_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'table % is append-only', TG_TABLE_NAME;
END $$;
CREATE TRIGGER admin_audit_no_truncate BEFORE TRUNCATE ON admin_audit
  FOR EACH STATEMENT EXECUTE FUNCTION forbid_truncate();
CREATE TRIGGER ticket_events_no_truncate BEFORE TRUNCATE ON ticket_events
  FOR EACH STATEMENT EXECUTE FUNCTION forbid_truncate();
CREATE TRIGGER pii_access_log_no_truncate BEFORE TRUNCATE ON pii_access_log
  FOR EACH STATEMENT EXECUTE FUNCTION forbid_truncate();
CREATE TRIGGER access_log_no_truncate BEFORE TRUNCATE ON access_log
  FOR EACH STATEMENT EXECUTE FUNCTION forbid_truncate();
`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('0024-audit-integrity is not reversible');
}

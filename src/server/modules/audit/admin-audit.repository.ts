import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';

/** One row of the configuration and account audit (who changed what, before and after); append-only. */
export interface AdminAuditRow {
  /** null when the system acted (e.g. a lock set by a failed login) */
  userId: number | null;
  entity: string;
  entityId: string;
  action: string;
  before: unknown;
  after: unknown;
  at: Date;
  /** 等保 安全审计 "from where": the request's client address and id; absent for the scheduler and the CLI */
  source?: AuditSource | null;
}

export interface AuditSource {
  ip?: string | null;
  requestId?: string | null;
}

/** The request an actor acts through, as the audit records it. */
export function auditSource(actor: { sourceIp?: string; requestId?: string } | null | undefined): AuditSource | null {
  return actor ? { ip: actor.sourceIp ?? null, requestId: actor.requestId ?? null } : null;
}

/** Writes the audit row inside the caller's transaction, so the change and its record commit together. */
export async function insertAdminAudit(trx: Kysely<DB>, row: AdminAuditRow): Promise<void> {
  await trx
    .insertInto('admin_audit')
    .values({
      user_id: row.userId,
      entity: row.entity,
      entity_id: row.entityId,
      action: row.action,
      before: row.before === null ? null : JSON.stringify(row.before),
      after: row.after === null ? null : JSON.stringify(row.after),
      at: row.at,
      source_ip: row.source?.ip ?? null,
      request_id: row.source?.requestId ?? null,
    })
    .execute();
}

/** What a person changed, recorded as theirs and from the request they acted through (one transaction, as above). */
export function insertActorAudit(
  trx: Kysely<DB>,
  actor: { userId: number; sourceIp?: string; requestId?: string },
  change: Omit<AdminAuditRow, 'userId' | 'source'>,
): Promise<void> {
  return insertAdminAudit(trx, { ...change, userId: actor.userId, source: auditSource(actor) });
}

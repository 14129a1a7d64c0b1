import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { WarningsFilter } from '../../../shared/contracts/warnings.js';
import { maxLevel, type WarningKind, type WarningLevel } from '../../../shared/domain/warnings.js';
import { localInstant, addDays } from '../../domain/calendar.js';
import { regionPrefix, type Actor } from '../auth/actor.js';

// 第二十七条 风险预警: the queries. The feed is a keyset over an index (warnings_region / warnings_status /
// warnings_kind by id), never a count of the table; raising goes through raiseWarning, which keeps one open warning
// per cause (warnings_open_cause) and one warning per occurrence (dedupe_key).

export async function findWarning(db: Kysely<DB>, id: number) {
  return db.selectFrom('warnings').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function lockWarning(trx: Transaction<DB>, id: number) {
  return trx.selectFrom('warnings').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function insertWarningEvent(
  trx: Transaction<DB>,
  e: {
    warningId: number;
    action: string;
    from?: string | null;
    to?: string | null;
    note?: string | null;
    data?: Record<string, unknown>;
    actorId: number | null;
    at: Date;
  },
) {
  await trx
    .insertInto('warning_events')
    .values({
      warning_id: e.warningId,
      action: e.action,
      from_status: e.from ?? null,
      to_status: e.to ?? null,
      note: e.note ?? null,
      data: e.data ? JSON.stringify(e.data) : null,
      actor_user_id: e.actorId,
      at: e.at,
    })
    .execute();
}

export interface NewWarning {
  kind: WarningKind;
  level: WarningLevel;
  regionCode: string;
  categoryId: number | null;
  windowStart: Date;
  windowEnd: Date;
  title: string;
  evidence: Record<string, unknown>;
  causeKey: string;
  dedupeKey: string;
}

/**
 * Raises a warning, or folds this occurrence into the open warning of the same cause (`merge` makes the new
 * evidence and title from the old; it returns null when nothing changed). A closed occurrence (same dedupe key)
 * is never raised again. Inside the caller's transaction, with the warning's event.
 */
export async function raiseWarning(
  trx: Transaction<DB>,
  w: NewWarning,
  now: Date,
  merge: (
    old: { evidence: Record<string, unknown>; title: string; level: WarningLevel },
    w: NewWarning,
  ) => { evidence: Record<string, unknown>; title: string; level: WarningLevel; windowEnd: Date } | null,
): Promise<{ id: number; raised: boolean; updated: boolean } | null> {
  const open = await trx
    .selectFrom('warnings')
    .select(['id', 'evidence', 'title', 'level', 'status'])
    .where('cause_key', '=', w.causeKey)
    .where('status', '<>', 'closed')
    .forUpdate()
    .executeTakeFirst();
  if (open) {
    const m = merge({ evidence: open.evidence, title: open.title, level: open.level }, w);
    if (!m) return { id: open.id, raised: false, updated: false };
    const level = maxLevel(open.level, m.level);
    await trx
      .updateTable('warnings')
      .set((eb) => ({
        evidence: JSON.stringify(m.evidence),
        title: m.title,
        level,
        window_end: m.windowEnd,
        updated_at: now,
        version: eb('version', '+', 1),
      }))
      .where('id', '=', open.id)
      .execute();
    await insertWarningEvent(trx, {
      warningId: open.id,
      action: 'updated',
      note: m.title,
      data: { level, dedupeKey: w.dedupeKey },
      actorId: null,
      at: now,
    });
    return { id: open.id, raised: false, updated: true };
  }
  const row = await trx
    .insertInto('warnings')
    .values({
      kind: w.kind,
      level: w.level,
      region_code: w.regionCode,
      category_id: w.categoryId,
      window_start: w.windowStart,
      window_end: w.windowEnd,
      title: w.title,
      evidence: JSON.stringify(w.evidence),
      cause_key: w.causeKey,
      dedupe_key: w.dedupeKey,
      raised_at: now,
      updated_at: now,
    })
    // any unique index: the same occurrence (dedupe_key), or an open warning of the cause another process just raised
    .onConflict((oc) => oc.doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!row) return null;
  await insertWarningEvent(trx, {
    warningId: row.id,
    action: 'raised',
    to: 'new',
    note: w.title,
    actorId: null,
    at: now,
  });
  return { id: row.id, raised: true, updated: false };
}

/** The feed, newest first by keyset (`before`), within the actor's regions. */
export async function listWarnings(
  db: Kysely<DB>,
  actor: Actor,
  f: WarningsFilter & { before?: number; limit: number },
) {
  let q = db
    .selectFrom('warnings as w')
    .innerJoin('regions as r', 'r.code', 'w.region_code')
    .leftJoin('categories as c', 'c.id', 'w.category_id')
    .leftJoin('users as u', 'u.id', 'w.assignee_user_id')
    .leftJoin('matters as m', 'm.id', 'w.matter_id')
    .select([
      'w.id',
      'w.kind',
      'w.level',
      'w.status',
      'w.title',
      'w.region_code',
      'r.name as region_name',
      'w.category_id',
      'c.name as category_name',
      'w.window_start',
      'w.window_end',
      'w.raised_at',
      'w.updated_at',
      'w.assignee_user_id',
      'u.display_name as assignee_name',
      'w.matter_id',
      'm.title as matter_title',
    ])
    .where((eb) => eb.or(actor.regionPrefixes.map((p) => eb('w.region_code', 'like', `${p}%`))))
    .orderBy('w.id', 'desc')
    .limit(f.limit);
  if (f.status === 'open') q = q.where('w.status', '<>', 'closed');
  else if (f.status) q = q.where('w.status', '=', f.status);
  if (f.kind) q = q.where('w.kind', '=', f.kind);
  if (f.level) q = q.where('w.level', '=', f.level);
  if (f.regionCode) q = q.where('w.region_code', 'like', `${regionPrefix(f.regionCode)}%`);
  if (f.categoryId) q = q.where('w.category_id', '=', f.categoryId);
  if (f.from) q = q.where('w.raised_at', '>=', localInstant(f.from));
  if (f.to) q = q.where('w.raised_at', '<', localInstant(addDays(f.to, 1)));
  if (f.before) q = q.where('w.id', '<', f.before);
  if (!actor.regionPrefixes.length) return [];
  return q.execute();
}
export type WarningListRow = Awaited<ReturnType<typeof listWarnings>>[number];

export async function warningEvents(db: Kysely<DB>, id: number) {
  return db
    .selectFrom('warning_events as e')
    .leftJoin('users as u', 'u.id', 'e.actor_user_id')
    .select(['e.id', 'e.action', 'e.from_status', 'e.to_status', 'e.note', 'e.at', 'u.display_name as actor_name'])
    .where('e.warning_id', '=', id)
    .orderBy('e.id')
    .execute();
}

// ---- rules (words and thresholds) ----------------------------------------------------------------------------

export async function loadWarningSettings(db: Kysely<DB>) {
  const s = await db.selectFrom('warning_settings').selectAll().where('id', '=', 1).executeTakeFirst();
  return {
    collectiveRequesters: s?.collective_requesters ?? 5,
    collectiveHours: s?.collective_hours ?? 24,
    spikeSeries: s?.spike_series ?? 200,
    version: s?.version ?? 1,
    updatedAt: s?.updated_at ?? null,
  };
}

export async function activeSensitiveWords(db: Kysely<DB>) {
  return db.selectFrom('warning_words').select(['word', 'level']).where('active', '=', true).orderBy('id').execute();
}

/** Whether the ticket ids are in the actor's regions (for a warning's evidence: a ticket outside is not listed). */
export async function ticketsOf(db: Kysely<DB>, ids: number[]) {
  if (!ids.length) return [];
  return db
    .selectFrom('tickets')
    .select(['id', 'number', 'region_code', 'status', 'created_at'])
    .where('id', 'in', ids)
    .orderBy('id')
    .execute();
}

/** The people of one unit (a centre), for the assignee picker: a handful of rows. */
export async function unitPeople(db: Kysely<DB>, unitId: number) {
  return db
    .selectFrom('users')
    .select(['id', 'display_name', 'roles'])
    .where('unit_id', '=', unitId)
    .where('active', '=', true)
    .where('scope', '=', 'region')
    .orderBy('id')
    .limit(500)
    .execute();
}

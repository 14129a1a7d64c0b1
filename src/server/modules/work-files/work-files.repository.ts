import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { WorkFileOwnerKind } from '../../db/schema-work-files.js';

// 第十四、十五、二十四条: the uploaded materials of applications, replies and appeals (work_files, migration 0038).

export type WorkFileRow = {
  id: number;
  unit_id: number;
  uploaded_by: number;
  owner_kind: WorkFileOwnerKind | null;
  owner_id: number | null;
  ticket_id: number | null;
  original_name: string;
  mime: string;
  size: number;
  sha256: string;
  storage_key: string;
  created_at: Date;
  claimed_at: Date | null;
};

export async function insertWorkFile(
  db: Kysely<DB>,
  row: Omit<WorkFileRow, 'id' | 'owner_kind' | 'owner_id' | 'ticket_id' | 'claimed_at'>,
): Promise<WorkFileRow> {
  return db.insertInto('work_files').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function findWorkFile(db: Kysely<DB>, id: number): Promise<WorkFileRow | undefined> {
  return db.selectFrom('work_files').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The named files, locked: two requests naming the same file cannot both claim it. */
export async function lockWorkFiles(trx: Transaction<DB>, ids: number[]): Promise<WorkFileRow[]> {
  if (ids.length === 0) return [];
  return trx.selectFrom('work_files').selectAll().where('id', 'in', ids).orderBy('id').forUpdate().execute();
}

export async function setOwner(
  trx: Transaction<DB>,
  ids: number[],
  owner: { kind: WorkFileOwnerKind; id: number; ticketId: number | null },
  at: Date,
): Promise<void> {
  if (ids.length === 0) return;
  await trx
    .updateTable('work_files')
    .set({ owner_kind: owner.kind, owner_id: owner.id, ticket_id: owner.ticketId, claimed_at: at })
    .where('id', 'in', ids)
    .where('owner_kind', 'is', null)
    .execute();
}

/** The files of some owners of one kind (index work_files_owner), for the screens that list them. */
export async function filesOfOwners(
  db: Kysely<DB>,
  kind: WorkFileOwnerKind,
  ownerIds: number[],
): Promise<Map<number, WorkFileRow[]>> {
  const out = new Map<number, WorkFileRow[]>();
  if (ownerIds.length === 0) return out;
  const rows = (await db
    .selectFrom('work_files')
    .selectAll()
    .where('owner_kind', '=', kind)
    .where('owner_id', 'in', [...new Set(ownerIds)])
    .orderBy('id')
    .execute()) as WorkFileRow[];
  for (const r of rows) out.set(r.owner_id!, [...(out.get(r.owner_id!) ?? []), r]);
  return out;
}

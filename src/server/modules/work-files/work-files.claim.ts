import type { Transaction } from 'kysely';
import type { DB, Material } from '../../db/schema.js';
import type { WorkFileOwnerKind } from '../../db/schema-work-files.js';
import type { WorkFileInfo } from '../../../shared/contracts/work-files.js';
import { AppError } from '../../errors.js';
import type { Actor } from '../auth/actor.js';
import { lockWorkFiles, setOwner } from './work-files.repository.js';

// 第十四、十五、二十四条: an application, a reply or an appeal names the files its unit uploaded; in the transaction
// that writes it, each file must exist, be its unit's, and not be used by anything else yet — then it belongs to it.

export interface WorkFileOwner {
  kind: WorkFileOwnerKind;
  id: number;
  /** the ticket whose readers may download the file; null for an appeal (its own visibility) */
  ticketId: number | null;
}

/** Claims the files; answers them as the owner records them (name, type and size from the upload). */
export async function claimWorkFiles(
  trx: Transaction<DB>,
  actor: Actor,
  fileIds: number[],
  owner: WorkFileOwner,
  now: Date,
): Promise<WorkFileInfo[]> {
  if (fileIds.length === 0) return [];
  if (new Set(fileIds).size !== fileIds.length)
    throw new AppError('bad_request', '同一文件不能重复添加', { field: 'fileIds' });
  const rows = new Map((await lockWorkFiles(trx, fileIds)).map((r) => [r.id, r]));
  for (const id of fileIds) {
    const f = rows.get(id);
    // another unit's file is answered like a missing one: its existence is not revealed
    if (!f || f.unit_id !== actor.unitId)
      throw new AppError('bad_request', `文件不存在或不是本单位上传的（文件编号 ${id}），请重新上传`, {
        field: 'fileIds',
        fileId: id,
      });
    if (f.owner_kind !== null)
      throw new AppError('bad_request', `文件「${f.original_name}」已用于其他申请、答复或申诉，不能重复使用`, {
        field: 'fileIds',
        fileId: id,
      });
  }
  await setOwner(trx, fileIds, owner, now);
  return fileIds.map((id) => {
    const f = rows.get(id)!;
    return { fileId: f.id, name: f.original_name, mime: f.mime, size: f.size };
  });
}

/**
 * Materials as the client sent them: text entries (older clients; still valid) and entries naming an uploaded
 * file. The file entries are claimed and carry the file's type and size; the client's name and description stay.
 */
export async function claimMaterials(
  trx: Transaction<DB>,
  actor: Actor,
  materials: Material[] | undefined,
  owner: WorkFileOwner,
  now: Date,
): Promise<Material[]> {
  const list = materials ?? [];
  const ids = list.flatMap((m) => (m.fileId !== undefined ? [m.fileId] : []));
  const files = new Map((await claimWorkFiles(trx, actor, ids, owner, now)).map((f) => [f.fileId, f]));
  return list.map((m) => {
    const f = m.fileId !== undefined ? files.get(m.fileId) : undefined;
    const entry: Material = { name: m.name };
    if (m.description) entry.description = m.description;
    if (m.url) entry.url = m.url;
    if (f) Object.assign(entry, { fileId: f.fileId, mime: f.mime, size: f.size });
    return entry;
  });
}

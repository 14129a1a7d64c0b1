import { join } from 'node:path';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Clock } from '../../clock.js';
import { AppError } from '../../errors.js';
import { WORK_FILE_ACCEPTED_TEXT, WORK_FILE_LIMITS, type WorkFileInfo } from '../../../shared/contracts/work-files.js';
import { hasRole, requireRole, UNIT_ROLES, type Actor } from '../auth/actor.js';
import { newStorageKey, sniffAttachment, type AttachmentStorage } from '../intake/attachment-storage.js';
import { RESULT_READERS, visibleUnits } from '../assessment/assessment.policy.js';
import { AccessLogService } from '../sharing/access-log.service.js';
import { canViewTicket } from '../tickets/tickets.policy.js';
import { findWorkFile, insertWorkFile, type WorkFileRow } from './work-files.repository.js';

// 第十四、十五、二十四条: a unit's staff upload the materials of an application (退单、延期、终止办理), the photos of a
// reply's result and the evidence of an appeal. The type is sniffed from the bytes (intake's attachment rules,
// pictures and documents only), the bytes go to the same storage as every attachment. A download is allowed to
// whoever may see what the file belongs to, and is written to the access log (第三十条第二款).

const NOT_FOUND = '文件不存在或无权查看';

export class WorkFileService {
  private readonly access: AccessLogService;
  constructor(
    private readonly deps: { db: Kysely<DB>; clock: Clock },
    private readonly storage: AttachmentStorage,
  ) {
    this.access = new AccessLogService(deps.db, deps.clock);
  }

  async upload(actor: Actor, input: { name: string; data: Buffer }): Promise<WorkFileInfo & { createdAt: Date }> {
    requireRole(actor, ...UNIT_ROLES);
    const name = safeFileName(input.name);
    const sniffed = await sniffAttachment(input.data, name, {
      kinds: ['image', 'document'],
      accepted: WORK_FILE_ACCEPTED_TEXT,
    });
    const now = this.deps.clock.now();
    const key = join('work-files', newStorageKey(now, sniffed.ext));
    await this.storage.put(key, input.data);
    try {
      const row = await insertWorkFile(this.deps.db, {
        unit_id: actor.unitId,
        uploaded_by: actor.userId,
        original_name: name || `材料.${sniffed.ext}`,
        mime: sniffed.mime,
        size: sniffed.size,
        sha256: sniffed.sha256,
        storage_key: key,
        created_at: now,
      });
      return { fileId: row.id, name: row.original_name, mime: row.mime, size: row.size, createdAt: row.created_at };
    } catch (err) {
      await this.storage.delete(key).catch(() => undefined);
      throw err;
    }
  }

  /** The bytes, for whoever may see the owner; everyone else 404 (the file's existence is not revealed). */
  async download(actor: Actor, id: number) {
    const f = await findWorkFile(this.deps.db, id);
    if (!f || !(await this.visible(actor, f))) throw new AppError('not_found', NOT_FOUND);
    const data = await this.storage.get(f.storage_key);
    await this.access.recordPerson(actor, {
      kind: 'file_download',
      ticketIds: f.ticket_id ? [f.ticket_id] : [],
      filter: { fileId: f.id, ownerKind: f.owner_kind, ownerId: f.owner_id },
      rowCount: 1,
      content: data,
    });
    return { mime: f.mime, name: f.original_name, data };
  }

  private async visible(actor: Actor, f: WorkFileRow): Promise<boolean> {
    const { db } = this.deps;
    // not used yet: only the uploading unit's staff (the form that is being filled in)
    if (f.owner_kind === null) return hasRole(actor, ...UNIT_ROLES) && actor.unitId === f.unit_id;
    // 第二十四条: an appeal's evidence — the appealing unit and the centre's assessment staff of its region
    if (f.owner_kind === 'appeal') {
      const appeal = await db
        .selectFrom('assessment_appeals')
        .select('unit_id')
        .where('id', '=', f.owner_id!)
        .executeTakeFirst();
      if (!appeal || !hasRole(actor, ...RESULT_READERS)) return false;
      return (await visibleUnits(db, actor)).has(appeal.unit_id);
    }
    // an application's or a reply's: the ticket's readers (its units, the centre of its region)
    const t = f.ticket_id
      ? await db.selectFrom('tickets').select(['id', 'region_code']).where('id', '=', f.ticket_id).executeTakeFirst()
      : undefined;
    return t !== undefined && (await canViewTicket(db, actor, t));
  }
}

/**
 * A file name safe to store and to send back: the last path segment, no control characters, trimmed to the
 * column's limit (keeping the extension). NUL is refused earlier, by the route, with a 400.
 */
export function safeFileName(raw: string): string {
  const base = raw.split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  const clean = base.replace(/[\u0000-\u001f\u007f"<>|*?:]/g, '_').trim();
  if (clean.length <= WORK_FILE_LIMITS.nameChars) return clean;
  const dot = clean.lastIndexOf('.');
  const ext = dot > 0 && clean.length - dot <= 10 ? clean.slice(dot) : '';
  return clean.slice(0, WORK_FILE_LIMITS.nameChars - ext.length) + ext;
}

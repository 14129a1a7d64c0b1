import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { fileTypeFromBuffer } from 'file-type';
import { sql } from 'kysely';
import { AppError } from '../../errors.js';
import { KNOWLEDGE_LIMITS } from '../../../shared/contracts/knowledge.js';
import { shanghaiDay } from '../../domain/knowledge-workflow.js';
import type { Actor } from '../auth/actor.js';
import { newStorageKey, type AttachmentStorage } from '../intake/attachment-storage.js';
import type { ServiceDeps } from '../tickets/ticket-workflow.js';
import { assertKnowledgeReader, canSeeArticle, seesWorkings } from './knowledge-articles.policy.js';
import * as repo from './knowledge-articles.repository.js';
import type { KnowledgeWorkflowService } from './knowledge-workflow.service.js';

// 第十八条: the policy document behind an article (PDF, Word or a picture of it), kept with the article and carried
// by its versions. The type is sniffed from the bytes, never trusted from the name; at most 10 MB.

const TYPES: Record<string, string> = {
  'application/pdf': 'PDF',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'Word',
  'application/msword': 'Word',
  'application/x-cfb': 'Word',
  'image/jpeg': '图片',
  'image/png': '图片',
  'image/gif': '图片',
  'image/webp': '图片',
  'image/bmp': '图片',
};

/** A refusal with an HTTP status AppError has no code for (413, 415); answered by the routes' own handler. */
export class KnowledgeFileError extends Error {
  constructor(
    readonly statusCode: 413 | 415,
    message: string,
  ) {
    super(message);
  }
}

export async function sniffKnowledgeFile(data: Buffer): Promise<{ mime: string; ext: string }> {
  if (data.length === 0) throw new AppError('unprocessable', '附件为空', { fields: ['dataBase64'] });
  if (data.length > KNOWLEDGE_LIMITS.attachmentBytes)
    throw new KnowledgeFileError(
      413,
      `附件过大：政策文件不能超过 ${KNOWLEDGE_LIMITS.attachmentBytes / 1024 / 1024} MB`,
    );
  const t = await fileTypeFromBuffer(data);
  if (!t || !TYPES[t.mime])
    throw new KnowledgeFileError(415, '不支持的附件类型：仅支持 PDF、Word 文档和图片（按文件内容识别）');
  return { mime: t.mime, ext: t.ext };
}

export class KnowledgeAttachmentService {
  constructor(
    readonly deps: ServiceDeps,
    readonly storage: AttachmentStorage,
    readonly workflow: KnowledgeWorkflowService,
  ) {}

  /** Stored with the article; a draft being worked on carries it at once, later versions say which they carry. */
  async upload(actor: Actor, articleId: number, name: string, data: Buffer) {
    assertKnowledgeReader(actor);
    const sniffed = await sniffKnowledgeFile(data);
    const now = this.deps.clock.now();
    const key = join('knowledge', newStorageKey(now, sniffed.ext));
    let stored = false;
    try {
      return await this.workflow.step(actor, articleId, undefined, async (ctx) => {
        // the same rule as an edit: the owner unit or the centre's reviewer, not on a withdrawn article
        this.workflow.check(actor, 'edit', ctx.article, ctx.pending);
        await this.storage.put(key, data);
        stored = true;
        const row = await ctx.trx
          .insertInto('knowledge_attachments')
          .values({
            article_id: articleId,
            mime: sniffed.mime,
            size: data.length,
            sha256: createHash('sha256').update(data).digest('hex'),
            storage_key: key,
            original_name: name,
            uploaded_by: actor.userId,
            created_at: now,
          })
          .returning(['id', 'mime', 'size', 'original_name'])
          .executeTakeFirstOrThrow();
        if (ctx.pending?.state === 'draft')
          await ctx.trx
            .updateTable('knowledge_versions')
            .set({ attachment_ids: sql<number[]>`array_append(attachment_ids, ${row.id}::integer)` })
            .where('id', '=', ctx.pending.id)
            .execute();
        await ctx.save({});
        await ctx.event('attachment_added', ctx.pending?.id ?? null, name, {
          attachmentId: row.id,
          mime: row.mime,
          size: row.size,
        });
        return {
          id: row.id,
          mime: row.mime,
          size: row.size,
          name: row.original_name,
          attachedToDraft: ctx.pending?.state === 'draft',
          // the upload is a write of the article (ctx.save): the client's next edit must carry this one
          lockVersion: ctx.article.lock_version + 1,
        };
      });
    } catch (err) {
      if (stored) await this.storage.delete(key).catch(() => undefined);
      throw err;
    }
  }

  /** Staff download: whoever may read the article (the published version's files for readers of published ones). */
  async forStaff(actor: Actor, id: number) {
    assertKnowledgeReader(actor);
    const f = await this.deps.db
      .selectFrom('knowledge_attachments')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    const a = f ? await repo.findArticle(this.deps.db, f.article_id) : undefined;
    if (!f || !a || !canSeeArticle(actor, a)) throw new AppError('not_found', '附件不存在或无权查看');
    if (!seesWorkings(actor, a)) {
      const v = a.published_version_id ? await repo.findVersion(this.deps.db, a.published_version_id) : undefined;
      if (!v?.attachment_ids.includes(id)) throw new AppError('not_found', '附件不存在或无权查看');
    }
    return { mime: f.mime, name: f.original_name, data: await this.storage.get(f.storage_key) };
  }

  /** The portal: only a file of the published version of a public article in force today; anything else 404. */
  async forPublic(id: number) {
    const today = shanghaiDay(this.deps.clock.now());
    const f = await this.deps.db
      .selectFrom('knowledge_attachments as f')
      .innerJoin('knowledge_articles as a', 'a.id', 'f.article_id')
      .innerJoin('knowledge_versions as v', 'v.id', 'a.published_version_id')
      .select(['f.mime', 'f.original_name', 'f.storage_key'])
      .where('f.id', '=', id)
      .where('a.status', '=', 'published')
      .where('a.visibility', '=', 'public')
      .where('a.effective_from', '<=', today)
      .where((eb) => eb.or([eb('a.expires_on', 'is', null), eb('a.expires_on', '>', today)]))
      .where(sql<boolean>`${id}::integer = ANY(v.attachment_ids)`)
      .executeTakeFirst();
    if (!f) throw new AppError('not_found', '附件不存在');
    return { mime: f.mime, name: f.original_name, data: await this.storage.get(f.storage_key) };
  }
}

import { sql, type Kysely } from 'kysely';
import type { FastifyBaseLogger } from 'fastify';
import type { Clock } from '../clock.js';
import type { DB } from '../db/schema.js';
import { readJson } from '../db/json.js';
import { AppError } from '../errors.js';
import { newStorageKey, sniffAttachment, type AttachmentStorage } from '../modules/intake/attachment-storage.js';
import type { WechatMediaSource } from '../modules/channels/wechat-api.js';
import { startRecurringJob } from './scheduler.js';

// 第九条 for WeChat: a picture, voice message or video sent to the official account arrives as a MediaId only
// (contact meta media: 'not_fetched'). This job downloads each one through the WeChat API and stores it as an
// attachment of the contact — and of its ticket, if the contact was already dispatched — so agents and units
// see it like any upload. It works like the SMS outbox: a contact is claimed with FOR UPDATE SKIP LOCKED and a
// lease, the download runs outside any transaction, and the outcome is written in a second short one.
// meta.media: not_fetched → fetching → fetched | unavailable (with mediaError saying why).

/** WeChat keeps temporary media for 3 days; after that a download can only fail. */
export const MEDIA_KEPT_MS = 3 * 86_400_000;
const LEASE_MS = 5 * 60_000;

export interface MediaPass {
  fetched: number;
  retried: number;
  unavailable: number;
}

const KIND_NAMES: Record<string, string> = { image: '图片', audio: '语音', video: '视频', document: '文件' };

export class WechatMediaFetcher {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: Clock,
    private readonly storage: AttachmentStorage,
    private readonly source: WechatMediaSource,
    private readonly log: Pick<FastifyBaseLogger, 'info' | 'warn'>,
    private readonly opts: { maxAttempts?: number; batchSize?: number; baseBackoffMs?: number } = {},
  ) {}

  async runOnce(): Promise<MediaPass> {
    const pass: MediaPass = { fetched: 0, retried: 0, unavailable: 0 };
    const tried = new Set<number>();
    for (let n = 0; n < (this.opts.batchSize ?? 20); n++) {
      const claimed = await this.claim(tried);
      if (!claimed) break;
      tried.add(claimed.id);
      pass[await this.fetchOne(claimed)] += 1;
    }
    return pass;
  }

  private claim(tried: Set<number>) {
    const now = this.clock.now();
    return this.db.transaction().execute(async (trx) => {
      let q = trx
        .selectFrom('contacts')
        .select(['id', 'meta', 'received_at'])
        .where('channel', '=', 'wechat')
        .where(sql<boolean>`meta->>'media' IN ('not_fetched', 'fetching')`)
        .where(sql<boolean>`(meta->>'media' = 'not_fetched' AND coalesce((meta->>'mediaNextAttemptAt')::timestamptz, received_at) <= ${now})
          OR (meta->>'media' = 'fetching' AND (meta->>'mediaLeaseUntil')::timestamptz < ${now})`);
      if (tried.size) q = q.where('id', 'not in', [...tried]);
      const row = await q.orderBy('id').limit(1).forUpdate().skipLocked().executeTakeFirst();
      if (!row) return undefined;
      const meta = readJson<Record<string, unknown>>(row.meta) ?? {};
      const attempts = Number(meta.mediaAttempts ?? 0) + 1;
      await trx
        .updateTable('contacts')
        .set({
          meta: sql`meta || ${JSON.stringify({ media: 'fetching', mediaAttempts: attempts, mediaLeaseUntil: new Date(now.getTime() + LEASE_MS).toISOString() })}::jsonb`,
        })
        .where('id', '=', row.id)
        .execute();
      return {
        id: row.id,
        mediaId: typeof meta.mediaId === 'string' ? meta.mediaId : '',
        msgType: typeof meta.msgType === 'string' ? meta.msgType : '',
        receivedAt: row.received_at,
        attempts,
      };
    });
  }

  private async fetchOne(c: {
    id: number;
    mediaId: string;
    msgType: string;
    receivedAt: Date;
    attempts: number;
  }): Promise<keyof MediaPass> {
    const now = this.clock.now();
    if (!c.mediaId) return this.giveUp(c.id, '消息没有 MediaId');
    if (now.getTime() - c.receivedAt.getTime() > MEDIA_KEPT_MS)
      return this.giveUp(c.id, '超过 3 天，微信已不再保存该素材');
    const got = await this.source.fetchMedia(c.mediaId);
    if (!got.ok) {
      if (got.permanent || c.attempts >= (this.opts.maxAttempts ?? 6)) return this.giveUp(c.id, got.reason);
      const backoff = Math.min((this.opts.baseBackoffMs ?? 60_000) * 2 ** (c.attempts - 1), 3_600_000);
      await this.patch(c.id, {
        media: 'not_fetched',
        mediaError: got.reason,
        mediaNextAttemptAt: new Date(now.getTime() + backoff).toISOString(),
        mediaLeaseUntil: null,
      });
      this.log.warn(
        { job: 'wechat-media', contactId: c.id, attempts: c.attempts, reason: got.reason },
        'wechat media not fetched, will retry',
      );
      return 'retried';
    }
    let sniffed;
    try {
      sniffed = await sniffAttachment(got.data);
    } catch (err) {
      return this.giveUp(c.id, err instanceof AppError ? err.message : '文件无法识别');
    }
    const key = newStorageKey(now, sniffed.ext);
    await this.storage.put(key, got.data);
    try {
      await this.db.transaction().execute(async (trx) => {
        // the contact's row lock orders this after a disposition that is linking its attachments to a ticket
        const contact = await trx
          .selectFrom('contacts')
          .select(['ticket_id'])
          .where('id', '=', c.id)
          .forUpdate()
          .executeTakeFirstOrThrow();
        const a = await trx
          .insertInto('attachments')
          .values({
            contact_id: c.id,
            ticket_id: contact.ticket_id,
            kind: sniffed.kind,
            mime: sniffed.mime,
            size: sniffed.size,
            sha256: sniffed.sha256,
            storage_key: key,
            original_name: `微信${KIND_NAMES[sniffed.kind]}.${sniffed.ext}`,
            created_at: now,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        await trx
          .updateTable('contacts')
          .set({
            meta: sql`meta || ${JSON.stringify({ media: 'fetched', attachmentId: a.id, mediaError: null, mediaLeaseUntil: null })}::jsonb`,
          })
          .where('id', '=', c.id)
          .execute();
      });
    } catch (err) {
      await this.storage.delete(key).catch(() => undefined);
      throw err;
    }
    this.log.info(
      { job: 'wechat-media', contactId: c.id, kind: sniffed.kind, size: sniffed.size },
      'wechat media stored',
    );
    return 'fetched';
  }

  private async giveUp(id: number, reason: string): Promise<'unavailable'> {
    await this.patch(id, { media: 'unavailable', mediaError: reason, mediaLeaseUntil: null });
    this.log.warn({ job: 'wechat-media', contactId: id, reason }, 'wechat media unavailable');
    return 'unavailable';
  }

  private patch(id: number, p: Record<string, unknown>) {
    return this.db
      .updateTable('contacts')
      .set({ meta: sql`meta || ${JSON.stringify(p)}::jsonb` })
      .where('id', '=', id)
      .execute();
  }
}

export function startWechatMedia(fetcher: WechatMediaFetcher, intervalMs: number, log: FastifyBaseLogger) {
  return startRecurringJob('wechat-media', intervalMs, log, async () => ({ ...(await fetcher.runOnce()) }));
}

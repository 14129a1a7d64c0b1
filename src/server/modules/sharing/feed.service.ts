import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { PiiCipher } from '../../security/pii-cipher.js';
import { AppError } from '../../errors.js';
import { decodeFeedCursor, encodeFeedCursor } from '../../domain/feed-cursor.js';
import { SCHEMA_VERSION } from '../../../shared/contracts/sharing.js';
import { hasRole, type Actor } from '../auth/actor.js';
import { feedRowsQuery, SharingPayloads, type FeedRow } from './payload.js';
import type { AccessLogService } from './access-log.service.js';
import { CSV_BOM, csvLine } from './csv.js';

// 第三十条: the pull side for units whose systems pull — the unit's events after a cursor (keyset on unit_feed.id,
// which the fan-out gives out in commit order) and a streamed backfill of the unit's tickets. A unit-scoped token
// with 'feed:read' (or the unit's manager signed in) reads its own unit's data, nothing else. Every page and every
// export is written to the access log with a hash of the bytes sent.

const BACKFILL_BATCH = 500;

export class FeedService {
  private readonly payloads: SharingPayloads;

  constructor(
    private readonly db: Kysely<DB>,
    cipher: PiiCipher,
    private readonly access: AccessLogService,
  ) {
    this.payloads = new SharingPayloads(db, cipher);
  }

  /** The unit whose feed the caller reads. */
  unitOf(actor: Actor): number {
    if (actor.tokenScopes) {
      if (!actor.tokenScopes.includes('feed:read'))
        throw new AppError('forbidden', '该令牌没有读取本单位数据的权限（feed:read）', { requiredScope: 'feed:read' });
      return actor.unitId;
    }
    if (hasRole(actor, 'unit_manager') && actor.scope === 'unit') return actor.unitId;
    throw new AppError('forbidden', '仅承办单位的对接令牌（feed:read）或单位负责人可读取本单位数据', {
      requiredScope: 'feed:read',
    });
  }

  /** One page as the JSON text sent (so the access log hashes exactly those bytes). */
  async page(actor: Actor, q: { after?: string; limit: number }): Promise<string> {
    const unitId = this.unitOf(actor);
    let afterId = 0;
    if (q.after) {
      const c = decodeFeedCursor(q.after, unitId);
      if (!c.ok)
        throw new AppError('bad_request', c.reason === 'other_unit' ? '游标不属于本单位' : '游标无效', {
          field: 'after',
          reason: c.reason,
        });
      afterId = c.afterId;
    }
    const rows = await feedRowsQuery(this.db)
      .where('f.unit_id', '=', unitId)
      .where('f.id', '>', afterId)
      .orderBy('f.id')
      .limit(q.limit + 1)
      .execute();
    const pageRows = rows.slice(0, q.limit) as FeedRow[];
    const items = await this.payloads.events(pageRows);
    const lastId = pageRows.length ? pageRows[pageRows.length - 1]!.feed_id : afterId;
    const body = JSON.stringify({
      schemaVersion: SCHEMA_VERSION,
      items,
      next: encodeFeedCursor(unitId, lastId),
      more: rows.length > q.limit,
    });
    await this.access.recordPerson(actor, {
      kind: 'feed',
      ticketIds: pageRows.map((r) => r.ticket_id),
      filter: { after: afterId, limit: q.limit, unitId },
      rowCount: items.length,
      content: body,
    });
    return body;
  }

  /**
   * 全量导出: every ticket the unit handles now (as its screen lists them), streamed in batches of 500 by ticket
   * id — memory stays flat at any size. Logged when the stream ends (or the client goes away) with the row count
   * and the hash of the bytes sent.
   */
  backfill(actor: Actor, format: 'ndjson' | 'csv'): Readable {
    const unitId = this.unitOf(actor);
    const db = this.db;
    const payloads = this.payloads;
    const access = this.access;
    async function* lines() {
      const hash = createHash('sha256');
      let rows = 0;
      const emit = (s: string) => {
        hash.update(s);
        return s;
      };
      try {
        if (format === 'csv') yield emit(CSV_BOM + csvLine(CSV_HEAD));
        let after = 0;
        for (;;) {
          const batch = await db
            .selectFrom('ticket_assignments')
            .select(['ticket_id', 'role'])
            .where('unit_id', '=', unitId)
            .where('status', '!=', 'ended')
            .where('ticket_id', '>', after)
            .orderBy('ticket_id')
            .limit(BACKFILL_BATCH)
            .execute();
          if (batch.length === 0) break;
          const roles = new Map<number, 'lead' | 'assist'>();
          for (const a of batch) if (a.role === 'lead' || !roles.has(a.ticket_id)) roles.set(a.ticket_id, a.role);
          const tickets = await payloads.ticketsFor([...roles.keys()].map((ticketId) => ({ unitId, ticketId })));
          let chunk = '';
          for (const [ticketId, role] of roles) {
            const t = tickets.get(`${unitId}:${ticketId}`)!;
            chunk +=
              format === 'ndjson'
                ? `${JSON.stringify({ schemaVersion: SCHEMA_VERSION, unit: { id: unitId, role }, ticket: t })}\n`
                : csvLine([
                    t.number,
                    role === 'lead' ? '主办' : '协办',
                    t.status,
                    t.requestType,
                    t.categoryId,
                    t.regionCode,
                    t.title,
                    t.content,
                    t.address,
                    t.requester?.name ?? '',
                    t.requester?.phone ?? '',
                    t.createdAt,
                    t.dispatchedAt,
                    t.acceptedAt,
                    t.repliedAt,
                    t.closedAt,
                    t.dueAt,
                    t.reply?.result ?? '',
                    t.satisfaction,
                  ]);
            rows += 1;
          }
          after = batch[batch.length - 1]!.ticket_id;
          yield emit(chunk);
        }
      } finally {
        await access.recordPerson(actor, {
          kind: 'backfill',
          filter: { unitId, format },
          rowCount: rows,
          contentSha256: hash.digest('hex'),
        });
      }
    }
    return Readable.from(lines());
  }
}

const CSV_HEAD = [
  '工单编号',
  '本单位角色',
  '状态',
  '诉求类型',
  '事项分类',
  '行政区划',
  '标题',
  '内容',
  '地址（脱敏）',
  '诉求人（脱敏）',
  '电话（脱敏）',
  '受理时间',
  '派单时间',
  '签收时间',
  '答复时间',
  '办结时间',
  '当前时限',
  '办理结果',
  '满意度',
];

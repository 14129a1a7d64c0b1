import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Clock } from '../../clock.js';
import type { PiiCipher } from '../../security/pii-cipher.js';
import { AppError } from '../../errors.js';
import { similarity, tokenize } from '../../domain/text-tokens.js';
import { parseSurveyAnswer } from '../../domain/sms-survey.js';
import { requireRole, type Actor } from '../auth/actor.js';
import { AbuseQuery, type FlagStatus } from './abuse.query.js';
import { assertRequesterVisible, canViewContact } from './contacts.policy.js';

// 第十一、三十四条: repeated contacts without new content, long occupation of the line and harassment of staff
// are recorded and reviewed; a confirmed case gets a recorded warning (劝阻、教育、告知法律后果).
// Nothing here blocks or delays anything: an emergency from a flagged caller is transferred like any other.
export const ABUSE_RULES = {
  /** this many earlier contacts in the window with (nearly) the same content raise a flag */
  repeatCount: 3,
  repeatWindowHours: 24,
  repeatSimilarity: 0.8,
  /** a call longer than this occupies the line */
  longCallSeconds: 30 * 60,
};

export const WARNING_TEXT =
  '根据《菏泽市12345政务服务便民热线条例》第十一条、第三十四条，诉求人不得恶意反复拨打或者无正当理由长时间占用热线资源，' +
  '不得骚扰、侮辱、威胁工作人员。请您合理使用热线；情节严重构成违反治安管理行为的，将由公安机关依法处理。';

export class AbuseService {
  private readonly query: AbuseQuery;
  constructor(private readonly deps: { db: Kysely<DB>; clock: Clock; cipher: PiiCipher }) {
    this.query = new AbuseQuery(deps.db, deps.cipher);
  }

  async checkRepeatedContacts(
    trx: Transaction<DB>,
    requesterId: number,
    contactId: number,
    content: string,
    now: Date,
  ): Promise<void> {
    // A ringing call has no text yet: calling often is not repeating the same content. A bare survey answer
    // ("1", "满意") is short by design: a requester answering the surveys of several tickets is not repeating.
    if (!content.trim() || parseSurveyAnswer(content)) return;
    const since = new Date(now.getTime() - ABUSE_RULES.repeatWindowHours * 3_600_000);
    const recent = await trx
      .selectFrom('contacts')
      .select(['id', 'content'])
      .where('requester_id', '=', requesterId)
      .where('received_at', '>=', since)
      .where('id', '!=', contactId)
      .orderBy('received_at', 'desc')
      .limit(50)
      .execute();
    const words = tokenize(content);
    const same = recent.filter(
      (c) =>
        c.content.trim() === content.trim() || similarity(words, tokenize(c.content)) >= ABUSE_RULES.repeatSimilarity,
    );
    if (same.length < ABUSE_RULES.repeatCount) return;
    await this.raiseOnce(
      trx,
      requesterId,
      'repeated_contacts',
      `${ABUSE_RULES.repeatWindowHours} 小时内第 ${same.length + 1} 次反映相同内容，无新情况、新理由`,
      contactId,
      null,
      now,
    );
  }

  async checkLongOccupation(
    trx: Transaction<DB>,
    requesterId: number,
    contactId: number,
    durationSeconds: number,
    now: Date,
  ): Promise<void> {
    if (durationSeconds <= ABUSE_RULES.longCallSeconds) return;
    await this.raiseOnce(
      trx,
      requesterId,
      'long_occupation',
      `单次通话 ${Math.round(durationSeconds / 60)} 分钟`,
      contactId,
      null,
      now,
    );
  }

  /** An agent records harassment, insults or threats (第十一条). */
  async recordByAgent(
    actor: Actor,
    requesterId: number,
    input: { kind: 'harassment' | 'repeated_contacts' | 'long_occupation'; detail: string; contactId?: number },
  ) {
    requireRole(actor, 'agent', 'callback_agent', 'supervisor');
    const { db, clock } = this.deps;
    return db.transaction().execute(async (trx) => {
      // 第三十条: only a requester the actor's centre knows (one of their contacts or tickets is visible to it)
      await assertRequesterVisible(trx, actor, requesterId);
      if (input.contactId !== undefined) {
        const c = await trx
          .selectFrom('contacts')
          .select(['id', 'centre_unit_id', 'ticket_id', 'requester_id'])
          .where('id', '=', input.contactId)
          .executeTakeFirst();
        if (!c || c.requester_id !== requesterId || !(await canViewContact(trx, actor, c)))
          throw new AppError('bad_request', '来电/来信记录不存在或不属于该诉求人', { field: 'contactId' });
      }
      return trx
        .insertInto('requester_flags')
        .values({
          requester_id: requesterId,
          kind: input.kind,
          detail: input.detail,
          source: 'agent',
          raised_by: actor.userId,
          contact_id: input.contactId ?? null,
          created_at: clock.now(),
        })
        .returningAll()
        .executeTakeFirstOrThrow();
    });
  }

  /** The review list: open flags oldest first, reviewed ones (warned / dismissed) newest first. */
  async flags(actor: Actor, q: { status: FlagStatus; after?: number; before?: number; limit: number }) {
    requireRole(actor, 'admin', 'supervisor');
    return this.query.list(q);
  }

  /** One flag with the requester's contacts around it, the evidence an admin weighs before warning. */
  async flag(actor: Actor, id: number) {
    requireRole(actor, 'admin', 'supervisor');
    const flag = await this.query.one(id);
    if (!flag) throw new AppError('not_found', '标记不存在');
    return flag;
  }

  /** An admin confirms (a warning is recorded and sent) or dismisses a flag. */
  async review(actor: Actor, flagId: number, input: { decision: 'warn' | 'dismiss'; note?: string }) {
    requireRole(actor, 'admin');
    const { db, clock } = this.deps;
    return db.transaction().execute(async (trx) => {
      const flag = await trx
        .selectFrom('requester_flags')
        .selectAll()
        .where('id', '=', flagId)
        .forUpdate()
        .executeTakeFirst();
      if (!flag) throw new AppError('not_found', '标记不存在');
      if (flag.status !== 'open') throw new AppError('conflict', '该标记已处理', { status: flag.status });
      const now = clock.now();
      const updated = await trx
        .updateTable('requester_flags')
        .set({
          status: input.decision === 'warn' ? 'warned' : 'dismissed',
          reviewed_by: actor.userId,
          review_note: input.note ?? null,
          warning_text: input.decision === 'warn' ? WARNING_TEXT : null,
          reviewed_at: now,
        })
        .where('id', '=', flagId)
        .returningAll()
        .executeTakeFirstOrThrow();
      if (input.decision === 'warn') {
        const r = await trx
          .selectFrom('requesters')
          .select('phone_enc')
          .where('id', '=', flag.requester_id)
          .executeTakeFirstOrThrow();
        if (r.phone_enc) {
          // the phone stays encrypted in the outbox too; the sender decrypts it at delivery time
          await trx
            .insertInto('outbound_messages')
            .values({
              channel: 'sms',
              to_enc: r.phone_enc,
              purpose: 'abuse_warning',
              body: `【菏泽12345】${WARNING_TEXT}`,
              created_at: now,
            })
            .execute();
        }
      }
      return updated;
    });
  }

  private async raiseOnce(
    trx: Transaction<DB>,
    requesterId: number,
    kind: 'repeated_contacts' | 'long_occupation',
    detail: string,
    contactId: number,
    by: number | null,
    now: Date,
  ) {
    const open = await trx
      .selectFrom('requester_flags')
      .select('id')
      .where('requester_id', '=', requesterId)
      .where('kind', '=', kind)
      .where('status', '=', 'open')
      .executeTakeFirst();
    if (open) return;
    await trx
      .insertInto('requester_flags')
      .values({
        requester_id: requesterId,
        kind,
        detail,
        source: 'automatic',
        raised_by: by,
        contact_id: contactId,
        created_at: now,
      })
      .execute();
  }
}

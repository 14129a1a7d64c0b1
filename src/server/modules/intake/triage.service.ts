import type { DispositionInput } from '../../../shared/contracts/dispositions.js';
import { AppError } from '../../errors.js';
import { protectText } from '../../security/free-text.js';
import { readJson } from '../../db/json.js';
import type { PiiCipher } from '../../security/pii-cipher.js';
import { enqueueReply, replyRecipient } from '../channels/channel-replies.js';
import { standardPhrase } from '../../../shared/domain/standard-phrases.js';
import { STATUS_LABELS } from '../../../shared/domain/transitions.js';
import { requireRole, type Actor } from '../auth/actor.js';
import { assertRegionInScope, canViewTicket } from '../tickets/tickets.policy.js';
import { canViewContact } from './contacts.policy.js';
import { requesterName } from './requesters.repository.js';
import * as ticketRepo from '../tickets/tickets.repository.js';
import type { TicketService } from '../tickets/tickets.service.js';
import type { AbuseService } from './abuse.service.js';
import type { IntakeDeps } from './contacts.service.js';
import { answerWithArticle, countAgentDisposition } from '../knowledge/knowledge-answers.js';
import { recordTake } from '../classification/take-rates.js';

// 第十二、十三条: the agent gives every contact exactly one disposition, with its required fields, and the
// requester gets the standard phrase for it. One transaction: the contact, any ticket and its event.
export class TriageService {
  constructor(
    private readonly deps: IntakeDeps,
    private readonly tickets: TicketService,
    private readonly abuse: AbuseService,
  ) {}

  async dispose(actor: Actor, contactId: number, input: DispositionInput) {
    requireRole(actor, 'agent');
    const { db, clock } = this.deps;
    return db.transaction().execute(async (trx) => {
      const contact = await trx
        .selectFrom('contacts')
        .selectAll()
        .where('id', '=', contactId)
        .forUpdate()
        .executeTakeFirst();
      // 第三十条: another centre's contact is answered as if it did not exist
      if (!contact || !(await canViewContact(trx, actor, contact)))
        throw new AppError('not_found', '来电/来信记录不存在');
      if (contact.status === 'disposed')
        throw new AppError('conflict', '该记录已处理', {
          disposition: contact.disposition,
          ticketId: contact.ticket_id,
        });
      const now = clock.now();
      let ticketId: number | null = null;
      let trackingCode: string | undefined;
      let knowledge: { articleId: number; versionId: number } | null = null;
      const extra: { ticketNumber?: string; ticketProgress?: string; channel?: string } = {};
      const { callRecord, ...data }: Record<string, unknown> & { callRecord?: string } = { ...input };
      // 第十二条 (全面准确记录): the agent's record of a call becomes the text of a contact that has none. A message
      // keeps the words its sender wrote: nobody may rewrite them afterwards.
      const record = callRecord?.trim() || null;
      if (record && contact.content.trim())
        throw new AppError('bad_request', '该记录已有来信内容，通话记录仅用于补记电话来电的内容', {
          field: 'callRecord',
        });
      const content = record ?? contact.content;
      // 第六条: the caller's name as the agent or the caller wrote it is masked in the text; it is read only when
      // there is new text to protect (a call record, or a ticket's title and content)
      const names =
        record || input.disposition === 'dispatched'
          ? { names: [await requesterName(trx, this.deps.cipher, contact.requester_id)] }
          : undefined;
      const recorded = record ? protectText(this.deps.cipher, record, names) : null;

      if (input.disposition === 'dispatched') {
        await assertRegionInScope(trx, actor, input.regionCode);
        const t = await this.tickets.createInTrx(trx, actor, {
          requestType: input.requestType,
          categoryId: input.categoryId,
          urgency: input.urgency,
          regionCode: input.regionCode,
          // issue 14: the address the citizen wrote (web form) or the agent took down during the call is carried
          // into the ticket server-side, so nobody has to reveal and retype it; a typed address wins
          address: input.address?.trim() || contactAddress(this.deps.cipher, contact.meta),
          title: input.title,
          content: input.content ?? content,
          channel: contact.channel,
          requesterId: contact.requester_id,
          requesterName: names?.names[0],
          contactId,
          reportedUnitId: input.reportedUnitId ?? null,
          unitText: input.unitText ?? null,
        });
        ticketId = t.id;
        trackingCode = t.trackingCode;
        extra.ticketNumber = t.number;
        await trx.updateTable('attachments').set({ ticket_id: t.id }).where('contact_id', '=', contactId).execute();
        // 第四条 智能分类: which suggestion the agent took, counted with the ticket
        await recordTake(trx, {
          role: 'agent',
          at: now,
          categoryId: input.categoryId,
          suggested: input.suggestedCategoryIds,
        });
      } else if (input.disposition === 'repeat') {
        // 第十三条(三): the same matter, no new facts — link it and tell the requester its progress or result.
        const t = await ticketRepo.findTicket(trx, input.ticketId);
        if (!t || !(await canViewTicket(trx, actor, t)))
          throw new AppError('bad_request', '关联的工单不存在', { field: 'ticketId' });
        const target = t.merged_into_id ? (await ticketRepo.findTicket(trx, t.merged_into_id))! : t;
        ticketId = target.id;
        extra.ticketNumber = target.number;
        extra.ticketProgress = target.reply_result
          ? `${STATUS_LABELS[target.status]}，办理结果：${target.reply_result}`
          : STATUS_LABELS[target.status];
        if (contact.requester_id) {
          await trx
            .insertInto('ticket_requesters')
            .values({ ticket_id: target.id, requester_id: contact.requester_id, contact_id: contactId, added_at: now })
            .onConflict((oc) => oc.columns(['ticket_id', 'requester_id']).doNothing())
            .execute();
        }
        await ticketRepo.insertEvent(trx, {
          ticket_id: target.id,
          kind: 'repeat_contact',
          at: now,
          actor_user_id: actor.userId,
          actor_unit_id: actor.unitId,
          data: { contactId, channel: contact.channel },
          request_id: actor.requestId ?? null,
        });
      } else if (input.disposition === 'answered' && input.knowledgeArticleId !== undefined) {
        // 第十二、十八条: answered with a knowledge article — which article and which version answered it
        knowledge = await answerWithArticle(trx, input.knowledgeArticleId, now);
        data.knowledgeVersionId = knowledge.versionId;
      } else if (input.disposition === 'transferred') {
        data.suggestedBySystem = contact.emergency_suggestion;
        data.followedSuggestion = contact.emergency_suggestion === input.hotline;
        data.transferredAt = (input.transferredAt ?? now).toISOString();
      }

      const replyText = standardPhrase(input, { ...extra, channel: contact.channel });
      await trx
        .updateTable('contacts')
        .set({
          content: recorded?.text ?? contact.content,
          content_enc: recorded ? recorded.enc : contact.content_enc,
          status: 'disposed',
          disposition: input.disposition,
          disposition_data: JSON.stringify(data),
          reply_text: replyText,
          disposed_at: now,
          disposed_by: actor.userId,
          ticket_id: ticketId,
          agent_id: contact.agent_id ?? actor.userId,
          centre_unit_id: contact.centre_unit_id ?? actor.unitId,
          knowledge_article_id: knowledge?.articleId ?? null,
          knowledge_version_id: knowledge?.versionId ?? null,
        })
        .where('id', '=', contactId)
        .execute();
      // 第十二条 直接答复率: every agent's disposition counted once, here where it is written
      await countAgentDisposition(trx, {
        at: now,
        agentId: actor.userId,
        disposition: input.disposition,
        withArticle: knowledge !== null,
      });

      // A call's words are known only now, so this is where a phone caller repeating the same matter is noticed
      // (第十一条). Never on an emergency transfer: nothing may add to its path (第十三条(一)).
      if (record && contact.requester_id && input.disposition !== 'transferred') {
        await this.abuse.checkRepeatedContacts(trx, contact.requester_id, contactId, recorded!.text, now);
      }

      // Text channels get the standard phrase as a message; callers hear it from the agent. A portal message with a
      // mobile number is answered by SMS too (its 留言编号 shows the answer on the track page as well, issue 14).
      if (
        (contact.channel === 'sms' || contact.channel === 'web') &&
        contact.requester_id &&
        input.disposition !== 'dispatched'
      ) {
        const r = await trx
          .selectFrom('requesters')
          .select('phone_enc')
          .where('id', '=', contact.requester_id)
          .executeTakeFirst();
        if (r?.phone_enc)
          await trx
            .insertInto('outbound_messages')
            .values({
              channel: 'sms',
              to_enc: r.phone_enc,
              purpose: 'disposition',
              body: `【菏泽12345】${replyText}`,
              contact_id: contactId,
              created_at: now,
            })
            .execute();
      }
      // A WeChat or Weibo user is answered there: the phrase, or for 派单 the ticket number and tracking code
      // (第九条), as an SMS requester gets them by SMS.
      const back = replyRecipient(contact);
      if (back && input.disposition === 'dispatched') {
        await enqueueReply(
          trx,
          back,
          'receipt',
          `您的诉求已受理，工单号${extra.ticketNumber}，查询码${trackingCode}。可凭工单号和查询码查询办理进度和结果。`,
          now,
          { contactId, ticketId },
        );
      } else if (back) {
        await enqueueReply(trx, back, 'disposition', replyText, now, { contactId, ticketId });
      }
      return {
        contactId,
        channel: contact.channel,
        disposition: input.disposition,
        replyText,
        ticketId,
        ticketNumber: extra.ticketNumber ?? null,
        trackingCode: trackingCode ?? null,
      };
    });
  }
}

/** The clear address kept encrypted in a contact's meta (personal-meta.ts), or null when there is none. */
function contactAddress(cipher: PiiCipher, meta: unknown): string | null {
  const enc = readJson<{ addressEnc?: unknown } | null>(meta)?.addressEnc;
  if (typeof enc !== 'string') return null;
  try {
    return cipher.decrypt(enc);
  } catch {
    return null; // written by no version of this server: treated as absent rather than failing the disposition
  }
}

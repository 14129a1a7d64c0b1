import type { Satisfaction } from '../../db/schema.js';
import { parseSurveyAnswer } from '../../domain/sms-survey.js';
import * as repo from '../tickets/tickets.repository.js';
import type { ServiceDeps } from '../tickets/ticket-workflow.js';
import { recordEvaluation } from './evaluations.js';
import { enqueueReply, replyRecipient } from '../channels/channel-replies.js';

export interface SurveyOutcome {
  ticketNumber: string;
  satisfaction: Satisfaction;
}

export const SURVEY_THANKS = '感谢您对12345热线工作的评价！';

// 第九、十七条 短信回访 (and the same survey on WeChat and Weibo, answered by a message to the account). An inbound
// SMS, WeChat or Weibo text that is only a survey answer ("1", "满意", …) from a requester with an open
// survey becomes that ticket's evaluation; the contact is closed as answered, so it never waits in an agent's
// inbox, and the requester gets a short acknowledgement. Any other text — or an answer with no open survey —
// stays an ordinary contact for the agents.
export class SmsSurveyService {
  constructor(private readonly deps: ServiceDeps) {}

  async answer(contact: { id: number; requesterId: number | null; text: string }): Promise<SurveyOutcome | null> {
    const satisfaction = parseSurveyAnswer(contact.text);
    if (!satisfaction || !contact.requesterId) return null;
    const { db, clock } = this.deps;
    return db.transaction().execute(async (trx) => {
      const now = clock.now();
      const candidate = await trx
        .selectFrom('sms_surveys')
        .select(['id', 'ticket_id'])
        .where('requester_id', '=', contact.requesterId!)
        .where('status', '=', 'open')
        .where('expires_at', '>', now)
        .orderBy('sent_at', 'desc')
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst();
      if (!candidate) return null;
      // The ticket's lock first, as every step and the portal evaluation take it: then the survey is read again,
      // since an evaluation on the portal a moment ago ends it.
      const ticket = (await repo.lockTicket(trx, candidate.ticket_id))!;
      const survey = await trx
        .selectFrom('sms_surveys')
        .select('id')
        .where('id', '=', candidate.id)
        .where('status', '=', 'open')
        .forUpdate()
        .executeTakeFirst();
      if (!survey) return null;
      const c = await trx
        .selectFrom('contacts')
        .select(['status', 'channel', 'meta'])
        .where('id', '=', contact.id)
        .forUpdate()
        .executeTakeFirstOrThrow();
      if (c.status !== 'new') return null; // an agent got to it first
      const via = c.channel === 'wechat' || c.channel === 'weibo' ? c.channel : 'sms';
      await recordEvaluation(trx, ticket.id, { satisfaction, via, contactId: contact.id }, now);
      await trx
        .updateTable('sms_surveys')
        .set({ status: 'answered', answered_at: now, satisfaction, contact_id: contact.id })
        .where('id', '=', survey.id)
        .execute();
      await trx
        .updateTable('contacts')
        .set({
          status: 'disposed',
          disposition: 'answered',
          disposed_at: now,
          disposed_by: null,
          ticket_id: ticket.id,
          reply_text: SURVEY_THANKS,
          disposition_data: JSON.stringify({ smsSurvey: { surveyId: survey.id, satisfaction } }),
        })
        .where('id', '=', contact.id)
        .execute();
      // On WeChat the thanks is the passive reply to this very message; on Weibo a private message the gateway
      // sends; by SMS a message of its own.
      if (via === 'weibo') {
        const back = replyRecipient(c);
        if (back)
          await enqueueReply(trx, back, 'survey_ack', SURVEY_THANKS, now, {
            ticketId: ticket.id,
            contactId: contact.id,
          });
      }
      const r =
        via !== 'sms'
          ? undefined
          : await trx
              .selectFrom('requesters')
              .select('phone_enc')
              .where('id', '=', contact.requesterId!)
              .executeTakeFirst();
      if (r?.phone_enc) {
        await trx
          .insertInto('outbound_messages')
          .values({
            channel: 'sms',
            to_enc: r.phone_enc,
            purpose: 'survey_ack',
            ticket_id: ticket.id,
            contact_id: contact.id,
            created_at: now,
            body: `【菏泽12345】${SURVEY_THANKS}`,
          })
          .execute();
      }
      return { ticketNumber: ticket.number, satisfaction };
    });
  }
}

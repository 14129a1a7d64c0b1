import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import { readJson } from '../../db/json.js';

// 第九、十三条 for WeChat and Weibo users: what the centre tells a requester (the disposition's standard phrase,
// the ticket number and tracking code, the reply notice) goes back on the channel they used, through the outbox:
// WeChat as a customer-service message sent by the WeChat worker, Weibo as a private message the Weibo gateway
// fetches and sends. The recipient (openid, Weibo uid) is kept encrypted in the contact's meta, copied as it is
// into outbound_messages.to_enc and decrypted only where it is sent.

export type ReplyChannel = 'wechat' | 'weibo';
export interface ReplyRecipient {
  channel: ReplyChannel;
  toEnc: string;
}

const RECIPIENT_KEY: Record<ReplyChannel, string> = { wechat: 'openIdEnc', weibo: 'senderUidEnc' };

/** Where a contact's sender can be answered on its own channel; null for phone, SMS (by phone) and the rest. */
export function replyRecipient(contact: { channel: string; meta: unknown }): ReplyRecipient | null {
  if (contact.channel !== 'wechat' && contact.channel !== 'weibo') return null;
  const meta = readJson<Record<string, unknown> | null>(contact.meta);
  const toEnc = meta?.[RECIPIENT_KEY[contact.channel]];
  return typeof toEnc === 'string' ? { channel: contact.channel, toEnc } : null;
}

export async function enqueueReply(
  trx: Transaction<DB>,
  to: ReplyRecipient,
  purpose: string,
  body: string,
  now: Date,
  refs: { ticketId?: number | null; contactId?: number | null } = {},
) {
  await trx
    .insertInto('outbound_messages')
    .values({
      channel: to.channel,
      to_enc: to.toEnc,
      purpose,
      body,
      ticket_id: refs.ticketId ?? null,
      contact_id: refs.contactId ?? null,
      created_at: now,
    })
    .execute();
}

/** The WeChat and Weibo requesters of a ticket: the contact it was made from and every contact merged or linked. */
export async function replyRecipientsOfTicket(trx: Transaction<DB>, ticket: { id: number; contact_id: number | null }) {
  const rows = await trx
    .selectFrom('contacts')
    .select(['id', 'channel', 'meta', 'requester_id'])
    .where('channel', 'in', ['wechat', 'weibo'])
    .where((eb) =>
      eb.or([
        eb('id', '=', ticket.contact_id ?? -1),
        eb(
          'id',
          'in',
          eb
            .selectFrom('ticket_requesters')
            .select('contact_id')
            .where('ticket_id', '=', ticket.id)
            .where('contact_id', 'is not', null),
        ),
      ]),
    )
    .orderBy('id')
    .execute();
  const seen = new Set<number>();
  const out: Array<ReplyRecipient & { contactId: number; requesterId: number | null }> = [];
  for (const r of rows) {
    const to = replyRecipient(r);
    if (!to || (r.requester_id !== null && seen.has(r.requester_id))) continue;
    if (r.requester_id !== null) seen.add(r.requester_id);
    out.push({ ...to, contactId: r.id, requesterId: r.requester_id });
  }
  return out;
}

/** What the WeChat sender writes into last_error when the 48-hour window for customer-service messages has closed. */
export const WECHAT_WINDOW_CLOSED = 'errcode 45015';
/** How long an answer that could not be delivered waits for the user to write again. */
export const WECHAT_RETRY_ON_RETURN_DAYS = 30;

/**
 * WeChat lets the account write to a user only within 48 hours of the user's last message, and a unit's reply
 * usually comes later. When the user writes again, the window is open again: answers that failed for that reason
 * (in the last 30 days) are sent once more.
 */
export async function reopenWechatWindow(db: Kysely<DB>, requesterId: number, now: Date): Promise<number> {
  const r = await db
    .updateTable('outbound_messages')
    .set({ status: 'pending', next_attempt_at: null })
    .where('channel', '=', 'wechat')
    .where('status', '=', 'failed')
    .where('last_error', 'like', `%${WECHAT_WINDOW_CLOSED}%`)
    .where('created_at', '>', new Date(now.getTime() - WECHAT_RETRY_ON_RETURN_DAYS * 86_400_000))
    .where(
      'contact_id',
      'in',
      db.selectFrom('contacts').select('id').where('requester_id', '=', requesterId).where('channel', '=', 'wechat'),
    )
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

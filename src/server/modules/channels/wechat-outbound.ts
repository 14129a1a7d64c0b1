import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import { readJson } from '../../db/json.js';

// 第九、十三条 for WeChat users: what the centre tells a requester (the disposition's standard phrase, the ticket
// number and tracking code, the reply notice) goes back on the channel they used, as a WeChat customer-service
// message through the outbox. The recipient is the openid the message came from, kept encrypted in the
// contact's meta; it is copied as it is into outbound_messages.to_enc and decrypted only by the sender.

/** The encrypted openid a contact came from; null for every other channel. */
export function wechatRecipient(contact: { channel: string; meta: unknown }): string | null {
  if (contact.channel !== 'wechat') return null;
  const meta = readJson<Record<string, unknown> | null>(contact.meta);
  return typeof meta?.openIdEnc === 'string' ? meta.openIdEnc : null;
}

export async function enqueueWechat(
  trx: Transaction<DB>, toEnc: string, purpose: string, body: string, now: Date, refs: { ticketId?: number | null; contactId?: number | null } = {},
) {
  await trx.insertInto('outbound_messages').values({
    channel: 'wechat', to_enc: toEnc, purpose, body, ticket_id: refs.ticketId ?? null, contact_id: refs.contactId ?? null, created_at: now,
  }).execute();
}

/** The WeChat requesters of a ticket: the contact it was made from and every contact merged or linked into it. */
export async function wechatRecipientsOfTicket(trx: Transaction<DB>, ticket: { id: number; contact_id: number | null }) {
  const rows = await trx.selectFrom('contacts').select(['id', 'channel', 'meta', 'requester_id']).where('channel', '=', 'wechat')
    .where((eb) => eb.or([
      eb('id', '=', ticket.contact_id ?? -1),
      eb('id', 'in', eb.selectFrom('ticket_requesters').select('contact_id').where('ticket_id', '=', ticket.id).where('contact_id', 'is not', null)),
    ])).orderBy('id').execute();
  const seen = new Set<number>();
  const out: Array<{ contactId: number; requesterId: number | null; toEnc: string }> = [];
  for (const r of rows) {
    const toEnc = wechatRecipient(r);
    if (!toEnc || (r.requester_id !== null && seen.has(r.requester_id))) continue;
    if (r.requester_id !== null) seen.add(r.requester_id);
    out.push({ contactId: r.id, requesterId: r.requester_id, toEnc });
  }
  return out;
}

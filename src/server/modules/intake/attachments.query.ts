import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';

// 第九条: what a ticket's or a contact's pictures, voice, video and documents are, for the screens that list
// them. The bytes themselves come from GET /api/attachments/:id, which checks access again.

const COLUMNS = ['id', 'kind', 'mime', 'size', 'original_name', 'created_at', 'contact_id'] as const;
const MAX = 100;

type Row = {
  id: number;
  kind: string;
  mime: string;
  size: number;
  original_name: string | null;
  created_at: Date;
  contact_id: number | null;
};

export function presentAttachment(a: Row) {
  return {
    id: a.id,
    kind: a.kind,
    mime: a.mime,
    size: a.size,
    name: a.original_name,
    createdAt: a.created_at,
    contactId: a.contact_id,
  };
}

export async function contactAttachments(db: Kysely<DB>, contactId: number) {
  const rows = await db
    .selectFrom('attachments')
    .select(COLUMNS)
    .where('contact_id', '=', contactId)
    .orderBy('id')
    .limit(MAX)
    .execute();
  return rows.map(presentAttachment);
}

/**
 * A ticket's own attachments and those of every contact linked to it (a repeat caller's new picture counts).
 * Two index look-ups (attachments_ticket; contacts_ticket then attachments_contact), merged in id order.
 */
export async function ticketAttachments(db: Kysely<DB>, ticketId: number) {
  const [own, viaContacts] = await Promise.all([
    db.selectFrom('attachments').select(COLUMNS).where('ticket_id', '=', ticketId).orderBy('id').limit(MAX).execute(),
    db
      .selectFrom('attachments')
      .select(COLUMNS.map((c) => `attachments.${c}` as const))
      .where('contact_id', 'in', db.selectFrom('contacts').select('id').where('ticket_id', '=', ticketId))
      .orderBy('attachments.id')
      .limit(MAX)
      .execute(),
  ]);
  const byId = new Map<number, Row>();
  for (const a of [...own, ...viaContacts]) byId.set(a.id, a);
  return [...byId.values()]
    .sort((a, b) => a.id - b.id)
    .slice(0, MAX)
    .map(presentAttachment);
}

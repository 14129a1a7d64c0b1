import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import type { Clock } from '../clock.js';
import { maskPiiInText } from '../domain/pii-text.js';
import { searchTokens } from '../domain/text-tokens.js';
import { insertAdminAudit } from '../modules/audit/admin-audit.repository.js';
import { searchVectorOf } from '../modules/tickets/tickets.repository.js';
import type { PiiCipher } from '../security/pii-cipher.js';

// 第六条, once after an upgrade: the texts stored before names and household addresses were masked (domain/pii-text.ts)
// still hold them in clear — in the stored title and content, and so in the search words. This walks tickets and
// contacts by id, masks what the rules find now (with the requester's own name, decrypted here and nowhere shown),
// keeps the original encrypted as intake does (an original kept already, with numbers masked before, stays: it is the
// caller's words), and rewrites a ticket's search words from the masked text. A row changed meanwhile is left for the
// next run; one transaction per batch with its admin_audit row. Running it again finds nothing more to do.

export interface RemaskOptions {
  batch?: number;
  /** count what would change, write nothing */
  dryRun?: boolean;
  log?: (line: string) => void;
}

export interface RemaskCounts {
  read: number;
  masked: number;
}

export async function remaskStoredText(
  db: Kysely<DB>,
  cipher: PiiCipher,
  clock: Clock,
  opts: RemaskOptions = {},
): Promise<{ tickets: RemaskCounts; contacts: RemaskCounts }> {
  const batch = opts.batch ?? 500;
  const log = opts.log ?? (() => undefined);
  const nameOf = (enc: string | null) => (enc ? cipher.decrypt(enc) : null);

  const tickets: RemaskCounts = { read: 0, masked: 0 };
  for (let after = 0; ;) {
    const rows = await db
      .selectFrom('tickets as t')
      .leftJoin('requesters as r', 'r.id', 't.requester_id')
      .select(['t.id', 't.title', 't.content', 't.original_enc', 'r.name_enc'])
      .where('t.id', '>', after)
      .orderBy('t.id')
      .limit(batch)
      .execute();
    if (!rows.length) break;
    after = rows.at(-1)!.id;
    tickets.read += rows.length;
    const changes = rows.flatMap((r) => {
      const known = { names: [nameOf(r.name_enc)] };
      const title = maskPiiInText(r.title, known);
      const content = maskPiiInText(r.content, known);
      if (!title.found.length && !content.found.length) return [];
      return [{ row: r, title: title.text, content: content.text }];
    });
    tickets.masked += changes.length;
    if (changes.length && !opts.dryRun)
      await db.transaction().execute(async (trx) => {
        for (const c of changes)
          await trx
            .updateTable('tickets')
            .set({
              title: c.title,
              content: c.content,
              original_enc:
                c.row.original_enc ?? cipher.encrypt(JSON.stringify({ title: c.row.title, content: c.row.content })),
              search_vector: searchVectorOf(searchTokens(c.title, c.content)),
            })
            .where('id', '=', c.row.id)
            .where('title', '=', c.row.title)
            .where('content', '=', c.row.content)
            .execute();
        await audit(trx, clock, 'tickets', rows[0]!.id, after, changes.length);
      });
    // a line every ten thousand rows or so: at ten million tickets, a thousand lines
    if (tickets.read % 10_000 < rows.length)
      log(`tickets: ${tickets.read} read, ${tickets.masked} ${opts.dryRun ? 'would be masked' : 'masked'}`);
  }

  const contacts: RemaskCounts = { read: 0, masked: 0 };
  for (let after = 0; ;) {
    const rows = await db
      .selectFrom('contacts as c')
      .leftJoin('requesters as r', 'r.id', 'c.requester_id')
      .select(['c.id', 'c.content', 'c.content_enc', 'r.name_enc'])
      .where('c.id', '>', after)
      .orderBy('c.id')
      .limit(batch)
      .execute();
    if (!rows.length) break;
    after = rows.at(-1)!.id;
    contacts.read += rows.length;
    const changes = rows.flatMap((r) => {
      const m = maskPiiInText(r.content, { names: [nameOf(r.name_enc)] });
      return m.found.length ? [{ row: r, content: m.text }] : [];
    });
    contacts.masked += changes.length;
    if (changes.length && !opts.dryRun)
      await db.transaction().execute(async (trx) => {
        for (const c of changes)
          await trx
            .updateTable('contacts')
            .set({ content: c.content, content_enc: c.row.content_enc ?? cipher.encrypt(c.row.content) })
            .where('id', '=', c.row.id)
            .where('content', '=', c.row.content)
            .execute();
        await audit(trx, clock, 'contacts', rows[0]!.id, after, changes.length);
      });
    // a line every ten thousand rows or so: at ten million tickets, a thousand lines
    if (contacts.read % 10_000 < rows.length)
      log(`contacts: ${contacts.read} read, ${contacts.masked} ${opts.dryRun ? 'would be masked' : 'masked'}`);
  }
  return { tickets, contacts };
}

/** What a batch did, without any text: which rows it read and how many it masked. */
function audit(trx: Kysely<DB>, clock: Clock, table: string, fromId: number, toId: number, masked: number) {
  return insertAdminAudit(trx, {
    userId: null,
    entity: 'pii_text',
    entityId: table,
    action: 'remask',
    before: null,
    after: { fromId, toId, masked },
    at: clock.now(),
  });
}

import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import type { Clock } from '../clock.js';
import { searchTokens } from '../domain/text-tokens.js';
import { insertAdminAudit } from '../modules/audit/admin-audit.repository.js';
import { searchVectorOf } from '../modules/tickets/tickets.repository.js';
import { protectText, protectTicketText } from '../security/free-text.js';
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
  const walk = { db, clock, batch: opts.batch ?? 500, dryRun: !!opts.dryRun, log: opts.log ?? (() => undefined) };
  const known = (nameEnc: string | null) => ({ names: [nameEnc ? cipher.decrypt(nameEnc) : null] });

  // masked as intake masks a ticket (protectTicketText); an original kept before stays, it is the caller's words
  const tickets = await remaskTable(
    walk,
    'tickets',
    (after, limit) =>
      db
        .selectFrom('tickets as t')
        .leftJoin('requesters as r', 'r.id', 't.requester_id')
        .select(['t.id', 't.title', 't.content', 't.original_enc', 'r.name_enc'])
        .where('t.id', '>', after)
        .orderBy('t.id')
        .limit(limit)
        .execute(),
    (r) => {
      const p = protectTicketText(cipher, r.title, r.content, known(r.name_enc));
      return p.enc ? { ...p, enc: r.original_enc ?? p.enc } : null;
    },
    (trx, r, p) =>
      trx
        .updateTable('tickets')
        .set({
          title: p.title,
          content: p.content,
          original_enc: p.enc,
          search_vector: searchVectorOf(searchTokens(p.title, p.content)),
        })
        .where('id', '=', r.id)
        .where('title', '=', r.title)
        .where('content', '=', r.content)
        .execute(),
  );
  // masked as intake masks a contact (protectText)
  const contacts = await remaskTable(
    walk,
    'contacts',
    (after, limit) =>
      db
        .selectFrom('contacts as c')
        .leftJoin('requesters as r', 'r.id', 'c.requester_id')
        .select(['c.id', 'c.content', 'c.content_enc', 'r.name_enc'])
        .where('c.id', '>', after)
        .orderBy('c.id')
        .limit(limit)
        .execute(),
    (r) => {
      const p = protectText(cipher, r.content, known(r.name_enc));
      return p.enc ? { ...p, enc: r.content_enc ?? p.enc } : null;
    },
    (trx, r, p) =>
      trx
        .updateTable('contacts')
        .set({ content: p.text, content_enc: p.enc })
        .where('id', '=', r.id)
        .where('content', '=', r.content)
        .execute(),
  );
  return { tickets, contacts };
}

/**
 * One table walked by id: a page read, what the rules mask now worked out (null: nothing), and the rows that changed
 * written in one transaction with the batch's audit row.
 */
async function remaskTable<R extends { id: number }, P>(
  walk: { db: Kysely<DB>; clock: Clock; batch: number; dryRun: boolean; log: (line: string) => void },
  table: 'tickets' | 'contacts',
  page: (after: number, limit: number) => Promise<R[]>,
  remask: (row: R) => P | null,
  write: (trx: Transaction<DB>, row: R, masked: P) => Promise<unknown>,
): Promise<RemaskCounts> {
  const counts: RemaskCounts = { read: 0, masked: 0 };
  for (let after = 0; ;) {
    const rows = await page(after, walk.batch);
    if (!rows.length) break;
    after = rows.at(-1)!.id;
    counts.read += rows.length;
    const changes = rows.flatMap((row) => {
      const masked = remask(row);
      return masked ? [{ row, masked }] : [];
    });
    counts.masked += changes.length;
    if (changes.length && !walk.dryRun)
      await walk.db.transaction().execute(async (trx) => {
        for (const c of changes) await write(trx, c.row, c.masked);
        await audit(trx, walk.clock, table, rows[0]!.id, after, changes.length);
      });
    // a line every ten thousand rows or so: at ten million tickets, a thousand lines
    if (counts.read % 10_000 < rows.length)
      walk.log(`${table}: ${counts.read} read, ${counts.masked} ${walk.dryRun ? 'would be masked' : 'masked'}`);
  }
  return counts;
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

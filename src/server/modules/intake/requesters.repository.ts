import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { PiiCipher } from '../../security/pii-cipher.js';

export interface RequesterIdentity {
  name?: string | null;
  phone?: string | null;
  wechatOpenId?: string | null;
  weiboUid?: string | null;
}

/**
 * Finds the requester by any identity they gave (phone, WeChat openid, Weibo uid — each by keyed hash) or
 * creates one; returns null for an anonymous contact (第十条: real names are encouraged, not required).
 * A newly learned identity or name is added to the existing record.
 *
 * 第六条 key rotation: a row is found by its hash under any configured key version (current first), so a person
 * is recognised before, during and after a rotation rewrites their hashes; new hashes use the current key.
 */
export async function resolveRequester(
  db: Kysely<DB>,
  cipher: PiiCipher,
  who: RequesterIdentity | null | undefined,
  now: Date,
): Promise<number | null> {
  if (!who) return null;
  const phoneHashes = cipher.phoneHashes(who.phone);
  const wechatHashes = who.wechatOpenId ? cipher.keyedHashes('wechat', who.wechatOpenId) : [];
  const weiboHashes = who.weiboUid ? cipher.keyedHashes('weibo', who.weiboUid) : [];
  // the hashes a new row or a newly learned identity gets: the current key's, first of each list
  const phoneHash = phoneHashes[0] ?? null;
  const wechatHash = wechatHashes[0] ?? null;
  const weiboHash = weiboHashes[0] ?? null;
  if (!phoneHash && !wechatHash && !weiboHash && !who.name) return null;
  const byHash = (column: 'phone_hash' | 'wechat_hash' | 'weibo_hash', hashes: string[]) =>
    hashes.length
      ? db
          .selectFrom('requesters')
          .selectAll()
          .where(column, 'in', hashes)
          .orderBy(sql`${sql.ref(column)} = ${hashes[0]}`, 'desc')
          .executeTakeFirst()
      : undefined;
  const find = async () =>
    (await byHash('phone_hash', phoneHashes)) ||
    (await byHash('wechat_hash', wechatHashes)) ||
    (await byHash('weibo_hash', weiboHashes)) ||
    undefined;
  // One round trip in the common case: the look-up by each identity (phone first, then WeChat, then Weibo) and,
  // when nobody is found, the insert, in one statement. Unique indexes on each identity hash: a concurrent first
  // contact from the same person inserts nothing here and both contacts end up on the one requester (found below).
  const { rows } = await sql<{
    id: number;
    phone_hash: string | null;
    wechat_hash: string | null;
    weibo_hash: string | null;
    name_enc: string | null;
    inserted: boolean;
  }>`
    WITH found AS (
      SELECT * FROM (
        SELECT id, phone_hash, wechat_hash, weibo_hash, name_enc, 1 AS rank, phone_hash = ${phoneHash}::text AS cur FROM requesters WHERE phone_hash = ANY(${sql.val(phoneHashes)}::text[])
        UNION ALL SELECT id, phone_hash, wechat_hash, weibo_hash, name_enc, 2, wechat_hash = ${wechatHash}::text FROM requesters WHERE wechat_hash = ANY(${sql.val(wechatHashes)}::text[])
        UNION ALL SELECT id, phone_hash, wechat_hash, weibo_hash, name_enc, 3, weibo_hash = ${weiboHash}::text FROM requesters WHERE weibo_hash = ANY(${sql.val(weiboHashes)}::text[])
      ) f ORDER BY rank, cur DESC LIMIT 1
    ), ins AS (
      INSERT INTO requesters (name_enc, phone_enc, phone_hash, wechat_hash, weibo_hash, key_version, created_at)
      SELECT ${cipher.encrypt(who.name ?? null)}::text, ${cipher.encrypt(who.phone ?? null)}::text, ${phoneHash}::text, ${wechatHash}::text, ${weiboHash}::text, ${cipher.currentVersion}::integer, ${now}::timestamptz
      WHERE NOT EXISTS (SELECT 1 FROM found)
      ON CONFLICT DO NOTHING
      RETURNING id
    )
    SELECT id, phone_hash, wechat_hash, weibo_hash, name_enc, false AS inserted FROM found
    UNION ALL SELECT id, NULL, NULL, NULL, NULL, true FROM ins`.execute(db);
  const found = rows[0];
  if (!found) {
    const winner = await find();
    if (!winner) throw new Error('requester vanished after a conflicting insert');
    return winner.id;
  }
  if (found.inserted) return found.id;
  // A newly learned identity or name is added to the record found.
  const patch: Record<string, string> = {};
  if (phoneHash && !found.phone_hash)
    Object.assign(patch, { phone_hash: phoneHash, phone_enc: cipher.encrypt(who.phone!) });
  if (wechatHash && !found.wechat_hash) patch.wechat_hash = wechatHash;
  if (weiboHash && !found.weibo_hash) patch.weibo_hash = weiboHash;
  if (who.name && !found.name_enc) patch.name_enc = cipher.encrypt(who.name);
  // Another requester may already own the new identity; then keep the records apart rather than fail.
  if (Object.keys(patch).length) {
    await db
      .updateTable('requesters')
      .set(patch)
      .where('id', '=', found.id)
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('requesters as o')
              .select('o.id')
              .where('o.id', '!=', found.id)
              .where((w) =>
                w.or([
                  ...(patch.phone_hash ? [w('o.phone_hash', 'in', phoneHashes)] : []),
                  ...(patch.wechat_hash ? [w('o.wechat_hash', 'in', wechatHashes)] : []),
                  ...(patch.weibo_hash ? [w('o.weibo_hash', 'in', weiboHashes)] : []),
                  w.lit(false),
                ]),
              ),
          ),
        ),
      )
      .execute();
  }
  return found.id;
}

/**
 * 第六条: a requester's name in clear, for masking it in a text being stored — never returned to anyone, so not a
 * disclosure (those go through the audited reveal).
 */
export async function requesterName(
  db: Kysely<DB>,
  cipher: PiiCipher,
  requesterId: number | null,
): Promise<string | null> {
  if (requesterId === null) return null;
  const r = await db.selectFrom('requesters').select('name_enc').where('id', '=', requesterId).executeTakeFirst();
  return cipher.decrypt(r?.name_enc ?? null);
}

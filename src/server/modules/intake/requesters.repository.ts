import type { Kysely } from 'kysely';
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
 */
export async function resolveRequester(db: Kysely<DB>, cipher: PiiCipher, who: RequesterIdentity | null | undefined, now: Date): Promise<number | null> {
  if (!who) return null;
  const phoneHash = cipher.phoneHash(who.phone);
  const wechatHash = who.wechatOpenId ? cipher.keyedHash('wechat', who.wechatOpenId) : null;
  const weiboHash = who.weiboUid ? cipher.keyedHash('weibo', who.weiboUid) : null;
  if (!phoneHash && !wechatHash && !weiboHash && !who.name) return null;
  const found =
    (phoneHash && (await db.selectFrom('requesters').selectAll().where('phone_hash', '=', phoneHash).orderBy('id').limit(1).executeTakeFirst())) ||
    (wechatHash && (await db.selectFrom('requesters').selectAll().where('wechat_hash', '=', wechatHash).executeTakeFirst())) ||
    (weiboHash && (await db.selectFrom('requesters').selectAll().where('weibo_hash', '=', weiboHash).executeTakeFirst())) ||
    undefined;
  if (found) {
    const patch: Record<string, string> = {};
    if (phoneHash && !found.phone_hash) Object.assign(patch, { phone_hash: phoneHash, phone_enc: cipher.encrypt(who.phone!) });
    if (wechatHash && !found.wechat_hash) patch.wechat_hash = wechatHash;
    if (weiboHash && !found.weibo_hash) patch.weibo_hash = weiboHash;
    if (who.name && !found.name_enc) patch.name_enc = cipher.encrypt(who.name);
    if (Object.keys(patch).length) await db.updateTable('requesters').set(patch).where('id', '=', found.id).execute();
    return found.id;
  }
  const row = await db
    .insertInto('requesters')
    .values({
      name_enc: cipher.encrypt(who.name ?? null), phone_enc: cipher.encrypt(who.phone ?? null), phone_hash: phoneHash,
      wechat_hash: wechatHash, weibo_hash: weiboHash, created_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

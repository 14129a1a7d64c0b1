import { sql, type Kysely } from 'kysely';

// 第九条: WeChat pictures, voice and video waiting to be downloaded (meta.media 'not_fetched' or a lapsed
// 'fetching'). The fetcher looks for them every few seconds; this partial index holds only those rows, so the
// look-up stays a few pages however many contacts the table has.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE INDEX contacts_wechat_media ON contacts(id) WHERE channel = 'wechat' AND meta->>'media' IN ('not_fetched', 'fetching')`.execute(
    db,
  );
}

export async function down(): Promise<void> {
  throw new Error('0007-wechat-media is not reversible');
}

import { sql, type Kysely } from 'kysely';

// 第十八条 knowledge base, the authoring side (units write, the centre reviews and publishes).
//
// - working_title / working_state: the title and state of the version being worked on (or the published one when
//   none is), kept on the article so the units' lists, the review queue counts and the keyword filter read one
//   table with indexes, never the version history. The keyword filter on titles uses the trigram index (a GIN
//   trigram index answers ILIKE '%…%' without a sequential scan).
// - withdraw_requested_*: the owner unit asks the centre to withdraw an article (下架申请); the centre decides.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
ALTER TABLE knowledge_articles ADD COLUMN working_title text NOT NULL DEFAULT '';
ALTER TABLE knowledge_articles ADD COLUMN working_state text NOT NULL DEFAULT 'draft'
  CHECK (working_state IN ('draft','unit_review','centre_review','published','returned','withdrawn'));
ALTER TABLE knowledge_articles ADD COLUMN withdraw_requested_at timestamptz;
ALTER TABLE knowledge_articles ADD COLUMN withdraw_requested_by integer REFERENCES users(id);
ALTER TABLE knowledge_articles ADD COLUMN withdraw_reason text;
CREATE INDEX knowledge_articles_working_title_trgm ON knowledge_articles USING gin (working_title gin_trgm_ops);
CREATE INDEX knowledge_articles_owner_state ON knowledge_articles(owner_unit_id, working_state, updated_at DESC, id DESC);
CREATE INDEX knowledge_articles_withdraw_requests ON knowledge_articles(withdraw_requested_at, id)
  WHERE withdraw_requested_at IS NOT NULL;
CREATE INDEX knowledge_articles_review_queue ON knowledge_articles(working_state, updated_at, id)
  WHERE working_state IN ('unit_review','centre_review');
CREATE INDEX knowledge_versions_article ON knowledge_versions(article_id, version_no DESC);
CREATE INDEX knowledge_notices_article ON knowledge_notices(article_id);
`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('0019-knowledge-authoring is not reversible');
}

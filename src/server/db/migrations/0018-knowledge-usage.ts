import { sql, type Kysely } from 'kysely';

// 第十二条 (直接答复率) and 第十八条 (the knowledge base answers requesters): how the knowledge base is used, kept
// as rollups written in the same transaction as the event, so a figure over any period reads a few rows per day
// and never counts contacts or searches (ten million contacts).
//
// Search at 100 000 articles (p95 ≤ 50 ms): ranking every article that shares a word with a question means reading
// thousands of long tsvectors. A search ranks titles first, on a small title-only vector with its own GIN index, and
// leaves out words most titles contain (knowledge_term_stats, refreshed by a job): see knowledge-search.repository.ts.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
ALTER TABLE knowledge_articles ADD COLUMN title_vector tsvector GENERATED ALWAYS AS (
  setweight(to_tsvector('simple', coalesce(title_tokens, '')), 'A')
) STORED;
CREATE INDEX knowledge_articles_title_search ON knowledge_articles USING gin (title_vector) WHERE status = 'published';

-- words in more than a set share of published titles (菏泽市, 办理…): a search leaves them out (knowledge-search.ts)
CREATE TABLE knowledge_term_stats (
  lexeme text PRIMARY KEY,
  ndoc integer NOT NULL,
  refreshed_at timestamptz NOT NULL
);

-- per local day × agent: contacts the agent disposed, of them answered online, of those with an article
CREATE TABLE knowledge_agent_daily (
  day date NOT NULL,
  agent_id integer NOT NULL REFERENCES users(id),
  disposed integer NOT NULL DEFAULT 0,
  answered integer NOT NULL DEFAULT 0,
  answered_with_article integer NOT NULL DEFAULT 0,
  PRIMARY KEY (day, agent_id)
);

-- per local day × article: answers given with it, flags, portal reads, "did this answer your question?",
-- and how often it was a search's best match
CREATE TABLE knowledge_article_daily (
  day date NOT NULL,
  article_id integer NOT NULL REFERENCES knowledge_articles(id),
  uses integer NOT NULL DEFAULT 0,
  flags integer NOT NULL DEFAULT 0,
  portal_views integer NOT NULL DEFAULT 0,
  helpful_yes integer NOT NULL DEFAULT 0,
  helpful_no integer NOT NULL DEFAULT 0,
  top_hits integer NOT NULL DEFAULT 0,
  PRIMARY KEY (day, article_id)
);
CREATE INDEX knowledge_article_daily_article ON knowledge_article_daily(article_id, day);

-- per local day × source (agent: the search box; auto: suggestions from a contact's words; portal: citizens)
CREATE TABLE knowledge_search_daily (
  day date NOT NULL,
  source text NOT NULL CHECK (source IN ('agent','auto','portal')),
  searches integer NOT NULL DEFAULT 0,
  zero_results integer NOT NULL DEFAULT 0,
  PRIMARY KEY (day, source)
);

-- 未解答的搜索: what people looked for and did not find, per day and normalised query (personal numbers masked
-- before storing), for the centre to write the missing articles. Suggestions from a contact's own words are not
-- kept here: those are a citizen's words, not a search.
CREATE TABLE knowledge_search_misses (
  day date NOT NULL,
  query_norm text NOT NULL CHECK (length(query_norm) BETWEEN 1 AND 100),
  sample text NOT NULL,
  source text NOT NULL CHECK (source IN ('agent','portal')),
  count integer NOT NULL DEFAULT 0,
  first_at timestamptz NOT NULL,
  last_at timestamptz NOT NULL,
  PRIMARY KEY (day, query_norm, source)
);
`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('0018-knowledge-usage is not reversible');
}

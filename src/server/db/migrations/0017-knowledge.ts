import { sql, type Kysely } from 'kysely';

// 第十八条 知识库 and 第十二条 (what can be answered online is answered online).
//
// An article (knowledge_articles) is the thing citizens and agents find; its content lives in versions
// (knowledge_versions), every change a new version that is never updated after it leaves draft and never deleted.
// The article row carries a copy of its published version's searchable fields, so a search reads one table with
// one GIN index (100 000 articles, p95 ≤ 50 ms) and never joins the version history. An update under review is
// a separate version (pending_version_id) while the published one stays offered.
//
// Search: texts are segmented with jieba in the application (as tickets are) and stored space-separated; the
// tsvector is generated from them, title and aliases weighted A, answers B. pg_trgm (0001) serves the fuzzy
// match of short queries against titles.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
CREATE TABLE knowledge_settings (
  id smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1),
  expiry_notice_days integer NOT NULL CHECK (expiry_notice_days BETWEEN 1 AND 365),
  default_review_cycle_days integer NOT NULL CHECK (default_review_cycle_days BETWEEN 7 AND 1095),
  stale_grace_days integer NOT NULL CHECK (stale_grace_days BETWEEN 0 AND 365),
  updated_at timestamptz,
  updated_by integer REFERENCES users(id)
);
INSERT INTO knowledge_settings (id, expiry_notice_days, default_review_cycle_days, stale_grace_days) VALUES (1, 30, 180, 30);

CREATE TABLE knowledge_articles (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  owner_unit_id integer NOT NULL REFERENCES units(id),
  -- 第十八条第二款: the unit's own id when its system pushes the article; idempotency key per unit.
  external_id text,
  -- draft: never published; published: offered while in force; withdrawn: no longer offered, kept forever.
  status text NOT NULL CHECK (status IN ('draft','published','withdrawn')),
  published_version_id integer,
  pending_version_id integer,
  latest_version_no integer NOT NULL DEFAULT 0,
  -- optimistic concurrency: every write compares and increments it (an edit based on an old one is refused).
  lock_version integer NOT NULL DEFAULT 0,
  review_cycle_days integer NOT NULL CHECK (review_cycle_days BETWEEN 7 AND 1095),
  -- copy of the published version (NULL while never published)
  title text,
  aliases text[] NOT NULL DEFAULT '{}',
  answer text,
  short_answer text,
  public_answer text,
  visibility text NOT NULL DEFAULT 'internal' CHECK (visibility IN ('internal','public')),
  category_ids integer[] NOT NULL DEFAULT '{}',
  -- empty: the whole city
  region_codes text[] NOT NULL DEFAULT '{}',
  effective_from date,
  expires_on date,
  published_at timestamptz,
  -- last time a reviewer confirmed the content (publication counts); stale when older than review_cycle_days.
  reviewed_at timestamptz,
  -- last policy change the owner recorded (for the freshness figure: time from a policy change to its update)
  policy_changed_on date,
  title_tokens text,
  body_tokens text,
  search_vector tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('simple', coalesce(title_tokens, '')), 'A') ||
    setweight(to_tsvector('simple', coalesce(body_tokens, '')), 'B')
  ) STORED,
  use_count bigint NOT NULL DEFAULT 0,
  open_flag_count integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL,
  created_by integer REFERENCES users(id),
  updated_at timestamptz NOT NULL,
  UNIQUE (owner_unit_id, external_id)
);
CREATE INDEX knowledge_articles_search ON knowledge_articles USING gin (search_vector) WHERE status = 'published';
CREATE INDEX knowledge_articles_title_trgm ON knowledge_articles USING gin (title gin_trgm_ops) WHERE status = 'published';
CREATE INDEX knowledge_articles_categories ON knowledge_articles USING gin (category_ids) WHERE status = 'published';
CREATE INDEX knowledge_articles_owner ON knowledge_articles(owner_unit_id, updated_at DESC, id DESC);
CREATE INDEX knowledge_articles_expiry ON knowledge_articles(expires_on) WHERE status = 'published' AND expires_on IS NOT NULL;
CREATE INDEX knowledge_articles_reviewed ON knowledge_articles(reviewed_at) WHERE status = 'published';
CREATE INDEX knowledge_articles_updated ON knowledge_articles(updated_at DESC, id DESC);

CREATE TABLE knowledge_versions (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  article_id integer NOT NULL REFERENCES knowledge_articles(id),
  version_no integer NOT NULL,
  -- draft → unit_review (the unit manager approves) → centre_review (the centre's reviewer) → published;
  -- returned (sent back with a reason, edited into a new version), superseded (an older published one),
  -- discarded (a draft abandoned by its author; kept).
  state text NOT NULL CHECK (state IN ('draft','unit_review','centre_review','published','returned','superseded','discarded')),
  title text NOT NULL,
  aliases text[] NOT NULL DEFAULT '{}',
  answer text NOT NULL,
  short_answer text NOT NULL,
  public_answer text,
  visibility text NOT NULL CHECK (visibility IN ('internal','public')),
  -- [{ document, number, clause }]: 文件名称、文号、条款
  policy_basis jsonb NOT NULL DEFAULT '[]'::jsonb,
  category_ids integer[] NOT NULL DEFAULT '{}',
  region_codes text[] NOT NULL DEFAULT '{}',
  effective_from date NOT NULL,
  expires_on date,
  policy_changed_on date,
  CHECK (expires_on IS NULL OR expires_on > effective_from),
  change_reason text NOT NULL,
  author_id integer REFERENCES users(id),
  -- 'person' or 'push' (the unit's system, 第十八条第二款) or 'ticket_reply' (proposed from a reply)
  source text NOT NULL DEFAULT 'person' CHECK (source IN ('person','push','ticket_reply','seed')),
  source_ticket_id bigint REFERENCES tickets(id),
  created_at timestamptz NOT NULL,
  submitted_at timestamptz,
  unit_approved_by integer REFERENCES users(id),
  unit_approved_at timestamptz,
  reviewed_by integer REFERENCES users(id),
  reviewed_at timestamptz,
  review_note text,
  UNIQUE (article_id, version_no)
);
CREATE INDEX knowledge_versions_review ON knowledge_versions(state, submitted_at, id) WHERE state IN ('unit_review','centre_review');
ALTER TABLE knowledge_articles ADD FOREIGN KEY (published_version_id) REFERENCES knowledge_versions(id);
ALTER TABLE knowledge_articles ADD FOREIGN KEY (pending_version_id) REFERENCES knowledge_versions(id);

-- The policy document and other files, kept per version (a new version carries its predecessor's list).
CREATE TABLE knowledge_attachments (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  article_id integer NOT NULL REFERENCES knowledge_articles(id),
  mime text NOT NULL,
  size integer NOT NULL,
  sha256 text NOT NULL,
  storage_key text NOT NULL,
  original_name text NOT NULL,
  uploaded_by integer REFERENCES users(id),
  created_at timestamptz NOT NULL
);
CREATE INDEX knowledge_attachments_article ON knowledge_attachments(article_id);
ALTER TABLE knowledge_versions ADD COLUMN attachment_ids integer[] NOT NULL DEFAULT '{}';

-- Every step of an article's life, in order (the article's history; the audit of the knowledge base).
CREATE TABLE knowledge_events (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  article_id integer NOT NULL REFERENCES knowledge_articles(id),
  version_id integer REFERENCES knowledge_versions(id),
  action text NOT NULL,
  actor_id integer REFERENCES users(id),
  note text,
  data jsonb NOT NULL DEFAULT '{}'::jsonb,
  at timestamptz NOT NULL
);
CREATE INDEX knowledge_events_article ON knowledge_events(article_id, id);

-- Notices to the owner unit: expiring soon, stale, flagged by an agent, returned by the centre. One per cause.
CREATE TABLE knowledge_notices (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  unit_id integer NOT NULL REFERENCES units(id),
  article_id integer NOT NULL REFERENCES knowledge_articles(id),
  kind text NOT NULL CHECK (kind IN ('expiring','expired','stale','flagged','returned','published')),
  cause_key text NOT NULL,
  message text NOT NULL,
  created_at timestamptz NOT NULL,
  read_at timestamptz,
  read_by integer REFERENCES users(id),
  UNIQUE (article_id, kind, cause_key)
);
CREATE INDEX knowledge_notices_unit ON knowledge_notices(unit_id, created_at DESC, id DESC);

-- An agent flags an article as wrong or outdated; it goes to the owner (open_flag_count on the article).
CREATE TABLE knowledge_flags (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  article_id integer NOT NULL REFERENCES knowledge_articles(id),
  version_id integer REFERENCES knowledge_versions(id),
  reason text NOT NULL CHECK (reason IN ('wrong','outdated','unclear','other')),
  note text,
  contact_id bigint REFERENCES contacts(id),
  raised_by integer NOT NULL REFERENCES users(id),
  raised_at timestamptz NOT NULL,
  resolved_by integer REFERENCES users(id),
  resolved_at timestamptz,
  resolution text
);
CREATE INDEX knowledge_flags_open ON knowledge_flags(article_id) WHERE resolved_at IS NULL;

-- Synonyms the centre edits (社保/社会保险): a search for any term of a group also looks for the others.
CREATE TABLE knowledge_synonyms (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  terms text[] NOT NULL CHECK (cardinality(terms) BETWEEN 2 AND 20),
  active boolean NOT NULL DEFAULT true,
  updated_by integer REFERENCES users(id),
  updated_at timestamptz NOT NULL
);

-- 第十二条: the contact answered online records which article and which version answered it.
ALTER TABLE contacts ADD COLUMN knowledge_article_id integer REFERENCES knowledge_articles(id);
ALTER TABLE contacts ADD COLUMN knowledge_version_id integer REFERENCES knowledge_versions(id);
`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('0017-knowledge is not reversible');
}

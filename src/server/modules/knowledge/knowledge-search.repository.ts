import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { PolicyBasis } from '../../db/schema-knowledge.js';
import { readJson } from '../../db/json.js';

/** Rows ranked by text in SQL; the domain's freshness/use/flag adjustment then orders these few (rankCandidates). */
export const CANDIDATES = 50;
/** Articles matching only in their answers: at most this many are read and ranked (the fallback of a search). */
export const BODY_CANDIDATES = 200;
const WEIGHTS = sql`'{0.1,0.2,0.4,1.0}'`;

export interface CandidateRow {
  id: number;
  textRank: number;
  titleSimilarity: number;
  reviewedAt: Date | null;
  reviewCycleDays: number;
  useCount: number;
  openFlagCount: number;
}

export interface CandidateQuery {
  tsquery: string | null;
  trigram: string | null;
  today: string;
  /** the category and every category below it (categoryTree) */
  categoryIds?: number[];
  /** the region and every region above it (regionAncestors) */
  regionCodes?: string[];
  publicOnly: boolean;
  /** how many the caller will show: the answers are searched only when the titles gave fewer */
  want: number;
}

/** Published, in force on `today`, public when asked, in the category (or below it) and applicable in the region. */
function offered(db: Kysely<DB>, q: CandidateQuery) {
  let query = db
    .selectFrom('knowledge_articles as a')
    .where('a.status', '=', 'published')
    .where('a.effective_from', '<=', q.today)
    .where((eb) => eb.or([eb('a.expires_on', 'is', null), eb('a.expires_on', '>', q.today)]));
  if (q.publicOnly) query = query.where('a.visibility', '=', 'public');
  // arrays of values, not subqueries: the planner then knows how many articles the category holds (a subquery's
  // array made it guess). The two-column GIN indexes of 0021 answer category and words in one index scan.
  if (q.categoryIds !== undefined)
    query = query.where(sql<boolean>`a.category_ids && ${sql.val(q.categoryIds)}::int[]`);
  // the whole city (no region), the region itself or a region above it
  if (q.regionCodes !== undefined)
    query = query.where(sql<boolean>`(a.region_codes = '{}' OR a.region_codes && ${sql.val(q.regionCodes)}::text[])`);
  return query;
}

/** A category and all below it (categories are a tree). */
export async function categoryTree(db: Kysely<DB>, id: number): Promise<number[]> {
  const r = await sql<{ id: number }>`WITH RECURSIVE c(id) AS (SELECT ${id}::int UNION
    SELECT k.id FROM categories k JOIN c ON k.parent_id = c.id) SELECT id FROM c LIMIT 10000`.execute(db);
  return r.rows.map((x) => x.id);
}

/** A region and all above it (an article for 曹县 applies in its towns; one for the city everywhere). */
export async function regionAncestors(db: Kysely<DB>, code: string): Promise<string[]> {
  const r = await sql<{ code: string }>`WITH RECURSIVE r(code, depth) AS (SELECT ${code}::text, 0 UNION
    SELECT g.parent_code, r.depth + 1 FROM regions g JOIN r ON g.code = r.code WHERE g.parent_code IS NOT NULL AND r.depth < 10)
    SELECT code FROM r`.execute(db);
  return r.rows.map((x) => x.code);
}

const RANK_INPUTS = ['a.id', 'a.reviewed_at', 'a.review_cycle_days', 'a.use_count', 'a.open_flag_count'] as const;

/** The most titles read and ranked for one search: the domain's budget keeps a query below it; this is the cap. */
export const TITLE_SCAN = 1500;

const toRow = (r: {
  id: number;
  reviewed_at: Date | null;
  review_cycle_days: number;
  use_count: number;
  open_flag_count: number;
  text_rank: number;
  title_similarity: number;
}): CandidateRow => ({
  id: r.id,
  textRank: Number(r.text_rank),
  titleSimilarity: Number(r.title_similarity),
  reviewedAt: r.reviewed_at,
  reviewCycleDays: r.review_cycle_days,
  useCount: Number(r.use_count),
  openFlagCount: r.open_flag_count,
});

/**
 * 第十八条: the candidates of a search, in up to three index look-ups, each only when the previous gave fewer than
 * wanted:
 * 1. titles and aliases (title_vector of 0018, GIN), at most TITLE_SCAN read and ranked on the small title vector;
 * 2. for a query of one to three characters or without words of its own (12345): titles by trigram similarity
 *    (pg_trgm GIN, `<%`);
 * 3. articles whose answers match (search_vector, GIN), at most BODY_CANDIDATES read and ranked on their full vector.
 * Only the text rank is computed here; the best CANDIDATES leave the database.
 */
export async function searchCandidates(db: Kysely<DB>, q: CandidateQuery): Promise<CandidateRow[]> {
  const ts = q.tsquery ? sql`to_tsquery('simple', ${q.tsquery})` : null;
  const found: CandidateRow[] = [];
  const notFound = <T extends { where: (e: ReturnType<typeof sql<boolean>>) => T }>(query: T) =>
    found.length ? query.where(sql<boolean>`a.id <> ALL(${sql.val(found.map((r) => r.id))}::int[])`) : query;
  if (ts) {
    const matching = offered(db, q)
      .select([...RANK_INPUTS, 'a.title_vector' as never])
      .where(sql<boolean>`a.title_vector @@ ${ts}`)
      .limit(TITLE_SCAN);
    const rows = await db
      .selectFrom(matching.as('t'))
      .select([
        't.id',
        't.reviewed_at',
        't.review_cycle_days',
        't.use_count',
        't.open_flag_count',
        sql<number>`ts_rank_cd(${WEIGHTS}, t.title_vector, ${ts})`.as('text_rank'),
        sql<number>`0::real`.as('title_similarity'),
      ])
      .orderBy('text_rank', 'desc')
      .orderBy('t.id', 'desc')
      .limit(CANDIDATES)
      .execute();
    found.push(...rows.map(toRow));
  }
  if (q.trigram && found.length < q.want) {
    const similarity = sql<number>`word_similarity(${q.trigram}, a.title)`;
    const rows = await notFound(offered(db, q))
      .select([...RANK_INPUTS, sql<number>`0::real`.as('text_rank'), similarity.as('title_similarity')])
      .where(sql<boolean>`${q.trigram} <% a.title`)
      .orderBy(similarity, 'desc')
      .orderBy('a.id', 'desc')
      .limit(CANDIDATES - found.length)
      .execute();
    found.push(...rows.map(toRow));
  }
  if (ts && found.length < q.want) {
    const matching = notFound(offered(db, q))
      .select([...RANK_INPUTS, 'a.search_vector'])
      .where(sql<boolean>`a.search_vector @@ ${ts}`)
      .where(sql<boolean>`NOT (a.title_vector @@ ${ts})`)
      .limit(BODY_CANDIDATES);
    const rows = await db
      .selectFrom(matching.as('b'))
      .select([
        'b.id',
        'b.reviewed_at',
        'b.review_cycle_days',
        'b.use_count',
        'b.open_flag_count',
        sql<number>`ts_rank_cd(${WEIGHTS}, b.search_vector, ${ts})`.as('text_rank'),
        sql<number>`0::real`.as('title_similarity'),
      ])
      .orderBy('text_rank', 'desc')
      .orderBy('b.id', 'desc')
      .limit(CANDIDATES - found.length)
      .execute();
    found.push(...rows.map(toRow));
  }
  return found;
}

/**
 * Recounts in how many published titles each word is (ts_stat over the small title vectors; a job), keeping the
 * words in more than `min` titles. Delete and insert in one transaction: searches see the old counts or the new (two processes refreshing at once
 * both succeed).
 */
export async function refreshTermStats(db: Kysely<DB>, now: Date, min: number) {
  const vectors = `SELECT title_vector FROM knowledge_articles WHERE status = 'published'`;
  return db.transaction().execute(async (trx) => {
    await trx.deleteFrom('knowledge_term_stats').execute();
    const r = await sql`INSERT INTO knowledge_term_stats (lexeme, ndoc, refreshed_at)
      SELECT word, ndoc, ${now} FROM ts_stat(${vectors}) WHERE ndoc > ${min}
      ON CONFLICT (lexeme) DO UPDATE SET ndoc = EXCLUDED.ndoc, refreshed_at = EXCLUDED.refreshed_at`.execute(trx);
    return { terms: Number(r.numAffectedRows ?? 0) };
  });
}

/** The word frequencies as the last refresh found them (the most frequent first, bounded). */
export async function termFrequencies(db: Kysely<DB>): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('knowledge_term_stats')
    .select(['lexeme', 'ndoc'])
    .orderBy('ndoc', 'desc')
    .limit(100_000)
    .execute();
  return new Map(rows.map((r) => [r.lexeme, r.ndoc]));
}

export interface ArticleDetail {
  id: number;
  title: string;
  aliases: string[];
  answer: string;
  shortAnswer: string;
  publicAnswer: string | null;
  visibility: 'internal' | 'public';
  ownerUnitId: number;
  ownerUnitName: string;
  versionId: number;
  policyBasis: PolicyBasis[];
  attachmentIds: number[];
  categoryIds: number[];
  regionCodes: string[];
  effectiveFrom: string;
  expiresOn: string | null;
  reviewedAt: Date | null;
  reviewCycleDays: number;
  publishedAt: Date | null;
  useCount: number;
  openFlagCount: number;
}

/** What is shown of the chosen articles: the published copy, its version's policy basis and files, the owner. */
export async function articleDetails(db: Kysely<DB>, ids: number[]): Promise<ArticleDetail[]> {
  if (!ids.length) return [];
  const rows = await db
    .selectFrom('knowledge_articles as a')
    .innerJoin('knowledge_versions as v', 'v.id', 'a.published_version_id')
    .innerJoin('units as u', 'u.id', 'a.owner_unit_id')
    .select([
      'a.id',
      'a.title',
      'a.aliases',
      'a.answer',
      'a.short_answer',
      'a.public_answer',
      'a.visibility',
      'a.owner_unit_id',
      'u.name as owner_unit_name',
      'a.published_version_id',
      'v.policy_basis',
      'v.attachment_ids',
      'a.category_ids',
      'a.region_codes',
      'a.effective_from',
      'a.expires_on',
      'a.reviewed_at',
      'a.review_cycle_days',
      'a.published_at',
      'a.use_count',
      'a.open_flag_count',
    ])
    .where('a.id', 'in', ids)
    .execute();
  const byId = new Map(
    rows.map((r) => [
      r.id,
      {
        id: r.id,
        title: r.title ?? '',
        aliases: r.aliases,
        answer: r.answer ?? '',
        shortAnswer: r.short_answer ?? '',
        publicAnswer: r.public_answer,
        visibility: r.visibility,
        ownerUnitId: r.owner_unit_id,
        ownerUnitName: r.owner_unit_name,
        versionId: r.published_version_id!,
        policyBasis: readJson<PolicyBasis[] | null>(r.policy_basis) ?? [],
        attachmentIds: r.attachment_ids,
        categoryIds: r.category_ids,
        regionCodes: r.region_codes,
        effectiveFrom: r.effective_from ?? '',
        expiresOn: r.expires_on,
        reviewedAt: r.reviewed_at,
        reviewCycleDays: r.review_cycle_days,
        publishedAt: r.published_at,
        useCount: Number(r.use_count),
        openFlagCount: r.open_flag_count,
      } satisfies ArticleDetail,
    ]),
  );
  return ids.map((id) => byId.get(id)).filter((d): d is ArticleDetail => !!d);
}

/** An article offered on `today`: published and in force (and public, when asked). */
export async function articleInForce(db: Kysely<DB>, id: number, today: string, publicOnly: boolean) {
  let q = db
    .selectFrom('knowledge_articles')
    .select(['id', 'published_version_id', 'short_answer', 'owner_unit_id'])
    .where('id', '=', id)
    .where('status', '=', 'published')
    .where('effective_from', '<=', today)
    .where((eb) => eb.or([eb('expires_on', 'is', null), eb('expires_on', '>', today)]));
  if (publicOnly) q = q.where('visibility', '=', 'public');
  return q.executeTakeFirst();
}

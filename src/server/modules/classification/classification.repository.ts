import { sql, type Expression, type Kysely, type Transaction } from 'kysely';
import { regionCodeUnder, searchWordsOf } from '../tickets/tickets.repository.js';
import type { DB } from '../../db/schema.js';
import type { ClassifierEvaluation, ClassifierModelStatus } from '../../db/schema-classification.js';

// 第四、十二条 智能分类: what the classifier reads from and writes to the database. Every read is bounded (most recent
// N tickets, a few similar tickets, the history of one category in one area): nothing here scans the ticket table.

export interface CategoryNode {
  id: number;
  name: string;
  parentId: number | null;
  active: boolean;
  keywords: string[];
  /** merged into this category (合并, migration 0054) */
  replacedById: number | null;
}

export async function loadCategoryTree(db: Kysely<DB>): Promise<CategoryNode[]> {
  const rows = await db
    .selectFrom('categories')
    .select(['id', 'name', 'parent_id', 'active', 'keywords', 'replaced_by_id'])
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    parentId: r.parent_id,
    active: r.active,
    keywords: r.keywords ?? [],
    replacedById: r.replaced_by_id,
  }));
}

export interface TicketExample {
  id: number;
  title: string;
  content: string;
  categoryId: number;
  /** a dispatcher corrected its category */
  recategorized: boolean;
  /** a return was approved: the ticket's final category and unit were argued over and settled */
  returned: boolean;
}

/**
 * The most recent `limit` tickets (merged ones left out: their text lives on in the ticket they joined), newest
 * first, in batches of `batch` read by keyset on the id: the trainer segments each batch and drops it, so the
 * process never holds 100 000 texts at once (issue 13: training under 300 MB).
 */
export async function* recentExampleBatches(
  db: Kysely<DB>,
  limit: number,
  batch = 1_000,
): AsyncGenerator<TicketExample[]> {
  let before: number | null = null;
  for (let read = 0; read < limit;) {
    const rows = await db
      .selectFrom('tickets as t')
      .select([
        't.id',
        't.title',
        't.content',
        't.category_id',
        sql<boolean>`EXISTS (SELECT 1 FROM ticket_events e WHERE e.ticket_id = t.id AND e.kind = 'recategorized')`.as(
          'recategorized',
        ),
        sql<boolean>`EXISTS (SELECT 1 FROM ticket_events e WHERE e.ticket_id = t.id AND e.kind = 'return_approved')`.as(
          'returned',
        ),
      ])
      .where('t.merged_into_id', 'is', null)
      .$if(before !== null, (q) => q.where('t.id', '<', before!))
      .orderBy('t.id', 'desc')
      .limit(Math.min(batch, limit - read))
      .execute();
    if (!rows.length) return;
    read += rows.length;
    before = rows[rows.length - 1]!.id;
    yield rows.map((r) => ({
      id: r.id,
      title: r.title,
      content: r.content,
      categoryId: r.category_id,
      recategorized: Boolean(r.recategorized),
      returned: Boolean(r.returned),
    }));
    if (rows.length < batch) return;
  }
}

export async function maxTicketId(db: Kysely<DB>): Promise<number> {
  const r = await db
    .selectFrom('tickets')
    .select((eb) => eb.fn.max('id').as('max'))
    .executeTakeFirst();
  return Number(r?.max ?? 0);
}

// ---- models ----------------------------------------------------------------------------------------------

export async function activeModelId(db: Kysely<DB>): Promise<number | null> {
  const r = await db.selectFrom('classifier_models').select('id').where('status', '=', 'active').executeTakeFirst();
  return r?.id ?? null;
}

/**
 * A stored model's bytes are read in slices of this size. bytea arrives as hex text, twice its size, and the driver
 * holds the whole message and the string at once: a 9 MB model read in one piece took a retraining's peak memory
 * from ~280 to ~345 MB (issue 13's budget is 300; bench/results/2026-12-07-classifier-training-in-use.txt).
 */
export const MODEL_SLICE_BYTES = 1 << 20;

/** A stored model (its bytes whole) with its id and number of examples; undefined when there is no such model. */
export async function loadModelRow(
  db: Kysely<DB>,
  id: number,
): Promise<{ id: number; examples: number; model: Uint8Array } | undefined> {
  const row = await db
    .selectFrom('classifier_models')
    .select(['id', 'examples', sql<number>`octet_length(model)`.as('bytes')])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) return undefined;
  const model = new Uint8Array(Number(row.bytes));
  // a model's bytes never change once stored (only its status does), so the slices are of one and the same value
  for (let at = 0; at < model.length; at += MODEL_SLICE_BYTES) {
    const { part } = await db
      .selectFrom('classifier_models')
      .select(sql<Uint8Array>`substring(model from ${at + 1} for ${MODEL_SLICE_BYTES})`.as('part'))
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    model.set(part, at);
  }
  return { id: row.id, examples: row.examples, model };
}

/** One model's whole evaluation, the per-category holdout figures included (undefined: no such model). */
export async function modelEvaluation(db: Kysely<DB>, id: number) {
  return db.selectFrom('classifier_models').select(['id', 'evaluation']).where('id', '=', id).executeTakeFirst();
}

export async function listModels(db: Kysely<DB>, limit: number) {
  return db
    .selectFrom('classifier_models as m')
    .leftJoin('users as u', 'u.id', 'm.trained_by')
    .select([
      'm.id',
      'm.status',
      'm.trained_at',
      'm.examples',
      'm.categories',
      // the per-category detail grows with the tree: read one model at a time (modelEvaluation)
      sql<ClassifierEvaluation>`m.evaluation #- '{model,perCategory}'`.as('evaluation'),
      'm.size',
      'm.trained_by',
      'u.display_name as trained_by_name',
      'm.note',
      'm.activated_at',
    ])
    .orderBy('m.id', 'desc')
    .limit(limit)
    .execute();
}

export interface NewModelRow {
  status: ClassifierModelStatus;
  trainedAt: Date;
  examples: number;
  categories: number;
  evaluation: ClassifierEvaluation;
  bytes: Uint8Array;
  trainedBy: number | null;
  note: string | null;
}

/** Stores a model; an active one first retires the model in use (the partial unique index allows one). */
export async function insertModel(trx: Transaction<DB>, m: NewModelRow): Promise<number> {
  if (m.status === 'active') await retireActive(trx);
  const r = await trx
    .insertInto('classifier_models')
    .values({
      status: m.status,
      trained_at: m.trainedAt,
      examples: m.examples,
      categories: m.categories,
      evaluation: JSON.stringify(m.evaluation),
      model: m.bytes,
      size: m.bytes.byteLength,
      trained_by: m.trainedBy,
      note: m.note,
      activated_at: m.status === 'active' ? m.trainedAt : null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

export async function retireActive(trx: Transaction<DB>): Promise<number | null> {
  const r = await trx
    .updateTable('classifier_models')
    .set({ status: 'retired' })
    .where('status', '=', 'active')
    .returning('id')
    .executeTakeFirst();
  return r?.id ?? null;
}

// ---- the training claim ------------------------------------------------------------------------------------

/** When an admin (or a migration) last changed a category: the newest audit event of one (index admin_audit_entity). */
export async function lastCategoryChangeAt(db: Kysely<DB>): Promise<Date | null> {
  const row = await db
    .selectFrom('admin_audit')
    .select('at')
    .where('entity', '=', 'category')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.at ?? null;
}

export async function trainingState(db: Kysely<DB>) {
  return db.selectFrom('classifier_training').selectAll().where('id', '=', 1).executeTakeFirstOrThrow();
}

/**
 * Claims the one training slot until `until`; false when another process holds it. A conditional UPDATE of one
 * row: under concurrency exactly one wins, on PostgreSQL and PGlite alike, and a crashed trainer's claim expires.
 */
export async function claimTraining(db: Kysely<DB>, by: string, now: Date, until: Date): Promise<boolean> {
  const r = await db
    .updateTable('classifier_training')
    .set({ claimed_until: until, claimed_by: by })
    .where('id', '=', 1)
    .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<=', now)]))
    .returning('id')
    .executeTakeFirst();
  return r !== undefined;
}

export async function releaseTraining(
  db: Kysely<DB>,
  by: string,
  done?: { at: Date; lastTicketId: number },
): Promise<void> {
  await db
    .updateTable('classifier_training')
    .set({
      claimed_until: null,
      claimed_by: null,
      ...(done ? { last_trained_at: done.at, last_ticket_id: done.lastTicketId } : {}),
    })
    .where('id', '=', 1)
    .where('claimed_by', '=', by)
    .execute();
}

// ---- take rates --------------------------------------------------------------------------------------------

export interface TakeRecord {
  week: string;
  role: 'agent' | 'dispatcher';
  categoryId: number;
  first: boolean;
  any: boolean;
}

/** One chosen category after suggestions were shown: incremented in the caller's transaction. */
export async function incrementTakeRate(trx: Kysely<DB>, t: TakeRecord): Promise<void> {
  const first = t.first ? 1 : 0;
  const any = t.any ? 1 : 0;
  await trx
    .insertInto('classification_take_rates')
    .values({ week: t.week, role: t.role, category_id: t.categoryId, shown: 1, first_taken: first, any_taken: any })
    .onConflict((oc) =>
      oc.columns(['week', 'role', 'category_id']).doUpdateSet({
        shown: sql`classification_take_rates.shown + 1`,
        first_taken: sql`classification_take_rates.first_taken + ${first}`,
        any_taken: sql`classification_take_rates.any_taken + ${any}`,
      }),
    )
    .execute();
}

export async function takeRates(db: Kysely<DB>, sinceWeek: string) {
  return db
    .selectFrom('classification_take_rates as r')
    .innerJoin('categories as c', 'c.id', 'r.category_id')
    .select(['r.week', 'r.role', 'r.category_id', 'c.name', 'r.shown', 'r.first_taken', 'r.any_taken'])
    .where('r.week', '>=', sinceWeek)
    .orderBy('r.week')
    .orderBy('r.category_id')
    .execute();
}

// ---- explanations: similar tickets and the unit history ----------------------------------------------------

/**
 * How far back the explanations look, per category: at most `examined` of its newest tickets (whatever their
 * region), of which the first `inScope` in the actor's regions are the candidates. Both bounds hold at any size of
 * history: the work is the same at ten thousand and at ten million tickets (0051-category-recent.ts).
 */
export const RECENT_WINDOW = { examined: 20_000, inScope: 200 };

export interface SimilarQuery {
  /** a to_tsquery('simple') expression (anyWordQuery) */
  query: string;
  categoryIds: number[];
  regionPrefixes: string[];
  excludeTicketId?: number;
  /** at most this many per category */
  limit: number;
  window?: typeof RECENT_WINDOW;
}

/**
 * Recent tickets of each of these categories in the actor's regions sharing a word with the text: per category,
 * the newest in scope (RECENT_WINDOW), those whose words match, most words shared first, at most `limit` of them.
 */
export async function similarCandidates(db: Kysely<DB>, q: SimilarQuery) {
  if (!q.categoryIds.length || !q.regionPrefixes.length) return [];
  const { rows } = await similarCandidatesQuery(q).execute(db);
  return rows;
}

/** The statement of similarCandidates (bench/classification-suggest.ts prints its plan). */
export function similarCandidatesQuery(q: SimilarQuery) {
  const w = q.window ?? RECENT_WINDOW;
  return sql<{
    id: number;
    number: string;
    title: string;
    category_id: number;
    search_words: string[] | null;
    lead_unit_name: string | null;
  }>`SELECT m.id, m.number, m.title, m.category_id, m.search_words, u.name AS lead_unit_name
    FROM unnest(${q.categoryIds}::int[]) AS c(id), to_tsquery('simple', ${q.query}) AS q
    CROSS JOIN LATERAL (
      SELECT t.id, t.number, t.title, t.category_id, ${searchWordsOf(sql.ref('t.search_vector'))} AS search_words, t.lead_unit_id,
        ts_rank(t.search_vector, q) AS rank
      FROM (
        SELECT r.id FROM ${newestOfCategory(sql.ref('c.id'), w.examined)} r
        WHERE r.merged_into_id IS NULL AND ${regionCodeUnder(sql.ref('r.region_code'), q.regionPrefixes)}
          ${q.excludeTicketId ? sql`AND r.id <> ${q.excludeTicketId}` : sql``}
        LIMIT ${w.inScope}
      ) recent
      JOIN tickets t ON t.id = recent.id
      WHERE t.search_vector @@ q
      -- the ones sharing most of the words first (ts_rank over a few hundred rows already read), then the newest
      ORDER BY rank DESC, t.id DESC
      LIMIT ${q.limit}
    ) m
    LEFT JOIN units u ON u.id = m.lead_unit_id
    ORDER BY m.rank DESC, m.id DESC`;
}

/** The window itself: a category's newest `examined` tickets, their region and merge read from 0051's index. */
function newestOfCategory(categoryId: Expression<unknown> | number, examined: number) {
  return sql`(SELECT id, region_code, merged_into_id FROM tickets WHERE category_id = ${categoryId}
    ORDER BY id DESC LIMIT ${examined})`;
}

/**
 * 第十二条: tickets of one category (and those merged into it) in one area (region prefix) that ended with another lead
 * unit than `catalogueUnitId` after an approved return; the most recent `limit` of them, among each category's newest
 * `window.examined` tickets
 * (the same bound as the explanations: a category with no returns at all costs that many index entries, not its
 * whole history).
 */
export async function returnedElsewhere(
  db: Kysely<DB>,
  q: {
    categoryId: number;
    /** categories merged into it (合并): their history is the category's too, each read in its own window */
    mergedIds?: readonly number[];
    regionPrefix: string;
    catalogueUnitId: number | null;
    limit: number;
    window?: typeof RECENT_WINDOW;
  },
) {
  const w = q.window ?? RECENT_WINDOW;
  const categoryIds = [q.categoryId, ...(q.mergedIds ?? [])];
  const { rows } = await sql<{ id: number; number: string; lead_unit_id: number; unit_name: string }>`
    SELECT t.id, t.number, t.lead_unit_id, u.name AS unit_name
    FROM unnest(${categoryIds}::int[]) AS c(id)
    CROSS JOIN LATERAL ${newestOfCategory(sql.ref('c.id'), w.examined)} r
    JOIN tickets t ON t.id = r.id
    JOIN units u ON u.id = t.lead_unit_id
    WHERE ${regionCodeUnder(sql.ref('r.region_code'), [q.regionPrefix])}
      ${q.catalogueUnitId !== null ? sql`AND t.lead_unit_id <> ${q.catalogueUnitId}` : sql``}
      AND EXISTS (SELECT 1 FROM ticket_events e WHERE e.ticket_id = t.id AND e.kind = 'return_approved')
    ORDER BY t.id DESC
    LIMIT ${q.limit}`.execute(db);
  return rows;
}

import { sql, type Kysely } from 'kysely';

// 第四、十二条 智能分类 at ten million tickets. The similar past tickets beside a suggestion and the dispatcher's unit
// history both read "the newest tickets of one category" and then filter by the actor's regions. The index of 0030
// (category, region, id) gave id order only inside one region code, so a city-wide or county-wide reader either
// sorted the whole category or walked the primary key backwards through every category until enough rows matched
// (bench/classification-suggest.ts at 2 000 000 tickets: a county agent's suggestion p95 334 ms, max 1.6 s, and no
// bound at all when the words are rare). This one walks one category newest first; the regions and merges are
// read from the index itself, so a county's share of the category costs index entries, not ticket rows. It
// replaces 0030's index rather than adding one: every index is paid for by each new ticket (issue 8).
// At ten million tickets building the index holds ticket writes for minutes. An operator can build it beforehand
// without that lock (docs/operations.md, "Upgrading a large database"): CREATE INDEX CONCURRENTLY IF NOT EXISTS with
// this definition; the migration then finds it. A concurrent build that failed leaves an invalid index of the name,
// which is dropped and built again here.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`DO $$ BEGIN
    IF EXISTS (SELECT 1 FROM pg_index WHERE indexrelid = to_regclass('tickets_category_recent') AND NOT indisvalid) THEN
      DROP INDEX tickets_category_recent;
    END IF;
  END $$`.execute(db);
  await sql`CREATE INDEX IF NOT EXISTS tickets_category_recent ON tickets(category_id, id DESC) INCLUDE (region_code, merged_into_id)`.execute(
    db,
  );
  await sql`DROP INDEX IF EXISTS tickets_category_region`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('0051-category-recent is not reversible');
}

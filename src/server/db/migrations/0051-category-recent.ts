import { sql, type Kysely } from 'kysely';

// 第四、十二条 智能分类 at ten million tickets. The similar past tickets beside a suggestion and the dispatcher's unit
// history both read "the newest tickets of one category" and then filter by the actor's regions. The index of 0030
// (category, region, id) gave id order only inside one region code, so a city-wide or county-wide reader either
// sorted the whole category or walked the primary key backwards through every category until enough rows matched
// (bench/classification-suggest.ts at 2 000 000 tickets: a county agent's suggestion p95 334 ms, max 1.6 s, and no
// bound at all when the words are rare). This one walks one category newest first; the regions and merges are
// read from the index itself, so a county's share of the category costs index entries, not ticket rows. It
// replaces 0030's index rather than adding one: every index is paid for by each new ticket (issue 8).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE INDEX tickets_category_recent ON tickets(category_id, id DESC) INCLUDE (region_code, merged_into_id)`.execute(
    db,
  );
  await sql`DROP INDEX tickets_category_region`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('0051-category-recent is not reversible');
}

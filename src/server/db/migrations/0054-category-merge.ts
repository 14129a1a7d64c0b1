import { sql, type Kysely } from 'kysely';

// 第四条 智能分类 / issue 13 "a category merged after training": an admin who merges a matter category into another
// (合并) retires it and names its successor. The tickets filed under it keep their category (the record stays what it
// was), but the classifier learns them as the successor's and suggests the successor where a model trained before the
// merge would have suggested the merged one — a reorganised tree does not throw away the centre's history. The
// categories table is a few hundred rows: adding a nullable column is a catalogue change.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE categories ADD COLUMN replaced_by_id integer REFERENCES categories(id)`.execute(db);
  await sql`ALTER TABLE categories ADD CONSTRAINT categories_not_replaced_by_itself CHECK (replaced_by_id <> id)`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE categories DROP COLUMN replaced_by_id`.execute(db);
}

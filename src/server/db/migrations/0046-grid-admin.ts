import { sql, type Kysely } from 'kysely';

// 第二十九条 网格化管理 (docs/grids.md), issue 12: what a town/street's manager keeps about its grids beyond the region
// row (a grid is still a region at level 4, migration 0042). One row per grid that has any of it; a grid without a row
// is active and has no centre point.
// - lng/lat: an optional centre point (WGS-84 degrees) for the 网格视图 map; both or neither. Official grid boundaries
//   are to be loaded before production; a point is enough for a bubble.
// - retired_at: a grid no longer in use keeps its region row (its tickets and the rollup name it), but is not offered
//   for assignment and has no grid workers.
// The changes themselves (create, rename, move, retire, assign) are in admin_audit, entity 'grid', in the same
// transaction as the change.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
CREATE TABLE grid_cells (
  code text PRIMARY KEY REFERENCES regions(code),
  lng double precision,
  lat double precision,
  retired_at timestamptz,
  updated_at timestamptz NOT NULL,
  CHECK ((lng IS NULL) = (lat IS NULL)),
  CHECK (lng IS NULL OR (lng BETWEEN 73 AND 136 AND lat BETWEEN 3 AND 54))
);
`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('0046-grid-admin is not reversible');
}

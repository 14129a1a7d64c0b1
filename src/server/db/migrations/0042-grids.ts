import { sql, type Kysely } from 'kysely';

// 第二十九条 网格化管理 (docs/grids.md). Grid cells (网格) are the regions at level 4, below their town/street (level 3):
// the region tree already reserves that level, a grid's code extends its town's (371702001 → 371702001101), so the
// prefix scope checks, the dispatch catalogue's region chain and the analytics rollup (region × category × channel ×
// day, whose region may be a grid) all hold for grids with no new key. A ticket "in a grid" is a ticket whose
// region_code is the grid's code.
//
// grid_workers: the grid worker (网格员, role grid_worker) and the grids they answer for, all of one town (their unit's).
// Their own reports (主动发现) are tickets on channel 'grid' they created: listed newest first by the partial index.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
CREATE TABLE grid_workers (
  user_id integer NOT NULL REFERENCES users(id),
  grid_code text NOT NULL REFERENCES regions(code),
  assigned_at timestamptz NOT NULL,
  PRIMARY KEY (user_id, grid_code)
);
CREATE INDEX grid_workers_grid ON grid_workers(grid_code);

-- 我的上报: a grid worker's own reports, keyset by id
CREATE INDEX tickets_grid_reports ON tickets(created_by, id) WHERE channel = 'grid';
-- a grid's tickets, newest first (one backward walk per grid of the worker, merged)
CREATE INDEX tickets_region_id ON tickets(region_code, id);
`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('0042-grids is not reversible');
}

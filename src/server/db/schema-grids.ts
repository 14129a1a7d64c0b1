import type { ColumnType } from 'kysely';

// Kysely types of migration 0042 (第二十九条 网格化管理: grid workers and their grids).
type Ts = ColumnType<Date, Date | string, Date | string>;

export interface GridWorkersTable {
  user_id: number;
  /** a region at level 4 (网格) of the worker's town */
  grid_code: string;
  assigned_at: Ts;
}

/** Migration 0046: a grid's centre point for the map and its retirement (a grid without a row: active, no point). */
export interface GridCellsTable {
  code: string;
  lng: number | null;
  lat: number | null;
  retired_at: Ts | null;
  updated_at: Ts;
}

export interface GridTables {
  grid_workers: GridWorkersTable;
  grid_cells: GridCellsTable;
}

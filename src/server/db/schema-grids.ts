import type { ColumnType } from 'kysely';

// Kysely types of migration 0042 (第二十九条 网格化管理: grid workers and their grids).
type Ts = ColumnType<Date, Date | string, Date | string>;

export interface GridWorkersTable {
  user_id: number;
  /** a region at level 4 (网格) of the worker's town */
  grid_code: string;
  assigned_at: Ts;
}

export interface GridTables {
  grid_workers: GridWorkersTable;
}

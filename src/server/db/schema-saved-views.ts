import type { Generated } from 'kysely';

// Kysely types of migration 0044 (saved views, issue 14).
export interface SavedViewsTable {
  id: Generated<number>;
  user_id: number;
  screen: string;
  name: string;
  /** the screen's query parameters, key → value (jsonb) */
  params: unknown;
  created_at: Date;
}
export interface SavedViewTables {
  saved_views: SavedViewsTable;
}

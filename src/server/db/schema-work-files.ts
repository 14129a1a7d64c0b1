import type { ColumnType, Generated } from 'kysely';

// Kysely types of migration 0038 (第十四、十五、二十四条: uploaded materials of applications, replies and appeals).
type Ts = ColumnType<Date, Date | string, Date | string>;
type Nullable<T> = ColumnType<T | null, T | null | undefined, T | null>;

export type WorkFileOwnerKind = 'application' | 'reply' | 'reply_signoff' | 'appeal';

export interface WorkFilesTable {
  id: Generated<number>;
  unit_id: number;
  uploaded_by: number;
  /** null until an application, a reply or an appeal claims the file */
  owner_kind: Nullable<WorkFileOwnerKind>;
  /** applications.id; the ticket's id for a 'reply' (each reply's event lists its files); reply_signoffs.id; assessment_appeals.id */
  owner_id: Nullable<number>;
  ticket_id: Nullable<number>;
  original_name: string;
  mime: string;
  size: number;
  sha256: string;
  storage_key: string;
  created_at: Ts;
  claimed_at: Nullable<Date>;
}

export interface WorkFileTables {
  work_files: WorkFilesTable;
}

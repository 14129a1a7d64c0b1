import type { ColumnType, Generated } from 'kysely';
import type { DisclosureStatus } from '../../shared/contracts/disclosure.js';

// Kysely types of migration 0029 (第二十一条 信息公开).
type Ts = ColumnType<Date, Date | string, Date | string>;
type Json<T> = ColumnType<T, string, string>;
type Nullable<T> = ColumnType<T | null, T | null | undefined, T | null>;

export interface DisclosureCaseRecord {
  ticketId: number;
  ticketNumber: string;
  title: string;
  category: string;
  unit: string;
  summary: string;
}

export interface DisclosureReportsTable {
  id: Generated<number>;
  month: string;
  region_code: string;
  version: number;
  status: DisclosureStatus;
  figures: Json<unknown>;
  foreword: ColumnType<string, string | undefined, string>;
  cases: ColumnType<DisclosureCaseRecord[], string | undefined, string>;
  correction_note: Nullable<string>;
  review_note: Nullable<string>;
  snapshot: ColumnType<unknown, string | null | undefined, string | null>;
  created_by: number;
  created_at: Ts;
  updated_at: Ts;
  submitted_by: Nullable<number>;
  submitted_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  published_by: Nullable<number>;
  published_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface DisclosureTables {
  disclosure_reports: DisclosureReportsTable;
}

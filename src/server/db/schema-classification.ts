import type { ColumnType, Generated } from 'kysely';

// Kysely types of migration 0030 (第四、十二条 智能分类).
type Id = Generated<number>;
type Ts = ColumnType<Date, Date | string, Date | string>;
type Nullable<T> = ColumnType<T | null, T | null | undefined, T | null>;

export type ClassifierModelStatus = 'candidate' | 'active' | 'retired' | 'rejected';

export interface HoldoutFigures {
  accuracy: number;
  macroF1: number;
  top3: number;
  /** 95 % bootstrap interval of macroF1 over the held-out tickets (models trained since 2026-12-06) */
  macroF1Interval?: [number, number];
  /** expected calibration error of the first suggestion's confidence (models trained since 2026-12-06) */
  ece?: number;
  /**
   * Per category of the holdout (models trained since 2026-12-06). Left out of the model list (it grows with the
   * tree); GET /api/classification/models/:id/categories reads it.
   */
  perCategory?: CategoryHoldoutFigures[];
}

export interface CategoryHoldoutFigures {
  categoryId: number;
  /** held-out tickets of this category */
  support: number;
  precision: number;
  recall: number;
  f1: number;
  /** the category its tickets were most often suggested first instead, and how many times */
  confusedWith: { categoryId: number; count: number } | null;
}

/** What the training gate measured: this model and the one in use on the same holdout. */
export interface ClassifierEvaluation {
  holdout?: number;
  model?: HoldoutFigures;
  active?: (HoldoutFigures & { id: number }) | null;
  tolerance?: number;
  trainingMs?: number;
}

export interface ClassifierModelsTable {
  id: Id;
  status: ClassifierModelStatus;
  trained_at: Ts;
  examples: number;
  categories: number;
  evaluation: ColumnType<ClassifierEvaluation, string, string>;
  model: ColumnType<Uint8Array, Uint8Array, Uint8Array>;
  size: number;
  trained_by: Nullable<number>;
  note: Nullable<string>;
  activated_at: Nullable<Date>;
}

export interface ClassifierTrainingTable {
  id: number;
  claimed_until: Nullable<Date>;
  claimed_by: Nullable<string>;
  last_trained_at: Nullable<Date>;
  last_ticket_id: ColumnType<number, number | undefined, number>;
}

export interface ClassificationTakeRatesTable {
  week: string;
  role: 'agent' | 'dispatcher';
  category_id: number;
  shown: Generated<number>;
  first_taken: Generated<number>;
  any_taken: Generated<number>;
}

export interface ClassificationTables {
  classifier_models: ClassifierModelsTable;
  classifier_training: ClassifierTrainingTable;
  classification_take_rates: ClassificationTakeRatesTable;
}

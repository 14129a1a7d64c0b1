// 第四、十二条 智能分类: category and unit suggestions, the category correction, the models and their take rates.
import { http } from './client';

export interface CategorySuggestion {
  categoryId: number;
  name: string;
  path: string[];
  confidence: number;
  words: Array<{ term: string; weight: number }>;
  similar: Array<{
    id: number;
    number: string;
    title: string;
    category: string;
    leadUnit: string | null;
    similarity: number;
  }>;
}

export interface SuggestResult {
  modelId: number | null;
  source: 'model' | 'tree_prior';
  note: string | null;
  suggestions: CategorySuggestion[];
}

export interface UnitSuggestion {
  catalogue: { unitId: number; unitName: string; explanation: string } | null;
  history: Array<{ unitId: number; unitName: string; count: number; evidence: string[]; explanation: string }>;
  note: string;
}

export interface HoldoutFigures {
  accuracy: number;
  macroF1: number;
  top3: number;
  /** 95 % bootstrap interval of macroF1 over the held-out tickets (newer models) */
  macroF1Interval?: [number, number];
  /** expected calibration error of the first suggestion's confidence (newer models) */
  ece?: number;
}

interface NamedCategory {
  categoryId: number;
  path: string[];
}
/** 事项分类 changed since the model in use was trained (retraining makes the model learn them) */
export interface TreeChanges {
  /** new leaves: the model cannot suggest them yet */
  added: NamedCategory[];
  /** merged: suggested as their successor meanwhile */
  merged: Array<NamedCategory & { into: NamedCategory }>;
  /** retired: no longer suggested */
  retired: NamedCategory[];
}

export interface CategoryFiguresRow {
  categoryId: number;
  path: string[];
  usable: boolean;
  /** 合并: merged since the training — its suggestions are now this category's */
  mergedInto: { categoryId: number; path: string[] } | null;
  support: number;
  precision: number;
  recall: number;
  f1: number;
  confusedWith: { categoryId: number; path: string[]; count: number } | null;
}

export interface ModelCategoryFigures {
  modelId: number;
  /** false: the model was trained before per-category figures were kept */
  recorded: boolean;
  holdout: number;
  ece: number | null;
  items: CategoryFiguresRow[];
}

export interface ClassifierModelRow {
  id: number;
  status: 'candidate' | 'active' | 'retired' | 'rejected';
  trainedAt: string;
  examples: number;
  categories: number;
  evaluation: {
    holdout?: number;
    model?: HoldoutFigures;
    active?: (HoldoutFigures & { id: number }) | null;
    tolerance?: number;
    trainingMs?: number;
  };
  size: number;
  trainedBy: string | null;
  note: string | null;
  activatedAt: string | null;
}

export interface TakeRateRow {
  role: 'agent' | 'dispatcher';
  shown: number;
  firstTaken: number;
  anyTaken: number;
}

export const classificationApi = {
  suggest: (body: { title?: string; body: string; contactId?: number; ticketId?: number }) =>
    http.post<SuggestResult>('/api/classification/suggest', body),
  unitSuggestion: (ticketId: number) =>
    http.get<UnitSuggestion>(`/api/classification/tickets/${ticketId}/unit-suggestion`),
  recategorize: (
    ticketId: number,
    body: { categoryId: number; expectedVersion?: number; suggestedCategoryIds?: number[]; note?: string },
  ) =>
    http.post<{ id: number; version: number; categoryId: number; path: string[] }>(
      `/api/classification/tickets/${ticketId}/category`,
      body,
    ),
  models: () =>
    http.get<{ items: ClassifierModelRow[]; activeTreeChanges: TreeChanges | null }>('/api/classification/models'),
  modelCategories: (id: number) => http.get<ModelCategoryFigures>(`/api/classification/models/${id}/categories`),
  train: () =>
    http.post<{ outcome: 'active' | 'rejected'; modelId: number; examples: number }>(
      '/api/classification/models/train',
    ),
  activate: (id: number) => http.post<{ id: number }>(`/api/classification/models/${id}/activate`, {}),
  takeRates: (weeks: number) =>
    http.get<{
      since: string;
      weeks: Array<TakeRateRow & { week: string }>;
      categories: Array<TakeRateRow & { categoryId: number; name: string }>;
    }>('/api/classification/take-rates', { weeks }),
};

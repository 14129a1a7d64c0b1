import type { Role } from './roles.js';
import type { Tier, UnitKind } from './vocabulary.js';

// What the admin screens send to create and edit users, units and categories (管理员).

export interface CreateUserInput {
  username: string;
  displayName: string;
  password: string;
  unitId: number;
  roles: Role[];
  scope: 'unit' | 'region';
}
export interface UpdateUserInput {
  displayName?: string;
  unitId?: number;
  roles?: Role[];
  scope?: 'unit' | 'region';
  active?: boolean;
}
export interface CreateUnitInput {
  code: string;
  name: string;
  kind: UnitKind;
  tier: Tier;
  parentId?: number | null;
  is24x7: boolean;
  regionCodes: string[];
}
export interface UpdateUnitInput {
  name?: string;
  parentId?: number | null;
  is24x7?: boolean;
  active?: boolean;
  regionCodes?: string[];
}
export interface CreateCategoryInput {
  code: string;
  name: string;
  parentId?: number | null;
}
export interface UpdateCategoryInput {
  name?: string;
  active?: boolean;
  /** 第四条 智能分类 (0030): words the category is known by, the prior of the classifier */
  keywords?: string[];
}
/** 合并 (0054): the category is retired into `intoId`, an active leaf; the classifier learns its tickets as intoId's */
export interface MergeCategoryInput {
  intoId: number;
}

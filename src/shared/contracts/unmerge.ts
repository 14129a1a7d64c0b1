import { z } from 'zod';
import { dbId, safeString } from './common.js';

/** 撤销并单 (issue 14): an optional note for both tickets' history, and the version the dispatcher saw. */
export const unmergeBody = z
  .object({
    note: safeString().trim().max(2000, '说明不能超过 2000 字').optional(),
    expectedVersion: dbId('版本号不正确')
      .optional()
      .describe('optimistic concurrency: the version the client last saw'),
  })
  .default({});
export type UnmergeBody = z.infer<typeof unmergeBody>;

import { z } from 'zod';

// Building blocks every request schema uses, so that what the database cannot store is refused as a 400 with
// a Chinese message before it gets there (issue 8: bad input never answers 5xx).

/** Row ids are PostgreSQL `integer` (int4): anything above this overflows the column instead of finding nothing. */
export const DB_ID_MAX = 2_147_483_647;

/** A row id in a JSON body: a positive whole number that fits the id column. */
export const dbId = (message = '编号不正确') =>
  z.number({ error: message }).int(message).positive(message).max(DB_ID_MAX, message);

/** A row id in a path or query string (text on the wire). '1e400', 'NaN', '-0' and 2^63 are all refused. */
export const dbIdParam = (message = '编号不正确') =>
  z.coerce.number({ error: message }).int(message).positive(message).max(DB_ID_MAX, message);

/** `/:id` path parameters. */
export const idParams = z.object({ id: dbIdParam() });

/** Whether the text is free of NUL (U+0000), which PostgreSQL text and jsonb cannot hold. */
export const hasNoNul = (s: string) => !s.includes('\u0000');
export const NUL_MESSAGE = '内容不能包含空字符（\\u0000）';

/** Whether the text is well-formed UTF-16: a lone surrogate (half an emoji) has no UTF-8 form, and jsonb refuses it. */
export const isWellFormed = (s: string) =>
  !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);
export const SURROGATE_MESSAGE = '内容含有无效的 Unicode 字符（不成对的代理项）';

/** A string PostgreSQL can store: any text but NUL and broken Unicode. Chain .trim(), .min(), .max() as with z.string(). */
export const safeString = (params?: Parameters<typeof z.string>[0]) =>
  z.string(params).refine(hasNoNul, NUL_MESSAGE).refine(isWellFormed, SURROGATE_MESSAGE);

/** A calendar day `YYYY-MM-DD` that exists (2025-02-30 is refused). */
export const isoDay = safeString()
  .regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD')
  .refine((d) => {
    const t = new Date(`${d}T00:00:00Z`);
    return !Number.isNaN(t.getTime()) && t.toISOString().startsWith(d);
  }, '日期不存在');

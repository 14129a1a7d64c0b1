import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { localDateOf } from '../../domain/calendar.js';
import { incrementTakeRate } from './classification.repository.js';

// 第四条 智能分类, measured: when an agent files a ticket or a dispatcher corrects a category after suggestions were
// shown, which one was taken (the first, any of the three, none) goes into the weekly rollup in the same
// transaction, so the admin's figures never scan tickets.

/** The Monday (local, UTC+8) of the week an instant falls in: the take-rate rollup's key. */
export function weekOf(at: Date): string {
  const day = localDateOf(at);
  const t = Date.parse(`${day}T00:00:00Z`);
  const dow = new Date(t).getUTCDay(); // 0 = Sunday
  return new Date(t - ((dow + 6) % 7) * 86_400_000).toISOString().slice(0, 10);
}

/** Records which suggestion the person took (first, any of three, or none) — in the caller's transaction. */
export async function recordTake(
  trx: Kysely<DB>,
  t: { role: 'agent' | 'dispatcher'; at: Date; categoryId: number; suggested?: readonly number[] | null },
): Promise<void> {
  if (!t.suggested?.length) return; // nothing was shown: nothing to count
  await incrementTakeRate(trx, {
    week: weekOf(t.at),
    role: t.role,
    categoryId: t.categoryId,
    first: t.suggested[0] === t.categoryId,
    any: t.suggested.slice(0, 3).includes(t.categoryId),
  });
}

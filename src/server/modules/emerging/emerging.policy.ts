import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { assertAnalyticsReader, inScope } from '../analytics/analytics.policy.js';
import type { Actor } from '../auth/actor.js';
import { isUnitPerson } from '../forecast/forecast.policy.js';

// 第二十八条(三)(四) / 第三十条: who reads 新兴诉求词. The article asks the units (承办单位) to study new business forms,
// so a unit's people read the words of the whole city (figures of words: nothing personal, no ticket) and, behind a
// word, only their own unit's tickets (as lead unit). The centre reads as the hot-spot analysis: the city centre's
// supervisors, analysts and admins the city, a county centre's staff their county, with every ticket of that area.

export interface EmergingReader {
  /** the unit whose tickets alone the reader sees behind a word; null: every ticket of the reader's area */
  ownUnitId: number | null;
  /** whether a region (the city or a county) is the reader's to choose */
  mayRead: (regionCode: string) => boolean;
}

export async function emergingReader(db: Kysely<DB>, actor: Actor): Promise<EmergingReader> {
  if (isUnitPerson(actor)) return { ownUnitId: actor.unitId, mayRead: () => true };
  await assertAnalyticsReader(db, actor);
  return { ownUnitId: null, mayRead: (code) => inScope(actor, code) };
}

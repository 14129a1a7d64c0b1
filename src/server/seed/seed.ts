import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { calendarOverridesFromChineseDays, chineseDaysCoversYear } from '../domain/calendar.js';
import { DEFAULT_TIME_LIMITS } from '../domain/time-limits.js';
import { hashPassword } from '../modules/auth/auth.service.js';
import { CATALOGUE, CATEGORIES } from './heze-categories.js';
import { DEMO_PASSWORD, GRID_WORKERS, REGIONS, UNITS, USERS } from './heze-organisation.js';
import { seedKnowledge } from './heze-knowledge.js';
import { seedKnowledgeSynonyms } from './heze-knowledge-synonyms.js';
import { GRID_CENTRES } from './grid-centres.js';

export const CALENDAR_YEARS = [2024, 2025, 2026];

/** Reference data every installation needs: working calendar (2024–2026 from chinese-days) and time limits. */
export async function seedReferenceData(db: Kysely<DB>): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const days = calendarOverridesFromChineseDays(CALENDAR_YEARS.filter(chineseDaysCoversYear));
    for (let i = 0; i < days.length; i += 200) {
      await trx
        .insertInto('calendar_days')
        .values(days.slice(i, i + 200).map((d) => ({ date: d.date, kind: d.kind, name: d.name ?? null })))
        .onConflict((oc) => oc.column('date').doNothing())
        .execute();
    }
    const hasLimits = await trx.selectFrom('time_limits').select('id').limit(1).executeTakeFirst();
    if (!hasLimits) {
      await trx
        .insertInto('time_limits')
        .values(
          DEFAULT_TIME_LIMITS.map((l) => ({
            step: l.step,
            category_id: null,
            urgency: l.urgency,
            unit_kind: l.unitKind,
            clock: l.clock,
            amount: l.amount,
            unit: l.unit,
          })),
        )
        .execute();
    }
  });
}

export interface SeedIds {
  units: Record<string, number>;
  users: Record<string, number>;
  categories: Record<string, number>;
}

/**
 * Heze demo organisation, taxonomy, catalogue and users. Skips when units exist already. With
 * `confirmBuiltinCalendar` (the demo that `npm start` seeds) the years chinese-days covers count as confirmed by
 * the demo admin, so the demo's tickets are not all marked 节假日未确认 and the warning is about the next year only
 * (第八条; tests leave it off to exercise confirmation themselves).
 */
export async function seedDemo(
  db: Kysely<DB>,
  now: Date,
  password = DEMO_PASSWORD,
  confirmBuiltinCalendar = false,
): Promise<SeedIds | null> {
  const existing = await db.selectFrom('units').select('id').limit(1).executeTakeFirst();
  if (existing) return null;
  const passwordHash = await hashPassword(password);
  return db.transaction().execute(async (trx) => {
    for (const r of REGIONS)
      await trx
        .insertInto('regions')
        .values({ code: r.code, name: r.name, level: r.level, parent_code: r.parent })
        .execute();
    const units: Record<string, number> = {};
    for (const u of UNITS) {
      const row = await trx
        .insertInto('units')
        .values({
          code: u.code,
          name: u.name,
          kind: u.kind,
          tier: u.tier,
          is_24x7: u.is24x7 ?? false,
          parent_id: u.parent ? units[u.parent]! : null,
          created_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      units[u.code] = row.id;
      for (const code of u.regions)
        await trx.insertInto('unit_regions').values({ unit_id: row.id, region_code: code }).execute();
    }
    const categories: Record<string, number> = {};
    for (const top of CATEGORIES) {
      const p = await trx
        .insertInto('categories')
        .values({ code: top.code, name: top.name, parent_id: null, level: 1 })
        .returning('id')
        .executeTakeFirstOrThrow();
      categories[top.code] = p.id;
      for (const c of top.children) {
        const row = await trx
          .insertInto('categories')
          .values({ code: c.code, name: c.name, parent_id: p.id, level: 2, keywords: c.keywords ?? [] })
          .returning('id')
          .executeTakeFirstOrThrow();
        categories[c.code] = row.id;
      }
    }
    for (const [cat, region, basis, tier, lead, assists] of CATALOGUE) {
      await trx
        .insertInto('catalogue_rules')
        .values({
          category_id: cat ? categories[cat]! : null,
          region_code: region,
          basis,
          tier,
          lead_unit_id: units[lead]!,
          assist_unit_ids: assists.map((a) => units[a]!),
        })
        .execute();
    }
    const users: Record<string, number> = {};
    for (const u of USERS) {
      const row = await trx
        .insertInto('users')
        .values({
          username: u.username,
          display_name: u.name,
          password_hash: u.machine ? '!' : passwordHash,
          unit_id: units[u.unit]!,
          roles: u.roles,
          scope: u.scope,
          created_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      users[u.username] = row.id;
    }
    // 第二十九条: the demo grid workers' grids
    for (const g of GRID_WORKERS)
      for (const grid of g.grids)
        await trx
          .insertInto('grid_workers')
          .values({ user_id: users[g.username]!, grid_code: grid, assigned_at: now })
          .execute();
    // 第二十九条: the demo grids' illustrative centre points for the 网格视图 map
    await trx
      .insertInto('grid_cells')
      .values(GRID_CENTRES.map((c) => ({ ...c, updated_at: now })))
      .execute();
    // 第十八条: the synonym groups searches expand with
    await seedKnowledgeSynonyms(trx, now, users['knowledge'] ?? null);
    if (confirmBuiltinCalendar) {
      const years = CALENDAR_YEARS.filter(chineseDaysCoversYear);
      await trx
        .insertInto('calendar_years')
        .values(
          years.map((year) => ({ year, source: 'builtin' as const, confirmed_by: users['admin']!, confirmed_at: now })),
        )
        .onConflict((oc) => oc.column('year').doNothing())
        .execute();
    }
    // 第十八条: the demo knowledge base (about 40 articles of the seeded units)
    await seedKnowledge(trx, { units, users, categories }, now);
    return { units, users, categories };
  });
}

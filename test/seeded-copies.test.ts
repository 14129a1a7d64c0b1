import { describe, expect, inject, it } from 'vitest';
import { openDatabase } from '../src/server/db/database.js';
import { migrateToLatest } from '../src/server/db/migrate.js';
import { DEMO_PASSWORD } from '../src/server/seed/heze-organisation.js';
import { seedDemo, seedReferenceData } from '../src/server/seed/seed.js';
import { openSeededDatabase, readSeedIds, TEST_START } from './helpers/seeded-database.js';

// The suite's files start from copies of one seeded database (global-setup.ts): a copy must be what seeding gives —
// the same ids, the same rows — and each file's copy its own.
describe('the seeded copies every test file starts from', () => {
  it('the run made them (PGlite always; PostgreSQL when it runs)', () => {
    const copies = inject('seededCopies');
    expect(copies.pgliteDump).toBeTruthy();
    if (inject('postgresUrl')) expect(copies.pgTemplate).toBeTruthy();
  });

  it('a copy has the ids seeding returns and the same rows; copies do not share writes', async () => {
    const fresh = await openDatabase({ dataDir: null });
    await migrateToLatest(fresh.db);
    await seedReferenceData(fresh.db);
    const ids = (await seedDemo(fresh.db, new Date(TEST_START), DEMO_PASSWORD))!;
    const count = async (h: typeof fresh, table: 'users' | 'units' | 'categories' | 'catalogue_rules' | 'regions') =>
      Number((await h.db.selectFrom(table).select(h.db.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

    const kinds = inject('postgresUrl') ? (['pglite', 'postgres'] as const) : (['pglite'] as const);
    for (const kind of kinds) {
      const a = await openSeededDatabase({ kind, adminUrl: inject('postgresUrl') ?? undefined, start: TEST_START });
      const b = await openSeededDatabase({ kind, adminUrl: inject('postgresUrl') ?? undefined, start: TEST_START });
      try {
        expect(a.ids, kind).toEqual(ids);
        expect(await readSeedIds(fresh.db)).toEqual(ids);
        for (const table of ['users', 'units', 'categories', 'catalogue_rules', 'regions'] as const)
          expect(await count(a.handle, table), `${kind} ${table}`).toBe(await count(fresh, table));
        await a.handle.db.deleteFrom('catalogue_rules').execute();
        expect(await count(a.handle, 'catalogue_rules')).toBe(0);
        expect(await count(b.handle, 'catalogue_rules')).toBe(await count(fresh, 'catalogue_rules'));
      } finally {
        for (const c of [a, b]) {
          await c.handle.close();
          await c.drop?.();
        }
      }
    }
    await fresh.close();
  }, 120_000);
});

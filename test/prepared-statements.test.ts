import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { pglitePool } from '../src/server/db/pglite-pool.js';
import { describeEachDb } from './helpers/test-env.js';

// Issue 8: on PostgreSQL the app's statements run prepared (src/server/db/prepared-statements.ts). A migration that
// changes a table's columns while processes run must not break `SELECT *` statements they prepared before it.
describeEachDb('prepared statements survive a migration', (env) => {
  it('a SELECT * prepared before a column is added still answers after it', async () => {
    const { db } = env();
    const read = () => sql<{ code: string }>`SELECT * FROM regions WHERE code = ${'371700'}`.execute(db);
    for (let i = 0; i < 12; i++) expect((await read()).rows[0]?.code).toBe('371700');
    await sql`ALTER TABLE regions ADD COLUMN prepared_probe integer`.execute(db);
    for (let i = 0; i < 12; i++) expect((await read()).rows[0]).toHaveProperty('prepared_probe', null);
    await sql`ALTER TABLE regions DROP COLUMN prepared_probe`.execute(db);
    expect((await read()).rows[0]).not.toHaveProperty('prepared_probe');
  });
});

// The app's parameterised statements run named on both databases: on PostgreSQL through node-postgres, on PGlite through
// its protocol API (src/server/db/pglite-pool.ts runNamed), where planning in WebAssembly made the ticket statement
// cost 4.5 ms a call unnamed.
describeEachDb('prepared statements are named and kept', (env) => {
  it('a parameterised statement is parsed once and run from its kept plan', async () => {
    const { db } = env();
    const marker = `probe-${Date.now()}`;
    await db.connection().execute(async (conn) => {
      const read = () =>
        sql<{
          code: string;
          m: string;
        }>`SELECT code, ${marker}::text AS m FROM regions WHERE code = ${'371700'}`.execute(conn);
      for (let i = 0; i < 3; i++) expect((await read()).rows).toEqual([{ code: '371700', m: marker }]);
      const kept = await sql<{ name: string; runs: number }>`
        SELECT name, (generic_plans + custom_plans)::int AS runs FROM pg_prepared_statements
        WHERE statement LIKE 'SELECT code, $1::text AS m FROM regions%'`.execute(conn);
      expect(kept.rows).toHaveLength(1);
      expect(kept.rows[0]!.name).toMatch(/^hz_[0-9a-f]{24}$/);
      expect(kept.rows[0]!.runs).toBeGreaterThanOrEqual(3);
    });
  });

  it('values of every kind the app sends arrive intact, on the first call and from the kept statement', async () => {
    const { db } = env();
    const at = new Date('2026-03-04T05:06:07.890Z');
    for (let i = 0; i < 2; i++) {
      const r = await sql<
        Record<string, unknown>
      >`SELECT ${42}::int AS i, ${'十二 345'}::text AS t, ${true}::boolean AS b,
        ${null}::text AS n, ${at}::timestamptz AS d, ${JSON.stringify({ a: [1, '二'] })}::jsonb AS j,
        ${['x', 'y,z']}::text[] AS arr, ${'9007199254740993'}::bigint::text AS big`.execute(db);
      expect(r.rows[0]).toEqual({
        i: 42,
        t: '十二 345',
        b: true,
        n: null,
        d: at,
        j: { a: [1, '二'] },
        arr: ['x', 'y,z'],
        big: '9007199254740993',
      });
    }
  });

  it('an error in a kept statement surfaces with its code, and the connection goes on', async () => {
    const { db } = env();
    const divide = (d: number) => sql<{ q: number }>`SELECT (10 / ${d}::int)::int AS q`.execute(db);
    expect((await divide(5)).rows[0]!.q).toBe(2);
    await expect(divide(0)).rejects.toMatchObject({ code: '22012' });
    expect((await divide(2)).rows[0]!.q).toBe(5);
  });
});

describe('PGlite: named statements through its protocol API', () => {
  it('a second pool on the same instance prepares the same names again without error', async () => {
    const lite = new PGlite();
    const open = () =>
      new Kysely<Record<string, never>>({ dialect: new PostgresDialect({ pool: pglitePool(lite) as never }) });
    const first = open();
    const second = open();
    const read = (db: Kysely<Record<string, never>>) => sql<{ v: number }>`SELECT ${7}::int + 1 AS v`.execute(db);
    expect((await read(first)).rows).toEqual([{ v: 8 }]);
    expect((await read(second)).rows).toEqual([{ v: 8 }]);
    expect((await read(first)).rows).toEqual([{ v: 8 }]);
    await lite.close();
  });
});

import { sql } from 'kysely';
import { expect, it } from 'vitest';
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

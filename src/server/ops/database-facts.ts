// What a backup records about its database, read the same way from a PostgreSQL client (inside the dump's snapshot)
// and from PGlite: the server version, the applied migrations, the tables of schema public and their row counts,
// and the attachment storage keys the rows name. Plain SQL through a one-function adapter, so both drivers fit.

export type Query = <R extends Record<string, unknown>>(text: string) => Promise<R[]>;

export interface DatabaseFacts {
  serverVersion: string;
  migrations: string[];
  rowCounts: Record<string, number>;
}

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Relations of schema public (tables, views, sequences…): a restore target must have none. */
export async function publicRelations(q: Query): Promise<string[]> {
  const rows = await q<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') ORDER BY 1`,
  );
  return rows.map((r) => r.name);
}

/** Base tables of schema public, by name. */
export async function publicTables(q: Query): Promise<string[]> {
  const rows = await q<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') ORDER BY 1`,
  );
  return rows.map((r) => r.name);
}

export async function rowCounts(q: Query): Promise<Record<string, number>> {
  const tables = await publicTables(q);
  if (!tables.length) return {};
  const rows = await q<{ t: string; n: string }>(
    tables
      .map((t) => `SELECT ${quoteLiteral(t)} AS t, count(*)::text AS n FROM public.${ident(t)}`)
      .join(' UNION ALL '),
  );
  return Object.fromEntries(rows.map((r) => [r.t, Number(r.n)]));
}

/** Applied migrations ascending; null when the database was never migrated (no kysely_migration table). */
export async function appliedMigrations(q: Query): Promise<string[] | null> {
  const t = await q<{ n: string }>(`SELECT to_regclass('public.kysely_migration')::text AS n`);
  if (!t[0]?.n) return null;
  const rows = await q<{ name: string }>(`SELECT name FROM public.kysely_migration ORDER BY name`);
  return rows.map((r) => r.name);
}

export async function serverVersion(q: Query): Promise<string> {
  const rows = await q<{ server_version: string }>('SHOW server_version');
  return rows[0]!.server_version;
}

/** Every attachment storage key the database names: the values of each public.*.storage_key column. */
export async function storageKeys(q: Query): Promise<string[]> {
  const cols = await q<{ table_name: string }>(
    `SELECT table_name FROM information_schema.columns
      WHERE table_schema = 'public' AND column_name = 'storage_key' ORDER BY 1`,
  );
  if (!cols.length) return [];
  const rows = await q<{ k: string }>(
    cols.map((c) => `SELECT storage_key AS k FROM public.${ident(c.table_name)}`).join(' UNION '),
  );
  return rows.map((r) => r.k).sort();
}

function quoteLiteral(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/** The adapter for a node-postgres client (PGlite's is `(text) => lite.query(text).rows`). */
export function clientQuery(client: {
  query<R extends Record<string, unknown>>(text: string): Promise<{ rows: R[] }>;
}): Query {
  return async <R extends Record<string, unknown>>(text: string) => (await client.query<R>(text)).rows;
}

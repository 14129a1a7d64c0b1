import { createHash } from 'node:crypto';

// Issue 8: PostgreSQL spent 2.2 ms of CPU per created ticket against 1.05 ms for the same writes in pgbench, most of
// it parsing and planning the same statements again on every call (node-postgres sends unnamed statements). Naming
// a statement makes the server keep its parse tree and plan per connection: intake went from 0.31 to 0.40 of
// pgbench on the same machine (docs/benchmarks.md). Three guards keep that safe:
// - statements with LIKE are never named: a generic plan cannot turn `region_code LIKE $1` into an index range, and
//   the work queues and search depend on that (a custom plan per call, as before); nor is a full-text match (`@@`):
//   how many rows a tsquery matches decides between its GIN index and anything else, and a generic plan cannot
//   know it (the knowledge base's search went from 15 ms to 500 ms on its sixth call at 100 000 articles);
// - at most MAX_NAMED statements per connection: Kysely writes a new text for every length of an IN list, and a
//   connection must not collect them without bound;
// - a named statement whose result type a migration changed ("cached plan must not change result type") is
//   dropped from this connection and the call retried unnamed when it ran outside a transaction. Inside one the
//   transaction is already aborted: that call fails once (a rolling deploy's old process), the next ones do not.

export const MAX_NAMED = 500;

export interface QueryClient {
  query(config: string | { name?: string; text: string; values?: unknown[] }, values?: unknown[]): Promise<unknown>;
  release(err?: Error | boolean): void;
}

const HAS_LIKE = /\blike\b|@@/i;

/**
 * A statement's name and whether it may be named, per text. The app's texts are few (Kysely writes the same text for
 * the same query): hashing and scanning a 3 KB text on every call was ≈ 1 % of the app's thread at 8 tickets in
 * flight (issue 8). At most 2 000 texts of up to 16 384 characters; when full it starts again.
 */
const seen = new Map<string, { name: string; likeFree: boolean }>();
function statementOf(text: string) {
  let s = seen.get(text);
  if (!s) {
    s = { name: 'hz_' + createHash('sha1').update(text).digest('hex').slice(0, 24), likeFree: !HAS_LIKE.test(text) };
    // a long text (a bulk insert's rows) is not kept: 2 000 of them could hold hundreds of megabytes
    if (text.length <= 16_384) {
      if (seen.size >= 4 * MAX_NAMED) seen.clear();
      seen.set(text, s);
    }
  }
  return s;
}

/** Whether a statement may be kept prepared. */
export function preparable(text: string, values: readonly unknown[] | undefined): boolean {
  return mayName(statementOf(text), values);
}
const mayName = (s: { likeFree: boolean }, values: readonly unknown[] | undefined) =>
  !!values && values.length > 0 && s.likeFree;

/** Wraps a pooled client so that Kysely's parameterised statements run as named (prepared) statements. */
export function preparingClient(client: QueryClient, state = new WeakMap<QueryClient, ClientState>()): QueryClient {
  let s = state.get(client);
  if (!s) state.set(client, (s = { named: new Set(), refused: new Set(), inTransaction: false }));
  const st = s;
  return {
    async query(text: string | { text: string; values?: unknown[] }, values?: unknown[]) {
      if (typeof text !== 'string') return client.query(text, values);
      trackTransaction(st, text);
      const statement = statementOf(text);
      const { name } = statement;
      const known = st.named.has(name);
      if (!mayName(statement, values) || st.refused.has(name) || (!known && st.named.size >= MAX_NAMED)) {
        return client.query(text, values);
      }
      st.named.add(name);
      try {
        return await client.query({ name, text, values });
      } catch (err) {
        if ((err as { code?: string }).code !== '0A000') throw err;
        st.refused.add(name);
        if (st.inTransaction) throw err;
        return client.query(text, values);
      }
    },
    release: (err) => client.release(err),
  };
}

interface ClientState {
  named: Set<string>;
  refused: Set<string>;
  inTransaction: boolean;
}

function trackTransaction(s: ClientState, text: string) {
  const t = text.trimStart().slice(0, 20).toLowerCase();
  if (t.startsWith('begin') || t.startsWith('start transaction')) s.inTransaction = true;
  else if (t.startsWith('commit') || (t.startsWith('rollback') && !t.startsWith('rollback to')) || t.startsWith('end'))
    s.inTransaction = false;
}

/** A pg.Pool as Kysely's PostgresDialect takes it, handing out preparing clients; the state lives per connection. */
export function preparingPool(pool: { connect(): Promise<QueryClient>; end(): Promise<void> }): {
  connect(): Promise<QueryClient>;
  end(): Promise<void>;
} {
  const state = new WeakMap<QueryClient, ClientState>();
  return {
    connect: async () => preparingClient(await pool.connect(), state),
    end: () => pool.end(),
  };
}

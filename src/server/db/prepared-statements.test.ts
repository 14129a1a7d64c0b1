import { describe, expect, it } from 'vitest';
import { MAX_NAMED, preparable, preparingClient, type QueryClient } from './prepared-statements.js';

type Call = string | { name?: string; text: string; values?: unknown[] };

function fakeClient(fail?: (c: Call) => Error | undefined) {
  const calls: Call[] = [];
  const client: QueryClient = {
    async query(c: Call) {
      calls.push(c);
      const err = fail?.(c);
      if (err) throw err;
      return { rows: [] };
    },
    release() {},
  };
  return { client, calls };
}
const resultTypeChanged = () => Object.assign(new Error('cached plan must not change result type'), { code: '0A000' });

describe('prepared statements (issue 8 intake)', () => {
  it('names parameterised statements, not LIKE ones nor those without parameters', () => {
    expect(preparable('select * from tickets where id = $1', [1])).toBe(true);
    expect(preparable('select 1', [])).toBe(false);
    expect(preparable('select 1', undefined)).toBe(false);
    expect(preparable('select id from tickets where region_code LIKE $1', ['3717%'])).toBe(false);
    expect(preparable('select id from t where "likes" = $1', [1])).toBe(true);
    expect(preparable("select id from t where v @@ to_tsquery('simple', $1)", ['x'])).toBe(false);
  });

  it('sends the same name for the same text, and plain text for the others', async () => {
    const { client, calls } = fakeClient();
    const c = preparingClient(client);
    await c.query('select * from tickets where id = $1', [1]);
    await c.query('select * from tickets where id = $1', [2]);
    await c.query('select * from tickets where region_code like $1', ['37%']);
    const [a, b, like] = calls as Array<{ name?: string }>;
    expect(a!.name).toMatch(/^hz_[0-9a-f]{24}$/);
    expect(b!.name).toBe(a!.name);
    expect(like).toBe('select * from tickets where region_code like $1');
  });

  it('names at most MAX_NAMED statements per connection', async () => {
    const { client, calls } = fakeClient();
    const c = preparingClient(client);
    for (let i = 0; i <= MAX_NAMED; i++) await c.query(`select ${i} where $1::int = 1`, [1]);
    expect(calls.filter((x) => typeof x !== 'string')).toHaveLength(MAX_NAMED);
    expect(typeof calls.at(-1)).toBe('string');
  });

  it('drops a statement whose result type changed and retries it unnamed outside a transaction', async () => {
    let broken = true;
    const { client, calls } = fakeClient((x) => (typeof x !== 'string' && broken ? resultTypeChanged() : undefined));
    const c = preparingClient(client);
    await expect(c.query('select * from users where id = $1', [1])).resolves.toBeDefined();
    broken = false;
    await c.query('select * from users where id = $1', [1]);
    expect(calls.map((x) => typeof x)).toEqual(['object', 'string', 'string']);
  });

  it('inside a transaction the error surfaces (the transaction is aborted), and the statement stays unnamed', async () => {
    const { client, calls } = fakeClient((x) => (typeof x !== 'string' ? resultTypeChanged() : undefined));
    const c = preparingClient(client);
    await c.query('begin');
    await expect(c.query('select * from users where id = $1', [1])).rejects.toThrow('result type');
    await c.query('rollback');
    await c.query('select * from users where id = $1', [1]);
    expect(calls.map((x) => typeof x)).toEqual(['string', 'object', 'string', 'string']);
  });

  it('other errors pass through untouched', async () => {
    const { client } = fakeClient(() => Object.assign(new Error('duplicate key'), { code: '23505' }));
    await expect(preparingClient(client).query('insert into x values ($1)', [1])).rejects.toMatchObject({
      code: '23505',
    });
  });
});

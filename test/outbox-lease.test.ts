import { expect, it } from 'vitest';
import { OutboxWorker } from '../src/server/jobs/outbox.js';
import type { SmsSender } from '../src/server/modules/channels/sms-sender.js';
import { describeEachDb, type TestEnv } from './helpers/test-env.js';

const quiet = { info() {}, warn() {}, error() {} };
const enqueue = async (e: TestEnv, body: string) =>
  (
    await e.db
      .insertInto('outbound_messages')
      .values({
        channel: 'sms',
        to_enc: e.cipher.encrypt('13512345678'),
        purpose: 'test',
        body,
        created_at: e.clock.now(),
      })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;

describeEachDb('outbox: the gateway is called outside any transaction', (env) => {
  it('a slow gateway does not hold the database: other work goes on while it sends', async () => {
    const e = env();
    const id = await enqueue(e, 'slow');
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let started!: () => void;
    const sending = new Promise<void>((r) => (started = r));
    const slow: SmsSender = {
      name: 'slow',
      send: async () => {
        started();
        await gate;
        return { providerId: 'p-1' };
      },
    };
    const pass = new OutboxWorker(e.db, e.clock, e.cipher, slow, quiet, { maxAttempts: 3, batchSize: 1 }).runOnce();
    await sending;
    // with the send in flight the (only, on PGlite) connection is free and the row shows the lease
    const during = await e.db
      .selectFrom('outbound_messages')
      .select(['status', 'lease_until'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(during.status).toBe('sending');
    expect(during.lease_until).not.toBeNull();
    release();
    expect(await pass).toEqual({ sent: 1, retried: 0, failed: 0 });
    const after = await e.db.selectFrom('outbound_messages').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(after).toMatchObject({ status: 'sent', provider_id: 'p-1', lease_until: null, attempts: 1 });
  });

  it('a message left sending by a dead worker is sent again once its lease runs out', async () => {
    const e = env();
    const id = await enqueue(e, 'orphan');
    await e.db
      .updateTable('outbound_messages')
      .set({ status: 'sending', attempts: 1, lease_until: new Date(e.clock.now().getTime() + 60_000) })
      .where('id', '=', id)
      .execute();
    const ok: SmsSender = { name: 'ok', send: async () => ({ providerId: 'p-2' }) };
    const worker = new OutboxWorker(e.db, e.clock, e.cipher, ok, quiet, { maxAttempts: 3 });
    await worker.runOnce();
    expect(
      (await e.db.selectFrom('outbound_messages').select('status').where('id', '=', id).executeTakeFirstOrThrow())
        .status,
    ).toBe('sending');
    e.clock.advanceHours(1);
    await worker.runOnce();
    expect(
      await e.db
        .selectFrom('outbound_messages')
        .select(['status', 'attempts'])
        .where('id', '=', id)
        .executeTakeFirstOrThrow(),
    ).toEqual({ status: 'sent', attempts: 2 });
  });
});

import { randomBytes } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { ManualClock } from '../src/server/clock.js';
import { openDatabase } from '../src/server/db/database.js';
import { migrateToLatest } from '../src/server/db/migrate.js';
import { buildApp } from '../src/server/http/app.js';
import { fanOutOnce } from '../src/server/jobs/unit-feed.js';
import { WebhookDeliveryWorker } from '../src/server/jobs/webhook-delivery.js';
import { PiiCipher } from '../src/server/security/pii-cipher.js';
import { DEMO_PASSWORD } from '../src/server/seed/heze-organisation.js';
import { seedDemo, seedReferenceData } from '../src/server/seed/seed.js';
import { createThrowawayPgDatabase } from '../test/helpers/pg-database.js';
import { WebhookReceiver } from '../test/helpers/webhook-receiver.js';
import { TicketGenerator } from './generate.js';
import { stats } from './http.js';
import { loadTicketTexts } from './ticket-texts.js';

// npm run bench:sharing [-- --tickets 200000 --deliveries 2000 --seconds 10]
// 第三十条 data sharing on PostgreSQL (a throw-away database):
// 1. bulk-generated history (bench/generate.ts: realistic tickets with their events — every event but `created`
//    queued by the trigger), then the fan-out of all of it to the units' feeds: events/s;
// 2. feed pages/s for the busiest unit (牡丹区人民政府) through GET /api/units/feed with a feed:read token —
//    limit 100 at random positions of its feed, 1 and 4 in flight — each page a keyset read, payloads built and
//    masked, and an access-log row appended (hash chain);
// 3. webhook deliveries/s to a local receiver (node:http on 127.0.0.1 in this process, verifying every
//    signature): one subscription, then four subscriptions of four units served concurrently.

const { values: args } = parseArgs({
  options: {
    tickets: { type: 'string', default: '200000' },
    deliveries: { type: 'string', default: '2000' },
    seconds: { type: 'string', default: '10' },
  },
});
const TICKETS = Number(args.tickets);
const DELIVERIES = Number(args.deliveries);
const SECONDS = Number(args.seconds);
const PG_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const quiet = { info() {}, warn() {}, error() {} };
const line = (s: string) => process.stdout.write(`${s}\n`);

async function main() {
  const created = await createThrowawayPgDatabase(PG_URL, 'hz_bench_share');
  const handle = await openDatabase({ url: created.url, poolSize: 10 });
  const db = handle.db;
  const clock = new ManualClock(new Date());
  const cipher = new PiiCipher(randomBytes(32));
  try {
    line(`# data sharing benchmark (PostgreSQL), ${new Date().toISOString()}`);
    line(
      `machine: ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), load average ${loadavg()
        .map((x) => x.toFixed(1))
        .join(' ')}`,
    );
    await migrateToLatest(db);
    await seedReferenceData(db);
    const ids = (await seedDemo(db, clock.now(), DEMO_PASSWORD))!;
    const gen = new TicketGenerator(db, ids, loadTicketTexts());
    await gen.prepare();
    let t0 = performance.now();
    const load = await gen.loadTo(TICKETS, clock.now(), 20_000, (done, total) => {
      if (done % 100_000 === 0 || done === total) line(`  loaded ${done}/${total} tickets`);
    });
    line(
      `history: ${load.tickets} tickets, ${load.events} events in ${((performance.now() - t0) / 1000).toFixed(0)} s`,
    );

    // ---- 1. fan-out of the whole history
    const queued = (await sql<{ n: number }>`SELECT count(*)::int AS n FROM sharing_event_queue`.execute(db)).rows[0]!
      .n;
    t0 = performance.now();
    let events = 0;
    let feedRows = 0;
    for (;;) {
      const r = await fanOutOnce(db, clock, 5_000);
      if (!r || r.events === 0) break;
      events += r.events;
      feedRows += r.feedRows;
    }
    const fanSeconds = (performance.now() - t0) / 1000;
    await sql`ANALYZE`.execute(db);
    line(
      `fan-out: ${events} queued events (of ${queued}) → ${feedRows} feed rows in ${fanSeconds.toFixed(1)} s = ${Math.round(events / fanSeconds)} events/s (batches of 5 000)`,
    );

    // ---- 2. feed pages
    const { app } = await buildApp({ db, clock, cipher, logLevel: 'silent' });
    await app.ready();
    const md = ids.units['gov-md']!;
    const login = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'admin', password: DEMO_PASSWORD },
    });
    const cookie = String(login.headers['set-cookie']).split(';')[0]!;
    const token = (
      await app.inject({
        method: 'POST',
        url: '/api/admin/api-tokens',
        headers: { cookie },
        payload: { unitId: md, name: 'bench', scopes: ['feed:read'] },
      })
    ).json<{ token: string }>().token;
    const span = (
      await sql<{
        lo: number;
        hi: number;
        n: number;
      }>`SELECT min(id)::bigint AS lo, max(id)::bigint AS hi, count(*)::int AS n FROM unit_feed WHERE unit_id = ${md}`.execute(
        db,
      )
    ).rows[0]!;
    line(`feed of 牡丹区人民政府: ${span.n} events (unit_feed rows in all: ${feedRows})`);
    const { encodeFeedCursor } = await import('../src/server/domain/feed-cursor.js');
    const page = async () => {
      const at = Math.floor(Number(span.lo) + Math.random() * (Number(span.hi) - Number(span.lo)));
      const s = performance.now();
      const r = await app.inject({
        method: 'GET',
        url: `/api/units/feed?limit=100&after=${encodeFeedCursor(md, at)}`,
        headers: { authorization: `Bearer ${token}` },
      });
      if (r.statusCode !== 200) throw new Error(`feed ${r.statusCode} ${r.body.slice(0, 200)}`);
      return performance.now() - s;
    };
    for (let i = 0; i < 20; i++) await page(); // warm-up
    for (const inFlight of [1, 4]) {
      const lat: number[] = [];
      const end = performance.now() + SECONDS * 1000;
      await Promise.all(
        Array.from({ length: inFlight }, async () => {
          while (performance.now() < end) lat.push(await page());
        }),
      );
      const st = stats(lat);
      line(
        `feed pages (100 events each), ${inFlight} in flight: ${(lat.length / SECONDS).toFixed(1)} pages/s = ${Math.round((lat.length * 100) / SECONDS)} events/s; p50 ${st.p50.toFixed(1)} ms, p95 ${st.p95.toFixed(1)} ms`,
      );
    }

    // ---- 3. webhook deliveries to local receivers
    const units = ['gov-md', 'cgj', 'zjj', 'water'];
    const receivers: WebhookReceiver[] = [];
    const subs: number[] = [];
    for (const code of units) {
      const r = new WebhookReceiver([], () => Math.floor(clock.now().getTime() / 1000));
      await r.start();
      receivers.push(r);
      const s = (
        await app.inject({
          method: 'POST',
          url: '/api/sharing/subscriptions',
          headers: { cookie },
          payload: { unitId: ids.units[code], name: `bench ${code}`, url: r.url, eventGroups: ['handling'] },
        })
      ).json<{ id: number; secret: string }>();
      r.secrets = [s.secret];
      subs.push(s.id);
    }
    const addEvents = async (unitCodes: string[], perUnit: number) => {
      for (const code of unitCodes) {
        // progress reports on the unit's open tickets, written as the API writes events (the trigger queues them)
        await sql`
          INSERT INTO ticket_events (ticket_id, kind, at, actor_unit_id, from_status, to_status, data)
          SELECT t.id, 'progress_reported', ${clock.now()}, t.lead_unit_id, 'in_progress', 'in_progress',
                 jsonb_build_object('content', '已联系施工单位，正在处理')
          FROM (SELECT id, lead_unit_id FROM tickets WHERE lead_unit_id = ${ids.units[code]} AND status = 'in_progress'
                ORDER BY id LIMIT ${Math.ceil(perUnit / 2)}) t CROSS JOIN generate_series(1, 2)`.execute(db);
      }
      for (;;) {
        const r = await fanOutOnce(db, clock, 5_000);
        if (!r || r.events === 0) break;
      }
    };
    const deliver = async (label: string, subCount: number) => {
      const w = new WebhookDeliveryWorker(db, clock, cipher, quiet, {
        concurrency: 4,
        perSubscription: 100_000,
        passBudgetMs: 600_000,
      });
      const before = receivers.reduce((n, r) => n + r.processed.length, 0);
      const s = performance.now();
      const p = await w.drain();
      const secs = (performance.now() - s) / 1000;
      const got = receivers.reduce((n, r) => n + r.processed.length, 0) - before;
      const bad = receivers.reduce((n, r) => n + r.requests.filter((m) => !m.signatureOk).length, 0);
      line(
        `webhook, ${label}: ${p.delivered} delivered (${got} verified by the receivers, ${bad} bad signatures, ${p.retried + p.dead} failed) in ${secs.toFixed(1)} s = ${Math.round(p.delivered / secs)} events/s`,
      );
      void subCount;
    };
    // one subscription: pause the other three
    for (const [i, id] of subs.entries())
      if (i > 0) await db.updateTable('webhook_subscriptions').set({ status: 'paused' }).where('id', '=', id).execute();
    await addEvents(['gov-md'], DELIVERIES);
    await deliver('1 subscription (in order, one at a time)', 1);
    await db.updateTable('webhook_subscriptions').set({ status: 'active' }).execute();
    await addEvents(units.slice(1), DELIVERIES);
    await addEvents(['gov-md'], DELIVERIES);
    await deliver('4 subscriptions of 4 units at once', 4);
    const chain = (await sql<{ n: number }>`SELECT count(*)::int AS n FROM access_log`.execute(db)).rows[0]!.n;
    const { verifyAccessChain } = await import('../src/server/modules/sharing/access-log.service.js');
    t0 = performance.now();
    const v = await verifyAccessChain(db);
    line(
      `access log: ${chain} rows; audit:verify ${v.ok ? 'intact' : 'BROKEN'} in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
    for (const r of receivers) await r.stop();
    await app.close();
  } finally {
    await handle.close();
    await created.drop();
  }
}

await main();

import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { systemClock } from '../src/server/clock.js';
import { openDatabase, type DatabaseHandle } from '../src/server/db/database.js';
import { migrateToLatest } from '../src/server/db/migrate.js';
import type { Actor } from '../src/server/modules/auth/actor.js';
import { TicketService } from '../src/server/modules/tickets/tickets.service.js';
import { PiiCipher } from '../src/server/security/pii-cipher.js';
import { seedDemo, seedReferenceData } from '../src/server/seed/seed.js';

// npx tsx bench/pglite-durability.ts [--dir /path/on/the/real/disk] [--tickets 300] [--commits 500] [--rounds 3]
// What PGlite's durable mode (fsync at commit, src/server/db/pglite-pool.ts) costs: one-row commits per second
// and ticket creations per second (TicketService.create: requester, ticket, receipt SMS, event — one transaction),
// with and without, in alternating rounds so a busy machine hurts both alike. The median round is printed.
// Run it on the disk the data will live on (--dir): a tmpfs makes fsync free and the comparison meaningless.

const { values: args } = parseArgs({
  options: {
    dir: { type: 'string', default: '' },
    tickets: { type: 'string', default: '300' },
    commits: { type: 'string', default: '500' },
    rounds: { type: 'string', default: '3' },
  },
});
const TICKETS = Number(args.tickets);
const COMMITS = Number(args.commits);
const ROUNDS = Number(args.rounds);

interface Round {
  commitsPerSec: number;
  ticketsPerSec: number;
  fsyncsPerTicket: number;
  fsyncShare: number;
  fsyncMs: number;
}

async function open(durable: boolean, onFsync: (ms: number) => void): Promise<{ handle: DatabaseHandle; dir: string }> {
  const dir = mkdtempSync(join(args.dir || tmpdir(), 'hz-durability-'));
  const handle = await openDatabase({ dataDir: dir, durable, onFsync });
  return { handle, dir };
}

async function round(durable: boolean): Promise<Round> {
  let fsyncs = 0;
  let fsyncMs = 0;
  const { handle, dir } = await open(durable, (ms) => {
    fsyncs++;
    fsyncMs += ms;
  });
  try {
    const db = handle.db;
    await migrateToLatest(db);
    await seedReferenceData(db);
    const ids = (await seedDemo(db, new Date(), 'Bench12345!'))!;
    const unit = ids.units['centre']!;
    const actor: Actor = {
      userId: ids.users['agent']!,
      username: 'agent',
      displayName: 'agent',
      unitId: unit,
      roles: ['agent'],
      scope: 'region',
      regionPrefixes: ['3717'],
    };
    const tickets = new TicketService({ db, clock: systemClock, cipher: new PiiCipher(randomBytes(32)) });

    await sql`CREATE TABLE bench_commits (id serial PRIMARY KEY, v text)`.execute(db);
    let t0 = performance.now();
    for (let i = 0; i < COMMITS; i++)
      await db.transaction().execute((trx) => sql`INSERT INTO bench_commits (v) VALUES (${`row ${i}`})`.execute(trx));
    const commitsPerSec = COMMITS / ((performance.now() - t0) / 1000);

    const before = fsyncs;
    const msBefore = fsyncMs;
    t0 = performance.now();
    for (let i = 0; i < TICKETS; i++) {
      await tickets.create(actor, {
        requestType: 'complaint',
        categoryId: ids.categories['CX-SZ']!,
        urgency: 'normal',
        regionCode: '371702001',
        address: `牡丹区东城街道和平路${i}号`,
        title: '和平路路灯不亮',
        content: `和平路与中华路交叉口往东一段路灯连续一周不亮（第 ${i} 件）。`,
        requester: { name: '张秀英', phone: `139${String(10_000_000 + i).slice(-8)}` },
      });
    }
    const elapsed = performance.now() - t0;
    const ticketsPerSec = TICKETS / (elapsed / 1000);
    // Within one run, the share of ticket creation spent waiting in fsync: what durability costs, measured where
    // load from other processes hits both parts alike (a comparison across runs is at its mercy on a shared machine).
    const spent = fsyncMs - msBefore;
    return {
      commitsPerSec,
      ticketsPerSec,
      fsyncsPerTicket: (fsyncs - before) / TICKETS,
      fsyncShare: spent / elapsed,
      fsyncMs: fsyncs > before ? spent / (fsyncs - before) : 0,
    };
  } finally {
    await handle.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const results: Record<'default' | 'durable', Round[]> = { default: [], durable: [] };
console.log(
  `PGlite durability: ${ROUNDS} rounds × (${COMMITS} one-row commits, ${TICKETS} tickets), data under ${args.dir || tmpdir()}, load ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
for (let r = 0; r < ROUNDS; r++) {
  // alternate which mode goes first so warm-up and background load fall on both
  for (const mode of r % 2 === 0 ? (['default', 'durable'] as const) : (['durable', 'default'] as const)) {
    const res = await round(mode === 'durable');
    results[mode].push(res);
    console.log(
      `  round ${r + 1} ${mode.padEnd(7)}: ${res.commitsPerSec.toFixed(0)} commits/s, ${res.ticketsPerSec.toFixed(1)} tickets/s, ${res.fsyncsPerTicket.toFixed(2)} fsync per ticket` +
        (mode === 'durable'
          ? `, ${res.fsyncMs.toFixed(2)} ms per fsync, ${(res.fsyncShare * 100).toFixed(1)} % of ticket time in fsync`
          : ''),
    );
  }
}
const summary = (mode: 'default' | 'durable') => ({
  commits: median(results[mode].map((x) => x.commitsPerSec)),
  tickets: median(results[mode].map((x) => x.ticketsPerSec)),
});
const d = summary('default');
const u = summary('durable');
const cost = (a: number, b: number) => `${(((a - b) / a) * 100).toFixed(1)} %`;
console.log(`median  default: ${d.commits.toFixed(0)} commits/s, ${d.tickets.toFixed(1)} tickets/s`);
console.log(`median  durable: ${u.commits.toFixed(0)} commits/s, ${u.tickets.toFixed(1)} tickets/s`);
console.log(
  `cost of durability (medians): ${cost(d.commits, u.commits)} on commits, ${cost(d.tickets, u.tickets)} on ticket creation`,
);
// The rounds run back to back in pairs, so the ratio within a pair is less exposed to load from other processes.
const paired = (k: 'commitsPerSec' | 'ticketsPerSec') =>
  1 - median(results.durable.map((x, i) => x[k] / results.default[i]![k]));
console.log(
  `share of ticket creation spent in fsync (durable rounds, median): ${(median(results.durable.map((x) => x.fsyncShare)) * 100).toFixed(1)} %, ${median(results.durable.map((x) => x.fsyncMs)).toFixed(2)} ms per fsync`,
);
console.log(
  `cost of durability (median of paired rounds): ${(paired('commitsPerSec') * 100).toFixed(1)} % on commits, ${(paired('ticketsPerSec') * 100).toFixed(1)} % on ticket creation`,
);

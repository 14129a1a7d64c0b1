import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { openDatabase } from '../src/server/db/database.js';
import { migrateToLatest } from '../src/server/db/migrate.js';
import { seedDemoHistory } from '../src/server/demo/history.js';
import { addDays, localDateOf, WorkingCalendar } from '../src/server/domain/calendar.js';
import { detectSpikes, evaluateDetector, type DailyCount } from '../src/server/domain/early-warning.js';
import { backtest, forecastNext, type ForecastMethod } from '../src/server/domain/forecast.js';
import { seededRng } from '../src/server/demo/history-lifecycle.js';
import { loadCalendarOverrides } from '../src/server/modules/config/config.repository.js';
import { PiiCipher } from '../src/server/security/pii-cipher.js';
import { DEMO_PASSWORD } from '../src/server/seed/heze-organisation.js';
import { seedDemo, seedReferenceData } from '../src/server/seed/seed.js';

// npm run bench:warnings -- [--years 3] [--tickets 15000] [--seed 12345]
// 第二十七条 early warning and 第二十八条 seasonal forecasts, evaluated on the demo history (docs/benchmarks.md):
// `years` of Heze's seeded tickets (seasons, weekdays, 调休, clusters) are written to an in-memory PGlite, counted per
// day × top-level category × county, and
//  - the spike detector runs on every series as it is (alarms per month; the history's own emerging clusters are
//    real alarms, so this is an upper bound on false alarms) and with spikes injected on random days of
//    +3, +5 and +8 "noise widths" (√ of the day's same-kind average, at least 5 tickets): recall per size;
//  - each forecast method is backtested on the monthly series (one step ahead, last 6 months), and the chosen one.

const { values: args } = parseArgs({
  options: {
    years: { type: 'string', default: '3' },
    tickets: { type: 'string', default: '15000' },
    seed: { type: 'string', default: '12345' },
  },
});
const YEARS = Number(args.years);
const now = new Date();

const handle = await openDatabase({});
const db = handle.db;
await migrateToLatest(db);
await seedReferenceData(db);
await seedDemo(db, now, DEMO_PASSWORD, true);
const cipher = new PiiCipher(randomBytes(32));
const t0 = performance.now();
const written = await seedDemoHistory(db, cipher, now, {
  days: YEARS * 365,
  tickets: Number(args.tickets),
  seed: Number(args.seed),
});
console.log(
  `demo history: ${written.tickets} tickets over ${YEARS} years in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
);

const calendar = new WorkingCalendar(await loadCalendarOverrides(db));
const dayType = (d: string) => (calendar.isWorkingDay(d) ? ('workday' as const) : ('restday' as const));

// one scan for the benchmark (screens read the rollup): day × top-level category × county
const rows = (
  await sql<{ day: string; cat: number; county: string; n: number }>`
    SELECT to_char(t.created_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS day,
           coalesce(p.id, c.id) AS cat, left(t.region_code, 6) AS county, count(*)::int AS n
    FROM tickets t JOIN categories c ON c.id = t.category_id LEFT JOIN categories p ON p.id = c.parent_id AND c.level > 1
    GROUP BY 1, 2, 3`.execute(db)
).rows;
const first = localDateOf(new Date(now.getTime() - YEARS * 365 * 86_400_000));
const last = localDateOf(now);
const days: string[] = [];
for (let d = first; d <= last; d = addDays(d, 1)) days.push(d);
const bySeries = new Map<string, Map<string, number>>();
for (const r of rows) {
  const k = `${r.cat}|${r.county}`;
  if (!bySeries.has(k)) bySeries.set(k, new Map());
  bySeries.get(k)!.set(r.day, r.n);
}
// series with at least one ticket a week on average: the rest are too thin to watch day by day
const series = [...bySeries.entries()]
  .map(([k, m]) => ({ key: k, days: days.map((day) => ({ day, count: m.get(day) ?? 0 })) }))
  .filter((s) => s.days.reduce((a, d) => a + d.count, 0) >= days.length / 7);
console.log(`${series.length} series (top-level category × county) with ≥ 1 ticket a week, ${days.length} days each`);

// ---- detector ----------------------------------------------------------------------------------------------
const months = days.length / 30;
let plain = 0;
for (const s of series) plain += detectSpikes(s.days, dayType).length;
console.log(
  `detector, no injection: ${plain} alarms in ${series.length} series = ${(plain / series.length / months).toFixed(2)} per series-month (includes the history's own clusters)`,
);
const rng = seededRng(Number(args.seed) + 1);
for (const size of [3, 5, 8]) {
  let injected = 0;
  let detected = 0;
  let falseAlarms = 0;
  for (const s of series) {
    const bumped: DailyCount[] = s.days.map((d) => ({ ...d }));
    const hits = new Set<string>();
    // one spike a month on a random day after the first 60 (the detector needs history), never two days running
    for (let i = 60; i < bumped.length; i += 30) {
      const j = i + Math.floor(rng() * 25);
      if (j >= bumped.length) break;
      const same = bumped.slice(Math.max(0, j - 28), j).filter((d) => dayType(d.day) === dayType(bumped[j]!.day));
      const avg = same.reduce((a, d) => a + d.count, 0) / Math.max(1, same.length);
      bumped[j]!.count += Math.max(5, Math.ceil(size * Math.sqrt(Math.max(avg, 1))));
      hits.add(bumped[j]!.day);
    }
    const e = evaluateDetector(detectSpikes(bumped, dayType), hits, bumped.length);
    injected += e.injected;
    detected += e.detected;
    falseAlarms += e.falseAlarms;
  }
  console.log(
    `detector, +${size} widths injected: recall ${((100 * detected) / injected).toFixed(1)} % (${detected}/${injected}), other alarms ${(falseAlarms / series.length / months).toFixed(2)} per series-month`,
  );
}

// ---- forecasts ---------------------------------------------------------------------------------------------
const methods: ForecastMethod[] = ['naive', 'seasonal_naive', 'holt_winters'];
const mae: Record<ForecastMethod, number[]> = { naive: [], seasonal_naive: [], holt_winters: [] };
const chosen: Record<string, number> = {};
let chosenError = 0;
let chosenN = 0;
for (const s of series) {
  const byMonth = new Map<string, number>();
  for (const d of s.days) byMonth.set(d.day.slice(0, 7), (byMonth.get(d.day.slice(0, 7)) ?? 0) + d.count);
  // whole months only: the first and the current month are partial
  const values = [...byMonth.entries()]
    .sort()
    .slice(1, -1)
    .map(([, n]) => n);
  for (const m of methods) {
    const e = backtest(m, values);
    if (e !== null) mae[m].push(e);
  }
  // the chosen method's own out-of-sample error: choose on the history before the last month, score on it
  const f = forecastNext(values.slice(0, -1));
  if (f) {
    chosen[f.method] = (chosen[f.method] ?? 0) + 1;
    chosenError += Math.abs(f.value - values.at(-1)!);
    chosenN++;
  }
}
for (const m of methods) {
  const list = mae[m];
  console.log(
    `forecast ${m}: mean absolute error ${list.length ? (list.reduce((a, x) => a + x, 0) / list.length).toFixed(1) : '—'} tickets/month over ${list.length} series (last 6 months, one step ahead)`,
  );
}
console.log(
  `forecast, chosen by backtest: ${JSON.stringify(chosen)}; error on the last whole month ${(chosenError / Math.max(1, chosenN)).toFixed(1)} tickets`,
);
await handle.close();

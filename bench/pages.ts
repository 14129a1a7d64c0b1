import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { chromium, type Page } from 'playwright-core';
import { systemClock } from '../src/server/clock.js';
import { openDatabase } from '../src/server/db/database.js';
import { migrateToLatest } from '../src/server/db/migrate.js';
import { seedDemoAccountability } from '../src/server/demo/accountability-demo.js';
import { seedDemoGrids } from '../src/server/demo/grids-demo.js';
import { seedDemoHistory } from '../src/server/demo/history.js';
import { seedDemoMatters } from '../src/server/demo/matters-demo.js';
import { seedDemoWarnings } from '../src/server/demo/warnings-demo.js';
import { buildApp } from '../src/server/http/app.js';
import { WEB_DIST_DIR } from '../src/server/http/static-web.js';
import { rollupAnalytics } from '../src/server/jobs/analytics-rollup.js';
import { assessmentRollupPass } from '../src/server/jobs/assessment-rollup.js';
import { runEarlyWarnings } from '../src/server/jobs/early-warnings.js';
import { forecastPass } from '../src/server/jobs/forecast-monthly.js';
import { PiiCipher } from '../src/server/security/pii-cipher.js';
import { DEMO_PASSWORD } from '../src/server/seed/heze-organisation.js';
import { seedDemo, seedReferenceData } from '../src/server/seed/seed.js';

// npm run bench:pages -- [--tickets 4000] [--runs 3] [--users agent,dispatcher,…] [--routes /tickets,…] [--axe]
// Issue 14 "every page of the workbench loads in under 1 s on the demo data" (docs/benchmarks.md). The app on a
// throw-away in-memory PGlite seeded as `npm start` seeds a fresh demo (demo data, the demo history's year of tickets,
// matters, grid reports, warnings) with the scheduler's first rollup passes done; a headless Chromium (1366×768)
// logs in each demo role and opens every route of that role's menu by clicking it, as a user does, `runs` rounds.
// Per route: the time from the click until the route's own <h1> is shown, no spinner or skeleton is left in the
// page and no API call is pending; the API calls' total time in that window; p50 and max over the rounds.
// With --axe it also lists the axe-core WCAG 2.1 A/AA violations of each route (a discovery aid; the tests are in
// test/e2e/).

const { values: args } = parseArgs({
  options: {
    tickets: { type: 'string', default: '4000' },
    runs: { type: 'string', default: '3' },
    users: {
      type: 'string',
      default:
        'agent,dispatcher,callback,supervisor,analyst,auditor,admin,knowledge,handler_md,manager_md,handler_dc,grid_dc',
    },
    axe: { type: 'boolean', default: false },
    routes: { type: 'string', default: '' },
  },
});
const RUNS = Number(args.runs);
const USERS = args.users.split(',');
const ROUTES = args.routes ? args.routes.split(',') : null;
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;

// --- the app as `npm start` leaves a fresh demo once the scheduler's first passes are done ---
const t0 = performance.now();
const handle = await openDatabase({ dataDir: null });
const attachmentDir = mkdtempSync(join(tmpdir(), 'bench-pages-att-'));
const cipher = new PiiCipher(randomBytes(32));
await migrateToLatest(handle.db);
await seedReferenceData(handle.db);
const now = systemClock.now();
await seedDemo(handle.db, now, DEMO_PASSWORD, true);
const history = await seedDemoHistory(handle.db, cipher, now, { tickets: Number(args.tickets) });
await seedDemoAccountability(handle.db, now);
await seedDemoMatters(handle.db, now);
await seedDemoGrids(handle.db, cipher, now);
await seedDemoWarnings(handle.db, cipher, now);
await rollupAnalytics(handle.db, now, { lagMs: 0, maxBatches: 10_000 });
await assessmentRollupPass(handle.db, now, { lagMs: 0, maxBatches: 10_000 });
await forecastPass(handle.db, now);
await runEarlyWarnings(handle.db, systemClock);
const { app } = await buildApp({
  db: handle.db,
  clock: systemClock,
  cipher,
  logLevel: 'silent',
  sessionTtlHours: 8,
  sessionIdleMinutes: 60,
  attachmentDir,
});
await app.listen({ port: 0, host: '127.0.0.1' });
const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
console.log(
  `PGlite in memory, demo data + a year of ${history.tickets} tickets (${history.events} events), rollups done ` +
    `in ${((performance.now() - t0) / 1000).toFixed(0)} s; web build ${WEB_DIST_DIR}; load ${loadavg()[0]!.toFixed(1)}`,
);

interface Visit {
  ms: number;
  apiMs: number;
  calls: number;
  slowest: string;
}
interface Entry {
  user: string;
  path: string;
  label: string;
  visits: Visit[];
  axe?: string[];
}
const results = new Map<string, Entry>();

/** Ready: the new route's <h1> (not the one marked before the click) is shown, no spinner/skeleton, no API call pending. */
const READY = `(() => {
  const h1 = [...document.querySelectorAll('h1')].find((h) => !h.hasAttribute('data-bench-old') && h.offsetParent);
  if (!h1) return 'h1';
  if (document.querySelector('.ant-spin-spinning, .ant-skeleton-active')) return 'spinner';
  return (window.__benchPending || 0) === 0 ? 'ready' : 'api';
})()`;
// counts the page's fetch/XHR calls to /api in flight (installed before the app's scripts)
const PENDING = `(() => {
  window.__benchPending = 0;
  const f = window.fetch;
  window.fetch = function (input, init) {
    const url = typeof input === 'string' ? input : input.url;
    if (!String(url).includes('/api/')) return f.call(this, input, init);
    window.__benchPending++;
    return f.call(this, input, init).finally(() => { window.__benchPending--; });
  };
})()`;

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
try {
  for (const user of USERS) {
    const context = await browser.newContext({
      viewport: { width: 1366, height: 768 },
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
      baseURL: base,
      reducedMotion: 'reduce',
    });
    await context.addInitScript(PENDING);
    const page = await context.newPage();
    page.on('pageerror', (e) => console.error(`[${user}] uncaught: ${e.message}`));
    // API calls of the current window, timed by the browser (request start to response end): the server runs in this
    // process, so the moment Node hears of an event says little
    const finished: Array<{ url: string; ms: number }> = [];
    page.on('requestfinished', (r) => {
      // the agent's CTI event stream stays open for the session: not a page's load
      if (!r.url().includes('/api/') || r.url().endsWith('/stream')) return;
      finished.push({ url: r.url(), ms: r.timing().responseEnd });
    });

    await page.goto('/');
    await page.getByLabel('用户名').fill(user);
    await page.getByLabel('密码').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByTestId('current-user').waitFor();
    const sider = page.locator('.ant-layout-sider');
    // 系统管理's items are rendered once the submenu is open (it opens by default; reopened if closed)
    const closed = sider.locator('li.ant-menu-submenu:not(.ant-menu-submenu-open) > [role=menuitem]');
    if (await closed.count()) await closed.first().click();
    // the menu's routes in its order (data-menu-id ends with the route's path)
    const items = await page.evaluate<Array<{ path: string; label: string }>>(`
      [...document.querySelectorAll('.ant-layout-sider li.ant-menu-item[data-menu-id]')].map((e) => ({
        path: e.getAttribute('data-menu-id').replace(/^.*?(\\/.*)$/, '$1'),
        label: e.textContent.trim(),
      }))`);
    for (let run = 0; run < RUNS; run++) {
      for (const item of items) {
        if (ROUTES && !ROUTES.includes(item.path)) continue;
        const key = `${user} ${item.path}`;
        // the route the user is on (the landing page): go elsewhere first, so the click loads it
        if (new URL(page.url()).pathname === item.path && items.length > 1) {
          const other = items.find((i) => i.path !== item.path)!;
          await sider.locator(`li.ant-menu-item[data-menu-id$="${other.path}"]`).click();
          await page
            .getByRole('heading', { level: 1, name: other.label })
            .waitFor()
            .catch(() => undefined);
        }
        await page.evaluate(`document.querySelectorAll('h1').forEach((h) => h.setAttribute('data-bench-old', ''))`);
        finished.length = 0;
        const t = performance.now();
        let seen: Awaited<ReturnType<typeof ready>>;
        try {
          await sider.locator(`li.ant-menu-item[data-menu-id$="${item.path}"]`).click();
          seen = await ready(page, t);
        } catch (e) {
          console.error(`${key}: ${(e as Error).message.split('\n')[0]}`);
          continue;
        }
        const ms = performance.now() - t;
        const calls = finished.slice();
        const slowest = calls.reduce((a, c) => (c.ms > a.ms ? c : a), { url: '', ms: 0 });
        const entry: Entry = results.get(key) ?? { user, path: item.path, label: item.label, visits: [] };
        entry.visits.push({
          ms,
          apiMs: calls.reduce((a, c) => a + c.ms, 0),
          calls: calls.length,
          slowest: slowest.url ? `${new URL(slowest.url).pathname} ${slowest.ms.toFixed(0)} ms` : '',
        });
        if (args.axe && run === 0) {
          entry.axe = await axeOf(page);
          if (entry.axe.length) console.error(`axe ${key}:\n${entry.axe.join('\n')}`);
        }
        console.error(
          `${key} ${ms.toFixed(0)} ms (h1 ${seen.h1.toFixed(0)} ms; waited ${Object.entries(seen.waits)
            .map(([k, v]) => `${k} ${v.toFixed(0)}`)
            .join(', ')})`,
        );
        results.set(key, entry);
      }
    }
    await context.close();
  }
} finally {
  await browser.close();
  await app.close();
  await handle.close();
  rmSync(attachmentDir, { recursive: true, force: true });
}

console.log(
  `\n${RUNS} visits per route (click in the menu → own <h1> shown, no spinner, no API call pending)\n` +
    '| role | route | page | p50 ms | max ms | API ms p50 (calls) | slowest call (last visit) |\n| --- | --- | --- | ---: | ---: | ---: | --- |',
);
let over = 0;
for (const r of results.values()) {
  const ms = r.visits.map((v) => v.ms);
  const api = r.visits.map((v) => v.apiMs);
  const last = r.visits[r.visits.length - 1]!;
  const max = Math.max(...ms);
  if (max > 1000) over++;
  console.log(
    `| ${r.user} | ${r.path} | ${r.label} | ${pct(ms, 0.5).toFixed(0)} | ${max.toFixed(0)}${max > 1000 ? ' ⚠' : ''} | ` +
      `${pct(api, 0.5).toFixed(0)} (${last.calls}) | ${last.slowest} |`,
  );
}
console.log(`\n${results.size} routes, ${over} with a visit over 1 s`);
if (args.axe)
  for (const r of results.values()) if (r.axe?.length) console.log(`\naxe ${r.user} ${r.path}:\n${r.axe.join('\n')}`);

/**
 * Polls READY every 10 ms (page.waitForFunction would eval a string in the page, which the app's CSP refuses); returns
 * when the <h1> was first seen, and how long each later state lasted (for finding what a slow page waits for).
 */
async function ready(page: Page, t0: number): Promise<{ h1: number; waits: Record<string, number> }> {
  const until = performance.now() + 30_000;
  let h1 = 0;
  const waits: Record<string, number> = {};
  let last = performance.now();
  for (;;) {
    const state = await page.evaluate<string>(READY);
    const at = performance.now();
    if (state !== 'h1' && !h1) h1 = at - t0;
    if (state === 'ready') return { h1, waits };
    waits[state] = (waits[state] ?? 0) + (at - last);
    last = at;
    if (at > until) throw new Error(`not ready after 30 s: ${page.url()} (waiting for ${state})`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function axeOf(page: Page): Promise<string[]> {
  const { axeViolations } = await import('../test/e2e/axe.js');
  const v = await axeViolations(page);
  return v.map((x) => `- ${x.id}: ${x.help}\n${x.nodes.map((n) => `    ${n.target}  ${n.html}`).join('\n')}`);
}

import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Clock } from '../../src/server/clock.js';
import type { DatabaseHandle } from '../../src/server/db/database.js';
import { buildApp } from '../../src/server/http/app.js';
import type { Services } from '../../src/server/http/services.js';
import { WEB_DIST_DIR } from '../../src/server/http/static-web.js';
import { PiiCipher } from '../../src/server/security/pii-cipher.js';
import { DEMO_PASSWORD } from '../../src/server/seed/heze-organisation.js';
import type { SeedIds } from '../../src/server/seed/seed.js';
import { openSeededDatabase, TEST_START } from '../helpers/seeded-database.js';

// The real server (same buildApp, same routes, the Vite build served by registerWeb) on an in-memory
// PGlite with the Heze demo data, listening on a free port, and a headless Chromium to drive it.

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'];
export const VIEWPORT = { width: 1366, height: 768 };

/** A clock that runs at real speed from a fixed start, so deadlines and numbers do not depend on today's date. */
export class RunningClock implements Clock {
  private base: number;
  private t0 = Date.now();
  constructor(start: string | Date) {
    this.base = new Date(start).getTime();
  }
  now(): Date {
    return new Date(this.base + (Date.now() - this.t0));
  }
  set(at: string | Date): void {
    this.base = new Date(at).getTime();
    this.t0 = Date.now();
  }
}

// The cookie's expiry is computed from the server clock, which starts in 2025; the browser compares it with
// the real date, so the session must outlive both.
const SESSION_TTL_HOURS = 24 * 365 * 30;

export interface TestServer {
  url: string;
  app: FastifyInstance;
  services: Services;
  ids: SeedIds;
  clock: RunningClock;
  handle: DatabaseHandle;
  /** Calls the API as a demo user (for setting up a journey's starting state). */
  as(username: string): Promise<ApiAs>;
  close(): Promise<void>;
}

export interface ApiAs {
  call<T = any>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: unknown): Promise<T>;
}

export function assertWebBuilt(): void {
  if (!existsSync(join(WEB_DIST_DIR, 'index.html'))) {
    throw new Error(`The web build is missing (${WEB_DIST_DIR}). Run \`npm run build:web\` first (npm test does it).`);
  }
}

export async function startServer(start = TEST_START): Promise<TestServer> {
  assertWebBuilt();
  const { handle, ids } = await openSeededDatabase({ kind: 'pglite', start });
  const clock = new RunningClock(start);
  const attachmentDir = mkdtempSync(join(tmpdir(), 'hz-e2e-att-'));
  const { app, services } = await buildApp({
    db: handle.db,
    clock,
    cipher: new PiiCipher(randomBytes(32)),
    logLevel: 'silent',
    sessionTtlHours: SESSION_TTL_HOURS,
    // journeys move the server clock by hours or days within one session (the idle timeout has API tests)
    sessionIdleMinutes: SESSION_TTL_HOURS * 60,
    attachmentDir,
  });
  // In production the Date header and the app clock are the same system clock; here the app runs on its own
  // clock, so the header follows it (the web reads the server's time from it).
  app.addHook('onSend', async (_req, reply) => {
    reply.header('date', clock.now().toUTCString());
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const port = (app.server.address() as AddressInfo).port;
  const cookies = new Map<string, string>();
  return {
    url: `http://127.0.0.1:${port}`,
    app,
    services,
    ids,
    clock,
    handle,
    async as(username) {
      let cookie = cookies.get(username);
      if (!cookie) {
        const res = await app.inject({
          method: 'POST',
          url: '/api/auth/login',
          payload: { username, password: DEMO_PASSWORD },
        });
        if (res.statusCode !== 200) throw new Error(`login ${username}: ${res.statusCode} ${res.body}`);
        const set = res.headers['set-cookie'];
        cookie = (Array.isArray(set) ? set[0]! : set!).split(';')[0]!;
        cookies.set(username, cookie);
      }
      const c = cookie;
      return {
        async call(method, url, payload) {
          const res = await app.inject({ method, url, payload: payload as never, headers: { cookie: c } });
          if (res.statusCode >= 400) throw new Error(`${method} ${url} as ${username}: ${res.statusCode} ${res.body}`);
          return res.body ? JSON.parse(res.body) : undefined;
        },
      };
    },
    async close() {
      await app.close();
      await handle.close();
      rmSync(attachmentDir, { recursive: true, force: true });
    },
  };
}

/**
 * A describe block for browser journeys. Without Chromium they are skipped with a notice on a developer
 * machine, like the PostgreSQL half of the suite; under CI a missing browser fails the run.
 */
export function describeWeb(title: string, body: () => void) {
  const present = existsSync(CHROMIUM);
  if (!present) {
    const msg = `Chromium not found at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`;
    if (process.env.CI === 'true') throw new Error(`${msg}; CI requires it`);
    console.warn(`\n⚠ ${msg}: browser journeys "${title}" are SKIPPED.\n`);
  }
  (present ? describe : describe.skip)(title, body);
}

export interface WebSession {
  readonly server: TestServer;
  readonly browser: Browser;
  readonly guard: ConsoleGuard;
}

/**
 * The server and browser of one journey file: started (in parallel) before its tests, closed after them.
 * Call it first in the describe block, so the file's own set-up hooks run once both are up.
 */
export function useWebSession(start?: string): WebSession {
  let server: TestServer | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    // each result is kept as it arrives, so a failure of one still lets afterAll close the other
    await Promise.all([
      startServer(start).then((s) => {
        server = s;
      }),
      launchBrowser().then((b) => {
        browser = b;
      }),
    ]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });
  const ready = <T>(v: T | undefined, what: string): T => {
    if (!v) throw new Error(`the web session's ${what} has not started`);
    return v;
  };
  return {
    get server() {
      return ready(server, 'server');
    },
    get browser() {
      return ready(browser, 'browser');
    },
    guard: new ConsoleGuard(),
  };
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}

/**
 * Reports every Content-Security-Policy violation of a page as a console error (installed before the app's
 * scripts), beside the "Refused to …" line Chromium prints itself, so no journey can pass over a refused style,
 * script, frame or resource.
 */
const CSP_VIOLATION_REPORTER = `document.addEventListener('securitypolicyviolation', (e) => {
  console.error('CSP violation: ' + e.effectiveDirective + ' refused ' + (e.blockedURI || 'inline') +
    ' at ' + e.sourceFile + ':' + e.lineNumber + (e.sample ? ' (' + e.sample + ')' : ''));
});`;
const CSP_MESSAGE = /^CSP violation: |Content Security Policy/;

/**
 * Browser console errors and uncaught exceptions fail the test. A journey that provokes an error response on
 * purpose (a 404 for another unit's ticket) declares it with `expect()` first; anything else is a failure.
 * Every journey also proves the Content-Security-Policy: a violation fails it unless declared with `expectCsp()`.
 */
export class ConsoleGuard {
  readonly errors: string[] = [];
  private expected: RegExp[] = [];
  private expectedCsp: RegExp[] = [];
  attach(page: Page, who: string) {
    page.addInitScript(CSP_VIOLATION_REPORTER).catch((e: Error) => this.errors.push(`[${who}] ${e.message}`));
    page.on('console', (m) => {
      if (m.type() !== 'error') return;
      const text = m.text();
      // a CSP violation is never excused by an ordinary expectation, only by expectCsp
      const list = CSP_MESSAGE.test(text) ? this.expectedCsp : this.expected;
      const i = list.findIndex((r) => r.test(text));
      if (i >= 0) list.splice(i, 1);
      else this.errors.push(`[${who}] console.error: ${text}`);
    });
    page.on('pageerror', (e) => this.errors.push(`[${who}] uncaught: ${e.message}`));
    page.on('response', (r) => {
      if (r.status() >= 500) this.errors.push(`[${who}] HTTP ${r.status()} ${r.url()}`);
    });
  }
  /** The next console error matching `re` is expected (e.g. Chromium's log line for a deliberate 404). */
  expect(re: RegExp) {
    this.expected.push(re);
  }
  /** The next CSP violation message matching `re` is expected (a journey that attempts a refused injection). */
  expectCsp(re: RegExp) {
    this.expectedCsp.push(re);
  }
  assertClean() {
    if (this.errors.length) throw new Error(`browser console errors:\n${this.errors.join('\n')}`);
  }
}

export interface UserPage {
  page: Page;
  context: BrowserContext;
}

/** A fresh browser context (own cookies) at 1366×768 in Chinese and China time, signed in as `username` through the login page. */
export async function signIn(
  browser: Browser,
  server: TestServer,
  guard: ConsoleGuard,
  username: string,
): Promise<UserPage> {
  const context = await browser.newContext({
    viewport: VIEWPORT,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    baseURL: server.url,
    reducedMotion: 'reduce',
  });
  context.setDefaultTimeout(15_000);
  await recordToasts(context);
  const page = await context.newPage();
  guard.attach(page, username);
  await page.goto('/');
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByTestId('current-user').waitFor();
  return { page, context };
}

/** The antd Select or Cascader (both carry ant-select) whose search input is `input`. */
const controlOf = (input: Locator) =>
  input.locator(`xpath=ancestor::*[contains(concat(" ", normalize-space(@class), " "), " ant-select ")][1]`);

/**
 * Opens a searchable antd picker, types, and clicks the matching option — again if the first try misses. On a loaded
 * machine the popup can be re-rendered or closed between the type and the click (reference data arriving, the page
 * settling after navigation); CI saw the option detach and the popup close. Each try re-opens and re-types, so a
 * miss is retried as a person would, and a picker that never offers the option still fails.
 */
async function pickFromPopup(page: Page, input: Locator, text: string | null, popup: string, option: () => Locator) {
  // A control that already shows a value lays that value over its input (the input cannot take the click): open it by
  // clicking the control, as a person does.
  const control = controlOf(input);
  for (let attempt = 1; ; attempt++) {
    try {
      // Not Escape between tries: in a drawer it would close the drawer. A click opens a closed popup.
      if (attempt === 1 || !(await page.locator(`${popup}:visible`).count())) await control.click();
      if (text !== null) await input.fill(text);
      await option().click({ timeout: attempt < 3 ? 5_000 : 15_000 });
      return;
    } catch (e) {
      if (attempt >= 3) throw e;
    }
  }
}

/**
 * Picks until the control shows `shown` (one of its selections contains or matches it), at most three times: on a
 * loaded machine a click on an option can land while the list re-renders and select nothing (CI once saw a form
 * submitted without the region picked just before). Only a pick that did not show is repeated, so a multiple
 * select's option is not clicked off again.
 */
async function pickUntilShown(input: Locator, shown: string | RegExp, pick: () => Promise<void>) {
  const selection = controlOf(input).locator('.ant-select-selection-item');
  const holds = (t: string) => (typeof shown === 'string' ? t.includes(shown) : shown.test(t.trim()));
  for (let attempt = 1; ; attempt++) {
    await pick();
    const ok = await expect
      // textContent, not innerText: while a control is focused with search text its selection is hidden, not gone
      .poll(async () => (await selection.allTextContents()).some(holds), { timeout: 5_000, interval: 100 })
      .toBe(true)
      .then(
        () => true,
        (e: unknown) => {
          if (attempt >= 3) throw new Error(`the control does not show ${String(shown)}`, { cause: e });
          return false;
        },
      );
    if (ok) return;
  }
}

/** Picks a path in an antd Cascader labelled `label` the way an agent does by keyboard: type, then choose the matching path. */
export async function pickCascader(page: Page, label: string, path: string[]) {
  // By role, not by label: an unlabelled filter's aria-label sits on both antd's wrapper and its input.
  const input = page.getByRole('combobox', { name: label });
  const last = path[path.length - 1]!;
  await pickUntilShown(input, last, () =>
    pickFromPopup(page, input, last, '.ant-cascader-dropdown', () =>
      page.locator('.ant-cascader-dropdown:visible .ant-cascader-menu-item', {
        hasText: new RegExp(`^${path.join(' / ')}$`),
      }),
    ),
  );
}

/** Picks an option in an antd Select labelled `label` by typing to search. */
export async function pickSelect(page: Page, label: string, option: string) {
  const input = page.getByRole('combobox', { name: label });
  await pickUntilShown(input, option, () =>
    pickFromPopup(page, input, option, '.ant-select-dropdown', () =>
      page.locator(`.ant-select-dropdown:visible .ant-select-item-option[title="${option}"]`),
    ),
  );
}

/**
 * Opens an antd Select by its combobox and clicks an option (no typing), again if the popup closed in between, until
 * the control shows it.
 */
export async function chooseOption(
  page: Page,
  combobox: Locator,
  option: { title: string } | { text: RegExp | string },
) {
  const sel =
    'title' in option
      ? () => page.locator(`.ant-select-dropdown:visible .ant-select-item-option[title="${option.title}"]`)
      : () => page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: option.text });
  const shown = 'title' in option ? option.title : option.text;
  await pickUntilShown(combobox, shown, () => pickFromPopup(page, combobox, null, '.ant-select-dropdown', sel));
}

/** Creates a ticket through the API as the agent, like factories.createTicket does for API tests. */
export async function createTicketViaApi(
  server: TestServer,
  over: Record<string, unknown> = {},
): Promise<{ id: number; number: string; version: number }> {
  const agent = await server.as('agent');
  return agent.call('POST', '/api/tickets', {
    requestType: 'complaint',
    categoryId: server.ids.categories['CX-SZ'],
    urgency: 'normal',
    regionCode: '371702001',
    address: '牡丹区东城街道和平路与中华路交叉口东50米',
    title: '和平路路灯连续一周不亮',
    content: '和平路与中华路交叉口往东一段路灯已经连续一周晚上不亮，行人和电动车夜间通行很危险，希望尽快维修。',
    requester: { name: '张秀英', phone: '13905301234' },
    ...over,
  });
}

/**
 * A message toast lives three seconds; a test process starved of CPU on a busy machine can look too late. Every
 * page of the context therefore writes down each toast's text as it appears (a MutationObserver installed before
 * the app's own scripts), and toastShown reads that record instead of racing the toast.
 */
export async function recordToasts(context: BrowserContext) {
  await context.addInitScript(`(() => {
    const seen = (window.__toasts = []);
    new MutationObserver((changes) => {
      for (const c of changes) for (const n of c.addedNodes) {
        if (n.nodeType !== 1) continue;
        const el = n.matches('.ant-message-notice') ? n : n.querySelector && n.querySelector('.ant-message-notice');
        if (el) seen.push(el.textContent || '');
      }
    }).observe(document, { childList: true, subtree: true });
  })()`);
}
export const toastShown = (page: Page, text: string) =>
  expect
    .poll(() => page.evaluate<string[]>('window.__toasts || []'), POLL)
    .toContainEqual(expect.stringContaining(text));

// Waiting assertions on what the page shows (vitest's expect has no locator matchers).

export const POLL = { timeout: 15_000, interval: 100 };
export const visible = (l: Locator) => l.first().waitFor({ state: 'visible', timeout: POLL.timeout });
export const hidden = (l: Locator) => l.first().waitFor({ state: 'hidden', timeout: POLL.timeout });
export const containsText = (l: Locator, text: string) =>
  expect.poll(async () => ((await l.first().isVisible()) ? await l.first().innerText() : ''), POLL).toContain(text);
export const lacksText = async (l: Locator, text: string) => expect(await l.first().innerText()).not.toContain(text);
export const attributeIs = (l: Locator, name: string, value: string) =>
  expect.poll(() => l.first().getAttribute(name), POLL).toBe(value);
export const countIs = (l: Locator, n: number) => expect.poll(() => l.count(), POLL).toBe(n);
export const pathIs = (page: Page, path: string) => expect.poll(() => new URL(page.url()).pathname, POLL).toBe(path);

// Regenerates docs/screenshots/*.png: every main screen at 1366×768, on an in-memory server filled with a
// realistic week of tickets (test/e2e/demo-scenario.ts). Run: npm run screenshots (needs the web build and
// Chromium at /usr/bin/chromium or CHROMIUM_PATH).
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { ConsoleGuard, launchBrowser, pickSelect, signIn, startServer, type TestServer } from '../test/e2e/harness.js';
import { buildDemoScenario, SCENARIO_NOW } from '../test/e2e/demo-scenario.js';

const OUT = fileURLToPath(new URL('../docs/screenshots/', import.meta.url));
mkdirSync(OUT, { recursive: true });

const server: TestServer = await startServer('2025-03-05T09:00:00+08:00');
const browser: Browser = await launchBrowser();
const guard = new ConsoleGuard();
const shots: string[] = [];

async function settle(page: Page) {
  await page.waitForLoadState('networkidle');
  await page.locator('.ant-spin-spinning, .ant-skeleton').first().waitFor({ state: 'detached', timeout: 10_000 }).catch(() => {});
  await page.waitForTimeout(400); // animations (drawers, modals, charts)
}
async function shot(page: Page, name: string) {
  await settle(page);
  await page.screenshot({ path: `${OUT}${name}.png` });
  shots.push(name);
  console.log(`  ${name}.png`);
}

try {
  const t = await buildDemoScenario(server);
  server.clock.set(SCENARIO_NOW);

  // Login
  {
    const ctx = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN', baseURL: server.url });
    const page = await ctx.newPage();
    guard.attach(page, 'anonymous');
    await page.goto('/login');
    await shot(page, '01-login');
    await ctx.close();
  }

  // 话务员
  {
    const { page, context } = await signIn(browser, server, guard, 'agent');
    await page.getByLabel('诉求人姓名').fill('刘芳');
    await page.getByLabel('联系电话').fill('13705301234');
    await shot(page, '02-agent-new-ticket');
    await context.close();
  }

  // 派单员
  {
    const { page, context } = await signIn(browser, server, guard, 'dispatcher');
    await shot(page, '03-dispatcher-queue');
    await page.locator(`tr[data-ticket-number="${t.pending.number}"]`).click();
    await page.getByTestId('dispatch-suggestion').waitFor();
    await shot(page, '04-dispatcher-suggestion');
    await page.locator('.ant-drawer-close').click();
    await page.locator('.ant-layout-sider').getByText('申请审核').click();
    await shot(page, '05-dispatcher-reviews');
    await page.locator(`tr[data-ticket-number="${t.returned.number}"]`).getByRole('button', { name: '审核' }).click();
    await pickSelect(page, '改派主办单位', '菏泽市城市管理局');
    await shot(page, '06-dispatcher-review-return');
    await page.keyboard.press('Escape');
    await page.locator(`tr[data-ticket-number="${t.dispute.number}"]`).getByRole('button', { name: '处理' }).click();
    await page.getByRole('tab', { name: '组织会商' }).click();
    await shot(page, '07-dispatcher-consultation');
    await page.keyboard.press('Escape');
    await context.close();
  }

  // 承办单位
  {
    const { page, context } = await signIn(browser, server, guard, 'handler_md');
    await shot(page, '08-unit-lead-queue');
    await page.goto(`/tickets/${t.extension.id}`);
    await shot(page, '09-unit-ticket-in-progress');
    await page.goto(`/tickets/${t.overdue.id}`);
    await page.getByRole('button', { name: '联系诉求人' }).waitFor();
    await page.getByRole('button', { name: '联系诉求人' }).click();
    await shot(page, '10-unit-contact-dialog');
    await page.keyboard.press('Escape');
    await page.goto('/unit/assist');
    await shot(page, '11-unit-assist-queue');
    await page.goto(`/tickets/${t.toAccept.id}`);
    await shot(page, '12-unit-ticket-to-accept');
    await context.close();
  }

  // 回访员
  {
    const { page, context } = await signIn(browser, server, guard, 'callback');
    await shot(page, '13-callback-queue');
    await page.locator(`tr[data-ticket-number="${t.replied.number}"]`).click();
    await page.getByTestId('callback-form').getByText('不满意').click();
    await page.getByTestId('callback-form').getByText('未解决').click();
    await shot(page, '14-callback-form');
    await context.close();
  }

  // 督办员: overview and a full ticket with history, requester revealed
  {
    const { page, context } = await signIn(browser, server, guard, 'supervisor');
    await page.locator('[data-testid="chart-status"] canvas').waitFor();
    await shot(page, '15-overview');
    await page.goto(`/tickets/${t.closed.id}`);
    await page.getByTestId('requester').getByRole('button', { name: '显示' }).click();
    await page.getByLabel('查看事由').fill('督办核查回访情况');
    await page.getByLabel('查看事由').press('Enter');
    await page.getByText('（明文，已审计）').waitFor();
    await shot(page, '16-ticket-full-history');
    await page.getByRole('tab', { name: /回访/ }).click();
    await shot(page, '17-ticket-callbacks');
    await page.goto('/tickets');
    await shot(page, '18-centre-ticket-search');
    await context.close();
  }

  // 系统管理员
  {
    const { page, context } = await signIn(browser, server, guard, 'admin');
    for (const [path, name] of [
      ['/admin/users', '19-admin-users'], ['/admin/units', '20-admin-units'], ['/admin/categories', '21-admin-categories'],
      ['/admin/catalogue', '22-admin-catalogue'], ['/admin/time-limits', '23-admin-time-limits'], ['/admin/calendar', '24-admin-calendar'],
    ] as const) {
      await page.goto(path);
      await shot(page, name);
    }
    await page.goto('/admin/catalogue');
    await page.getByRole('button', { name: '新增规则' }).click();
    await shot(page, '25-admin-catalogue-new-rule');
    await page.keyboard.press('Escape');
    await page.goto('/admin/calendar');
    await page.locator('button[data-date="2025-05-01"]').click();
    await shot(page, '26-admin-calendar-day');
    await context.close();
  }

  // 审计员, and a unit that opens another unit's ticket
  {
    const { page, context } = await signIn(browser, server, guard, 'auditor');
    await page.goto('/audit/pii');
    await shot(page, '27-auditor-pii-access');
    await context.close();
    const other = await signIn(browser, server, guard, 'handler_cx');
    guard.expect(/status of 404/);
    await other.page.goto(`/tickets/${t.extension.id}`);
    await shot(other.page, '28-unit-not-found');
    await other.context.close();
  }

  guard.assertClean();
  console.log(`${shots.length} screenshots written to docs/screenshots/`);
} finally {
  await browser.close();
  await server.close();
}

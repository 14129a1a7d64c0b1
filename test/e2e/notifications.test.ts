import { fileURLToPath } from 'node:url';
import { beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { fanOut } from '../../src/server/jobs/unit-feed.js';
import {
  createTicketViaApi,
  describeWeb,
  pathIs,
  POLL,
  signIn,
  toastShown,
  useWebSession,
  visible,
} from './harness.js';
import { expectNoAxeViolationsIn } from './axe.js';

// Issue 14 (第十四条 派单通知, 第十五条 临期提醒): 牡丹区人民政府's handler sees the bell's badge after a dispatch, opens it,
// and clicks through to the ticket; the admin sets the unit's SMS phone for deadlines about to breach (shown masked).

const SHOTS = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));

describeWeb('web: 通知提醒 (issue 14)', () => {
  const web = useWebSession('2025-03-10T09:00:00+08:00');
  const { guard } = web;
  // what the fan-out job does every few seconds in production (the scheduler does not run in these journeys)
  const fanOutNow = () => fanOut(web.server.handle.db, web.server.clock);
  /** the bell polls every 30 s and on focus: a focus event asks now */
  const poke = (p: Page) => p.evaluate("window.dispatchEvent(new Event('focus'))");

  beforeAll(async () => {
    await fanOutNow();
    for (const u of ['handler_md'])
      await (await web.server.as(u)).call('POST', '/api/notifications/read', { all: true });
  });

  it('第十四条 派单通知: the handler sees the badge after a dispatch, opens the bell and goes to the ticket', async () => {
    const { page } = await signIn(web.browser, web.server, guard, 'handler_md');
    const bell = page.getByTestId('notification-bell');
    await visible(bell);
    await expect.poll(() => page.locator('[data-testid=notification-badge] .ant-badge-count').count(), POLL).toBe(0);

    const dispatcher = await web.server.as('dispatcher');
    const older = await createTicketViaApi(web.server, { title: '东城街道丹阳社区污水井盖破损' });
    await dispatcher.call('POST', `/api/tickets/${older.id}/dispatch`, { leadUnitId: web.server.ids.units['gov-md'] });
    const t = await createTicketViaApi(web.server);
    await dispatcher.call('POST', `/api/tickets/${t.id}/dispatch`, {
      leadUnitId: web.server.ids.units['gov-md'],
      assistUnitIds: [web.server.ids.units['cgj']],
    });
    await fanOutNow();
    await poke(page);
    const badge = page.locator('[data-testid=notification-badge] .ant-badge-count');
    await expect.poll(() => badge.first().getAttribute('title'), POLL).toBe('2');
    await expect(bell.getAttribute('aria-label')).resolves.toBe('通知，2 条未读');

    await bell.click();
    const panel = page.getByTestId('notification-panel');
    await visible(panel.getByText(t.number));
    const items = panel.getByTestId('notification-item');
    await expect.poll(() => items.first().innerText(), POLL).toContain('新派单（主办）');
    expect(await items.first().innerText()).toContain('和平路路灯连续一周不亮');
    await page.waitForTimeout(300); // the popover's entrance, for the picture
    await page.screenshot({ path: `${SHOTS}notifications.png` });
    await expectNoAxeViolationsIn(page, '通知弹出层');

    await items.first().click();
    await pathIs(page, `/tickets/${t.id}`);
    await visible(page.getByText(t.number));
    // the newest was clicked: everything up to it is read
    await expect.poll(() => badge.count(), POLL).toBe(0);
    guard.assertClean();
  });

  it('第十五条 临期提醒: the admin sets a unit’s SMS phone; it is shown masked', async () => {
    const { page } = await signIn(web.browser, web.server, guard, 'admin');
    await page.goto('/admin/units');
    const cell = page.getByTestId('notify-phone-gov-md');
    await visible(cell);
    await expect.poll(() => cell.innerText(), POLL).toBe('未设置');
    await cell.click();
    await page.getByLabel('手机号码').fill('12345');
    await page.getByRole('button', { name: '保存' }).click();
    await visible(page.getByText('请填写 11 位手机号码'));
    await expectNoAxeViolationsIn(page, '临期提醒号码（含校验提示）');
    await page.getByLabel('手机号码').fill('13800005678');
    await page.getByRole('button', { name: '保存' }).click();
    await toastShown(page, '已设置牡丹区人民政府的临期提醒号码');
    await expect.poll(() => cell.innerText(), POLL).toBe('138****5678');
    guard.assertClean();
  });
});

import { fileURLToPath } from 'node:url';
import { it } from 'vitest';
import {
  attributeIs,
  containsText,
  countIs,
  createTicketViaApi,
  describeWeb,
  signIn,
  toastShown,
  useWebSession,
  visible,
} from './harness.js';

const EXAMPLE_2027 = fileURLToPath(new URL('../../docs/calendar-2027-example.txt', import.meta.url));

// 第八条: the working calendar must not silently run out. On 2026-12-02 the admin sees that 2026 is built-in but
// unconfirmed and 2027 has no arrangement; a ticket whose deadline runs into 2027 carries the tag 节假日未确认.
// The admin confirms 2026 with one click and 2027 from the (example) file, and the warnings go.
describeWeb('web: 第八条 working calendar coverage', () => {
  const web = useWebSession('2026-12-02T09:00:00+08:00');
  const { guard } = web;

  it('warns, tags the deadline, and goes quiet once 2026 and 2027 are confirmed', async () => {
    web.server.clock.set('2026-12-28T09:00:00+08:00');
    const ticket = await createTicketViaApi(web.server);
    await (await web.server.as('dispatcher')).call('POST', `/api/tickets/${ticket.id}/dispatch`, {});
    web.server.clock.set('2026-12-02T09:00:00+08:00');

    const { page } = await signIn(web.browser, web.server, guard, 'admin');
    await page.goto(`/tickets/${ticket.id}`);
    await containsText(page.locator('[data-deadline-kind="reply"]'), '节假日未确认');

    await page.goto('/admin/calendar');
    await containsText(
      page.locator('[data-unconfirmed-year="2027"]'),
      '2027 年节假日安排尚未确认：截止日期跨入 2027 年的工单按普通工作日计算',
    );
    await visible(page.locator('[data-unconfirmed-year="2026"]'));
    await attributeIs(page.locator('[data-year-status]'), 'data-year-status', 'unconfirmed');

    await page.getByRole('button', { name: '确认内置数据' }).click();
    await page.locator('.ant-popconfirm .ant-btn-primary').click();
    await toastShown(page, '2026 年内置节假日安排已确认');
    await countIs(page.locator('[data-unconfirmed-year="2026"]'), 0);
    await attributeIs(page.locator('[data-year-status]'), 'data-year-status', 'confirmed');

    await page.locator('[data-unconfirmed-year="2027"]').getByRole('button', { name: '录入并确认 2027 年' }).click();
    const modal = page.locator('.ant-modal').filter({ hasText: '录入并确认 2027 年节假日安排' });
    await visible(modal);
    await modal.locator('input[type=file]').setInputFiles(EXAMPLE_2027);
    await containsText(modal, '读入 7 个节假日、6 个调休上班日');
    await modal.getByRole('button', { name: '确认本年安排' }).click();
    await toastShown(page, '2027 年节假日安排已确认');
    await countIs(page.locator('[data-unconfirmed-year]'), 0);
    await attributeIs(page.locator('button[data-date="2027-02-08"]'), 'data-kind', 'holiday');
    await attributeIs(page.locator('button[data-date="2027-02-14"]'), 'data-kind', 'workday');
    await containsText(page.locator('[data-year-status="confirmed"]'), '（导入）');

    // a ticket dispatched now, over confirmed days, carries no tag
    web.server.clock.set('2026-12-28T09:00:00+08:00');
    const after = await createTicketViaApi(web.server);
    await (await web.server.as('dispatcher')).call('POST', `/api/tickets/${after.id}/dispatch`, {});
    web.server.clock.set('2026-12-02T09:00:00+08:00');
    await page.goto(`/tickets/${after.id}`);
    await visible(page.locator('[data-deadline-kind="reply"]'));
    await countIs(page.locator('[data-calendar-unconfirmed]'), 0);
    guard.assertClean();
  });
});

import { beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { attributeIs, createTicketViaApi, describeWeb, POLL, signIn, useWebSession, visible } from './harness.js';
import { expectNoAxeViolations } from './axe.js';

// Issue 14 "Every list … sorting": a click (or Enter) on a column header of 工单查询 asks the server for that order;
// the rows shown are the server's order, the order lives in the URL (a reload keeps it) and the header says which
// order is on, with antd's Chinese tooltip.

const DAY = '2025-03-10';

describeWeb('web: issue 14 server-side list sorting', () => {
  const web = useWebSession();
  const { guard } = web;
  const numbers: Record<string, string> = {};
  beforeAll(async () => {
    // three tickets of one day, an hour apart, alone in the list once it is filtered to that day
    for (const [key, at] of [
      ['早', '09:00'],
      ['中', '10:00'],
      ['晚', '11:00'],
    ] as const) {
      web.server.clock.set(`${DAY}T${at}:00+08:00`);
      numbers[key] = (await createTicketViaApi(web.server, { title: `排序测试（${key}）` })).number;
    }
    web.server.clock.set(`${DAY}T12:00:00+08:00`);
  });

  /** The ticket numbers the table shows, top to bottom. */
  const shown = (page: Page) =>
    page
      .locator('.ant-table-tbody tr.ant-table-row')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-ticket-number')));
  /** The same list as the server answers it. */
  const served = async (sort: string) => {
    const dispatcher = await web.server.as('dispatcher');
    const page = (await dispatcher.call(
      'GET',
      `/api/tickets?view=centre&status=pending_dispatch,dispatched,in_progress,replied&from=${DAY}&to=${DAY}&sort=${sort}`,
    )) as { items: { number: string }[] };
    return page.items.map((t) => t.number);
  };

  it('a header click sorts on the server; the order is in the URL, keyboard operable, named in Chinese', async () => {
    const { page } = await signIn(web.browser, web.server, guard, 'dispatcher');
    await page.goto(`/tickets?from=${DAY}&to=${DAY}`);
    await visible(page.getByText('排序测试（晚）'));
    // the default order: the deadline, soonest first
    await expect.poll(() => shown(page), POLL).toEqual(await served('deadline'));
    await visible(page.getByTestId('queue-loaded').getByText('按办理期限，最近的在前'));

    const created = page.locator('th.ant-table-column-has-sorters', { hasText: '受理时间' });
    await created.hover();
    await visible(page.locator('.ant-tooltip:visible', { hasText: '点击降序' }));
    await created.click();
    await expect.poll(() => new URL(page.url()).searchParams.get('sort'), POLL).toBe('-created');
    await expect.poll(() => shown(page), POLL).toEqual([numbers['晚'], numbers['中'], numbers['早']]);
    expect(await shown(page)).toEqual(await served('-created'));
    await attributeIs(created, 'aria-sort', 'descending');
    await visible(page.getByTestId('queue-loaded').getByText('按受理时间，最新的在前'));
    await expectNoAxeViolations(page, '工单查询（按受理时间排序）');

    // the keyboard: the 时限 header is a Tab stop and Enter sorts by it (latest deadline first after the default)
    const deadline = page.locator('th.ant-table-column-has-sorters', { hasText: '时限' });
    await deadline.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => new URL(page.url()).searchParams.get('sort'), POLL).toBeNull();
    await expect.poll(() => shown(page), POLL).toEqual(await served('deadline'));
    await attributeIs(deadline, 'aria-sort', 'ascending');
    await page.keyboard.press('Enter');
    await expect.poll(() => new URL(page.url()).searchParams.get('sort'), POLL).toBe('-deadline');
    await expect.poll(() => shown(page), POLL).toEqual(await served('-deadline'));

    // the order is the URL's: a reload (or a link sent to a colleague) shows the same order
    await page.goto(`/tickets?from=${DAY}&to=${DAY}&sort=created`);
    await expect.poll(() => shown(page), POLL).toEqual([numbers['早'], numbers['中'], numbers['晚']]);
    await attributeIs(
      page.locator('th.ant-table-column-has-sorters', { hasText: '受理时间' }),
      'aria-sort',
      'ascending',
    );
    guard.assertClean();
  });
});

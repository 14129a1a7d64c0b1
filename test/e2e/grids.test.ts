import { fileURLToPath } from 'node:url';
import { beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { rollupAnalytics } from '../../src/server/jobs/analytics-rollup.js';
import {
  containsText,
  createTicketViaApi,
  describeWeb,
  pickCascader,
  signIn,
  toastShown,
  useWebSession,
  visible,
} from './harness.js';

// 第二十九条 网格化治理: 东城街道's grid worker reports a problem found in their grid (主动发现) and follows it in 我的上报;
// the street's handler opens the 网格视图 of 东城街道 — grids × matter groups, hot grids, top matters — and drills down
// from a grid to its tickets. The town view is screenshotted.

const SHOTS = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));
const shot = async (p: Page, name: string) => {
  await p
    .locator('.ant-message-notice')
    .last()
    .waitFor({ state: 'detached', timeout: 10_000 })
    .catch(() => undefined);
  await p.screenshot({ path: `${SHOTS}${name}.png` });
};

describeWeb('web: 第二十九条 网格化治理', () => {
  const web = useWebSession('2025-03-20T09:00:00+08:00');
  const { guard } = web;
  beforeAll(async () => {
    // citizens' requests in 东城街道's grids over the month
    const spread: Array<[string, string, string]> = [
      ['03-03', '371702001101', 'CX-SZ'],
      ['03-05', '371702001101', 'CX-SZ'],
      ['03-07', '371702001101', 'HB-ZS'],
      ['03-10', '371702001102', 'HB-LJ'],
      ['03-12', '371702001102', 'HB-LJ'],
      ['03-14', '371702001103', 'CX-WY'],
      ['03-17', '371702001', 'CX-SZ'],
    ];
    for (const [day, region, cat] of spread) {
      web.server.clock.set(`2025-${day}T10:00:00+08:00`);
      await createTicketViaApi(web.server, { regionCode: region, categoryId: web.server.ids.categories[cat] });
    }
    web.server.clock.set('2025-03-20T09:00:00+08:00');
  });

  it('a grid worker reports a problem found in the grid and sees it in 我的上报', async () => {
    const { page: g } = await signIn(web.browser, web.server, guard, 'grid_dc');
    await visible(g.getByRole('heading', { name: '主动发现' }));
    const form = g.getByTestId('grid-report-form');
    await g.getByLabel('所在网格').click();
    await g.locator('.ant-select-dropdown:visible .ant-select-item-option[title="东城街道第一网格"]').click();
    await pickCascader(g, '事项分类', ['城乡建设', '市政设施']);
    await g.getByLabel('标题').fill('和平路井盖缺失');
    await g.getByLabel('地点').fill('东城街道和平路128号门前人行道');
    await g.getByLabel('问题描述').fill('巡查发现和平路128号门前人行道井盖缺失，已设置临时警示，需尽快补装。');
    await form.getByRole('button', { name: '上报' }).click();
    await toastShown(g, '已上报，工单号');
    const mine = g.getByTestId('grid-tickets-reported');
    await containsText(mine, '和平路井盖缺失');
    await containsText(mine, '主动发现');
    await containsText(mine, '待派单');
    await g.getByRole('heading', { name: '主动发现' }).scrollIntoViewIfNeeded();
    await shot(g, 'grid-report');
    // the ticket itself: the worker's own report, the address as written but masked
    await mine.getByRole('button').first().click();
    await containsText(g.getByTestId('grid-ticket-detail'), '本人主动发现');
    await g.keyboard.press('Escape');
    // the grid's tickets: the citizens' requests of 第一、第二网格 and the report; not 第三网格's nor the street's own
    await g.getByRole('tab', { name: '网格内工单' }).click();
    const inGrid = g.getByTestId('grid-tickets-grid');
    await expect.poll(() => inGrid.locator('tbody tr.ant-table-row').count(), { timeout: 15_000 }).toBe(6);
  });

  it("the street's handler opens its 网格视图 and drills down from the hottest grid", async () => {
    await rollupAnalytics(web.server.handle.db, web.server.clock.now(), { lagMs: 0 });
    const { page: h } = await signIn(web.browser, web.server, guard, 'handler_dc');
    await h.locator('.ant-layout-sider').getByText('网格视图').click();
    await visible(h.getByRole('heading', { name: '网格视图' }));
    const table = h.getByTestId('town-grid-table');
    await containsText(table, '东城街道第一网格');
    await containsText(table, '未划入网格');
    await containsText(h.getByTestId('town-hot-grids'), '1. 东城街道第一网格');
    await containsText(h.getByTestId('town-top-matters'), '城乡建设 / 市政设施');
    await containsText(h.locator('.ant-statistic').nth(2), '1');
    await shot(h, 'grid-town-view');
    // 群众诉求 leaves the grid worker's report out
    await h.getByTestId('town-filters').getByText('群众诉求', { exact: true }).click();
    await containsText(h.getByTestId('town-hot-grids'), '3 件');
    await h.getByTestId('town-filters').getByText('全部', { exact: true }).click();
    await h.getByTestId('town-hot-grids').getByRole('button', { name: '4 件' }).click();
    const drill = h.getByTestId('town-drill-tickets');
    await expect.poll(() => drill.locator('tbody tr.ant-table-row').count(), { timeout: 15_000 }).toBe(4);
    await containsText(drill, '和平路井盖缺失');
  });
});

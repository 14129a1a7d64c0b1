import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { rollupAnalytics } from '../../src/server/jobs/analytics-rollup.js';
import {
  chooseOption,
  containsText,
  createTicketViaApi,
  describeWeb,
  pickCascader,
  pickSelect,
  signIn,
  toastShown,
  useWebSession,
  visible,
} from './harness.js';
import { expectNoAxeViolations, expectNoAxeViolationsIn } from './axe.js';

const hezeGeo = JSON.parse(readFileSync('src/web/pages/analytics/heze-geo.json', 'utf8')) as {
  features: { id: string; geometry: { coordinates: number[][][] } }[];
};

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
    await chooseOption(g, g.getByLabel('所在网格'), { title: '东城街道第一网格' });
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
    await expectNoAxeViolations(g, '主动发现（我的上报）');
    // the ticket itself: the worker's own report, the address as written but masked
    await mine.getByRole('button').first().click();
    await containsText(g.getByTestId('grid-ticket-detail'), '本人主动发现');
    await expectNoAxeViolationsIn(g, '主动发现 工单详情');
    await g.keyboard.press('Escape');
    // the grid's tickets: the citizens' requests of 第一、第二网格 and the report; not 第三网格's nor the street's own
    await g.getByRole('tab', { name: '网格内工单' }).click();
    const inGrid = g.getByTestId('grid-tickets-grid');
    await expect.poll(() => inGrid.locator('tbody tr.ant-table-row').count(), { timeout: 15_000 }).toBe(6);
    guard.assertClean();
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
    await expectNoAxeViolations(h, '网格视图');
    // 群众诉求 leaves the grid worker's report out
    await h.getByTestId('town-filters').getByText('群众诉求', { exact: true }).click();
    await containsText(h.getByTestId('town-hot-grids'), '3 件');
    await h.getByTestId('town-filters').getByText('全部', { exact: true }).click();
    await h.getByTestId('town-hot-grids').getByRole('button', { name: '4 件' }).click();
    const drill = h.getByTestId('town-drill-tickets');
    await expect.poll(() => drill.locator('tbody tr.ant-table-row').count(), { timeout: 15_000 }).toBe(4);
    await containsText(drill, '和平路井盖缺失');
    await expectNoAxeViolations(h, '网格视图 下钻工单');
    guard.assertClean();
  });

  // issue 12: the street's manager keeps its grids (新建、中心点、指派网格员、变更记录), and 网格视图's map shows the grids
  // as bubbles on the 热点分析 boundaries; a bubble clicked opens its tickets as the table does
  it("the street's manager creates a grid, assigns its worker, and the 网格视图 map drills down from a bubble", async () => {
    const { page: m } = await signIn(web.browser, web.server, guard, 'manager_dc');
    await m.locator('.ant-layout-sider').getByText('网格管理').click();
    await visible(m.getByRole('heading', { name: '网格管理' }));
    const table = m.getByTestId('grid-admin-table');
    await containsText(table, '东城街道第一网格');
    await containsText(table, '韩网格');
    await m.getByRole('button', { name: '新建网格' }).click();
    await m.getByLabel('网格名称').fill('东城街道第五网格');
    await m.getByLabel('中心点经度').fill('115.6');
    await m.getByLabel('中心点纬度').fill('35.38');
    await m.getByRole('dialog').getByRole('button', { name: '新建' }).click();
    await toastShown(m, '已新建 东城街道第五网格');
    await containsText(table, '371702001105');
    await m.getByRole('button', { name: '编辑 东城街道第五网格' }).click();
    await pickSelect(m, '网格员', '韩网格');
    await expectNoAxeViolationsIn(m, '网格管理 编辑网格');
    await m.getByTestId('grid-save').click();
    await toastShown(m, '已保存 东城街道第五网格');
    await expect
      .poll(async () => (await table.locator('tr', { hasText: '东城街道第五网格' }).innerText()).includes('韩网格'))
      .toBe(true);
    await shot(m, 'grid-admin');
    await expectNoAxeViolations(m, '网格管理');
    await m.getByRole('button', { name: '东城街道第五网格 的变更记录' }).click();
    const history = m.getByTestId('grid-history');
    await containsText(history, '指派网格员');
    await containsText(history, '许主任');
    await containsText(history, '新建');
    await m.keyboard.press('Escape');

    // the street's own manager reads its 网格视图 too: the map, the new grid (no tickets yet) grey
    await m.locator('.ant-layout-sider').getByText('网格视图').click();
    await visible(m.getByRole('heading', { name: '网格视图' }));
    const map = m.getByTestId('grid-map');
    await visible(map.locator('canvas'));
    await expect.poll(async () => (await map.getAttribute('aria-label')) ?? '').toContain('共 5 个网格');
    await map.scrollIntoViewIfNeeded();
    await shot(m, 'grid-map');
    await expectNoAxeViolations(m, '网格视图 分布图');
    // 东城街道第一网格's bubble (its seeded point) opens its tickets
    const box = (await map.boundingBox())!;
    const p = gridPoint(box, '371702', [115.56, 35.3]);
    await m.mouse.click(p.x, p.y);
    await containsText(m.locator('.ant-drawer-title'), '东城街道第一网格');
    const drill = m.getByTestId('town-drill-tickets');
    await expect.poll(() => drill.locator('tbody tr.ant-table-row').count(), { timeout: 15_000 }).toBe(4);
    guard.assertClean();
  });
});

/**
 * Where a point is drawn on the grid map: ECharts fits Heze's box into the chart (geoJSON's aspect scale 0.75), then
 * centres the view on the county's box and zooms by how much smaller it is (GridMap.tsx's zoomFor).
 */
function gridPoint(box: { x: number; y: number; width: number; height: number }, county: string, at: [number, number]) {
  const bounds = (features: typeof hezeGeo.features) => {
    const b = [Infinity, Infinity, -Infinity, -Infinity];
    for (const f of features)
      for (const ring of f.geometry.coordinates)
        for (const [lon, lat] of ring) {
          b[0] = Math.min(b[0]!, lon!);
          b[1] = Math.min(b[1]!, lat!);
          b[2] = Math.max(b[2]!, lon!);
          b[3] = Math.max(b[3]!, lat!);
        }
    return b as [number, number, number, number];
  };
  const all = bounds(hezeGeo.features);
  const c = bounds(hezeGeo.features.filter((f) => f.id === county));
  const aspect = ((all[2] - all[0]) / (all[3] - all[1])) * 0.75;
  const [w, h] = box.width / box.height > aspect ? [box.height * aspect, box.height] : [box.width, box.width / aspect];
  const zoom = Math.max(1, Math.min((all[2] - all[0]) / (c[2] - c[0]), (all[3] - all[1]) / (c[3] - c[1])) * 0.95);
  const sx = (w / (all[2] - all[0])) * zoom;
  const sy = (h / (all[3] - all[1])) * zoom;
  const centre = [(c[0] + c[2]) / 2, (c[1] + c[3]) / 2];
  return {
    x: box.x + box.width / 2 + (at[0] - centre[0]!) * sx,
    y: box.y + box.height / 2 - (at[1] - centre[1]!) * sy,
  };
}

import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { seedDemoHistory } from '../../src/server/demo/history.js';
import { rollupAnalytics } from '../../src/server/jobs/analytics-rollup.js';
import { containsText, describeWeb, pathIs, POLL, signIn, useWebSession, visible } from './harness.js';

const SHOTS = 'docs/screenshots/analytics-';
const hezeGeo = JSON.parse(readFileSync('src/web/pages/analytics/heze-geo.json', 'utf8')) as {
  features: { id: string; properties: { cp: number[] }; geometry: { coordinates: number[][][] } }[];
};
const shot = (p: Page, name: string) => p.screenshot({ path: `${SHOTS}${name}.png` });

/** Where a county's centre point is drawn on the map: ECharts fits the bounding box (aspect 0.75) in the middle. */
function countyPoint(box: { x: number; y: number; width: number; height: number }, code: string) {
  let minLon = Infinity;
  let maxLon = -Infinity;
  let minLat = Infinity;
  let maxLat = -Infinity;
  for (const f of hezeGeo.features)
    for (const ring of f.geometry.coordinates)
      for (const [lon, lat] of ring) {
        minLon = Math.min(minLon, lon!);
        maxLon = Math.max(maxLon, lon!);
        minLat = Math.min(minLat, lat!);
        maxLat = Math.max(maxLat, lat!);
      }
  const aspect = ((maxLon - minLon) / (maxLat - minLat)) * 0.75;
  const [w, h] = box.width / box.height > aspect ? [box.height * aspect, box.height] : [box.width, box.width / aspect];
  const left = box.x + (box.width - w) / 2;
  const top = box.y + (box.height - h) / 2;
  const [lon, lat] = hezeGeo.features.find((f) => f.id === code)!.properties.cp;
  return { x: left + ((lon! - minLon) / (maxLon - minLon)) * w, y: top + ((maxLat - lat!) / (maxLat - minLat)) * h };
}

// 第二十七条 热点分析: the analyst opens 热点分析 over a year of demo tickets, sees the Heze map, the heat table and the
// trend, clicks 牡丹区 on the map (the table goes down to its streets) and drills down to the tickets of a figure.
describeWeb('web: hot spots and trends (第二十七条)', () => {
  const web = useWebSession();
  const { guard } = web;

  beforeAll(async () => {
    const s = web.server;
    await seedDemoHistory(s.handle.db, s.services.deps.cipher, s.clock.now(), { tickets: 1200, seed: 27 });
    await rollupAnalytics(s.handle.db, s.clock.now(), { lagMs: 0 });
  });

  it('the analyst sees the map and heat table, clicks a county and drills down to its tickets', async () => {
    const { page } = await signIn(web.browser, web.server, guard, 'analyst');
    await page.getByRole('menuitem', { name: '热点分析' }).click();
    await pathIs(page, '/analytics');
    await visible(page.getByTestId('heze-map').locator('canvas'));
    await visible(page.getByTestId('analytics-trend').locator('canvas'));
    await containsText(page.getByTestId('analytics-heat'), '牡丹区');
    await containsText(page.locator('body'), '上升最快的事项');
    await shot(page, 'overview');
    await page.getByTestId('analytics-heat').scrollIntoViewIfNeeded();
    await shot(page, 'heat-table');
    await page.getByTestId('heze-map').scrollIntoViewIfNeeded();

    // 牡丹区 on the map: the filter takes it and the heat table lists its streets
    const box = (await page.getByTestId('heze-map').boundingBox())!;
    const p = countyPoint(box, '371702');
    await page.mouse.click(p.x, p.y);
    await visible(page.getByTestId('analytics-region-reset'));
    await containsText(page.getByTestId('analytics-filters'), '牡丹区');
    await containsText(page.getByTestId('analytics-heat'), '街道');
    await expect
      .poll(async () => (await page.getByTestId('analytics-heat').innerText()).includes('曹县'), POLL)
      .toBe(false);
    await shot(page, 'county');

    // a figure's tickets: 工单查询 with the filter in the URL
    await page.getByTestId('analytics-total-drill').click();
    await pathIs(page, '/tickets');
    expect(new URL(page.url()).searchParams.get('region')).toBe('371702');
    await containsText(page.getByTestId('drill-filter'), '牡丹区');
    await visible(page.getByTestId('drill-tickets').locator('tbody tr a'));
    await containsText(page.getByTestId('drill-tickets'), '牡丹区');
    await shot(page, 'drilldown');
    guard.assertClean();
  });

  it('a county centre sees only its county', async () => {
    const { page } = await signIn(web.browser, web.server, guard, 'agent_cx');
    await page.goto('/analytics');
    await containsText(page.getByTestId('analytics-heat'), '曹县');
    expect(await page.getByTestId('analytics-heat').innerText()).not.toContain('牡丹区');
    guard.assertClean();
  });
});

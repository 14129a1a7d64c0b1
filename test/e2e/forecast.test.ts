import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import { seedDemoHistory } from '../../src/server/demo/history.js';
import { rollupAnalytics } from '../../src/server/jobs/analytics-rollup.js';
import { rollupAssessment } from '../../src/server/jobs/assessment-rollup.js';
import { forecastPass } from '../../src/server/jobs/forecast-monthly.js';
import { expectNoAxeViolations } from './axe.js';
import { containsText, describeWeb, pathIs, signIn, useWebSession, visible } from './harness.js';

// 第二十八条: the analyst opens 季节预测 over a year of demo tickets and sees actuals beside forecasts; a unit's handler
// sees its 预案提醒 on its workbench, acknowledges it, and downloads its monthly analysis as PDF and Excel.
describeWeb('web: seasonal forecasts, 预案提醒 and the monthly analysis (第二十八条)', () => {
  const web = useWebSession();
  const { guard } = web;

  beforeAll(async () => {
    const s = web.server;
    const db = s.handle.db;
    await seedDemoHistory(db, s.services.deps.cipher, s.clock.now(), { tickets: 1200, seed: 28 });
    await rollupAnalytics(db, s.clock.now(), { lagMs: 0 });
    await rollupAssessment(db, s.clock.now(), { lagMs: 0 });
    await forecastPass(db, s.clock.now());
    // the reminder the job gives 牡丹区人民政府 depends on the random history: make sure it has one for April
    await sql`INSERT INTO forecast_reminders (unit_id, month, reason, expected, average, last_year, details, created_at)
      VALUES (${s.ids.units['gov-md']!}, '2025-04-01', 'last_year_peak', 42, 25, 47,
        ${JSON.stringify([{ regionCode: '371702', regionName: '牡丹区', categoryId: s.ids.categories['CX-SZ'], categoryName: '城乡建设 / 市政设施', expected: 42, average: 25, lastYear: 47 }])}::jsonb,
        now())
      ON CONFLICT (unit_id, month) DO NOTHING`.execute(db);
  });

  it('the analyst sees actuals and forecasts on 季节预测', async () => {
    const { page } = await signIn(web.browser, web.server, guard, 'analyst');
    await page.getByRole('menuitem', { name: '季节预测' }).click();
    await pathIs(page, '/forecast');
    await visible(page.getByTestId('forecast-chart').locator('canvas'));
    await containsText(page.locator('body'), '2025年4月预测诉求量');
    await visible(page.getByTestId('forecast-rises').locator('tbody tr').first());
    await containsText(page.getByTestId('forecast-models'), '值');
    await page.setViewportSize({ width: 1366, height: 1150 });
    await page.screenshot({ path: 'docs/screenshots/forecast.png' });
    await expectNoAxeViolations(page, '季节预测');
    const download = page.waitForEvent('download');
    await page.getByTestId('forecast-export').click();
    await page.getByText('CSV（.csv）').click();
    expect((await download).suggestedFilename()).toBe('季节预测_2025-04.csv');
    guard.assertClean();
  });

  it('a unit sees its 预案提醒, acknowledges it and downloads its monthly analysis', async () => {
    const { page } = await signIn(web.browser, web.server, guard, 'handler_md');
    await page.getByRole('menuitem', { name: '本单位工单' }).click();
    const alert = page.getByTestId('forecast-reminders');
    await containsText(alert, '预案提醒：2025年4月可能迎来诉求高峰');
    await containsText(alert, '去年同月');
    await expectNoAxeViolations(page, '本单位工单 预案提醒');

    await page.getByRole('menuitem', { name: '月度分析' }).click();
    await pathIs(page, '/unit-analysis');
    await containsText(page.getByTestId('unit-analysis'), '牡丹区人民政府');
    await containsText(page.getByTestId('unit-analysis-figures'), '受理量（件）');
    await containsText(page.getByTestId('unit-analysis'), '主要诉求事项');
    await page.setViewportSize({ width: 1366, height: 1100 });
    await page.screenshot({ path: 'docs/screenshots/unit-monthly-analysis.png' });
    await expectNoAxeViolations(page, '月度分析');

    const [pdf] = await Promise.all([page.waitForEvent('download'), page.getByTestId('unit-analysis-pdf').click()]);
    expect(pdf.suggestedFilename()).toBe('牡丹区人民政府2025-02月度分析.pdf');
    expect(
      readFileSync(await pdf.path())
        .subarray(0, 5)
        .toString('latin1'),
    ).toBe('%PDF-');
    const [xlsx] = await Promise.all([page.waitForEvent('download'), page.getByTestId('unit-analysis-xlsx').click()]);
    expect(xlsx.suggestedFilename()).toBe('牡丹区人民政府2025-02月度分析.xlsx');

    // 已阅: the reminder leaves the workbench
    await page.getByTestId('forecast-reminders').getByRole('button', { name: '已阅' }).first().click();
    await expect.poll(async () => page.getByTestId('forecast-reminders').count(), { timeout: 10_000 }).toBe(0);
    guard.assertClean();
  });
});

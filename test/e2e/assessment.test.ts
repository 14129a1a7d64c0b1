import { readFile } from 'node:fs/promises';
import { sql } from 'kysely';
import type { Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { rollupAssessment } from '../../src/server/jobs/assessment-rollup.js';
import { rollupServiceFigures } from '../../src/server/modules/assessment/service-figures.repository.js';
import { containsText, createTicketViaApi, describeWeb, POLL, signIn, toastShown, useWebSession } from './harness.js';

const SHOTS = 'docs/screenshots/assessment-';
const shot = (p: Page, name: string) => p.screenshot({ path: `${SHOTS}${name}.png` });

// 第二十四条 考核: the centre freezes March; 牡丹区人民政府 appeals an unreasonable 不满意 from the drill-down; the
// supervisor accepts it in the appeals queue; the unit's score goes up as a new version of the result.
describeWeb('web: a unit appeals a 不满意 and its score changes (第二十四条)', () => {
  const web = useWebSession();
  const { guard } = web;
  let unhappy: { id: number; number: string };

  async function lifecycle(
    unit: string,
    handlerName: string,
    satisfaction: string,
    over: Record<string, unknown> = {},
  ) {
    const s = web.server;
    s.clock.set('2025-03-03T09:00:00+08:00');
    const t = await createTicketViaApi(s, over);
    await (await s.as('dispatcher')).call('POST', `/api/tickets/${t.id}/dispatch`, { leadUnitId: s.ids.units[unit] });
    const h = await s.as(handlerName);
    await h.call('POST', `/api/tickets/${t.id}/accept`, {});
    await h.call('POST', `/api/tickets/${t.id}/contacts`, { method: 'phone', reached: true, note: '已电话联系' });
    s.clock.set('2025-03-04T10:00:00+08:00');
    await h.call('POST', `/api/tickets/${t.id}/reply`, { result: '已处理完毕，现场已恢复', solved: true });
    s.clock.set('2025-03-05T10:00:00+08:00');
    await (
      await s.as('callback')
    ).call('POST', `/api/tickets/${t.id}/callback`, {
      satisfaction,
      resolved: satisfaction !== 'unsatisfied',
      reasonable: satisfaction === 'unsatisfied' ? false : undefined,
      outcome: 'close',
    });
    return t;
  }

  beforeAll(async () => {
    const s = web.server;
    await lifecycle('gov-md', 'handler_md', 'satisfied', { title: '和平路路灯不亮' });
    await lifecycle('gov-md', 'handler_md', 'basically_satisfied', { title: '东城街道垃圾清运不及时' });
    unhappy = await lifecycle('gov-md', 'handler_md', 'unsatisfied', { title: '要求拆除邻居合法加装的电梯' });
    await lifecycle('gov-cx', 'handler_cx', 'satisfied', {
      title: '倪集街道道路破损',
      regionCode: '371721001',
      address: '曹县倪集街道',
    });
    await lifecycle('gov-cx', 'handler_cx', 'unsatisfied', {
      title: '倪集街道噪音扰民',
      regionCode: '371721001',
      address: '曹县倪集街道',
    });
    // a month of calls and texts as the telephone system and the channels store them (GB/T 33358 figures)
    await sql`
      INSERT INTO contacts (channel, external_id, received_at, meta, centre_unit_id, status, disposition, disposed_at)
      SELECT CASE WHEN g % 5 = 0 THEN 'wechat' ELSE 'phone' END, 'e2e-' || g,
             timestamptz '2025-03-01 09:00:00+08' + (g % 31) * interval '1 day' + (g % 9) * interval '37 minutes',
             CASE WHEN g % 5 = 0 THEN '{}'::jsonb
                  WHEN g % 23 = 0 THEN jsonb_build_object('offeredAt', timestamptz '2025-03-01 09:00:00+08' + (g % 31) * interval '1 day', 'endedAt', 'x')
                  ELSE jsonb_build_object(
                    'offeredAt', timestamptz '2025-03-01 09:00:00+08' + (g % 31) * interval '1 day' + (g % 9) * interval '37 minutes',
                    'answeredAt', timestamptz '2025-03-01 09:00:00+08' + (g % 31) * interval '1 day' + (g % 9) * interval '37 minutes' + (3 + g % 19) * interval '1 second',
                    'endedAt', 'x', 'durationSeconds', 60 + g % 240) END,
             ${s.ids.units['centre']!}, 'disposed', 'answered',
             timestamptz '2025-03-01 09:00:00+08' + (g % 31) * interval '1 day' + (g % 9) * interval '37 minutes' + (30 + g % 200) * interval '1 second'
      FROM generate_series(1, 620) g`.execute(s.handle.db);
    s.clock.set('2025-04-01T09:00:00+08:00');
    await rollupAssessment(s.handle.db, s.clock.now(), { lagMs: 0 });
    await rollupServiceFigures(s.handle.db, s.clock.now(), 400);
  });

  it('the centre freezes March, the unit appeals from the drill-down, the centre accepts, the score changes', async () => {
    const { page: sup } = await signIn(web.browser, web.server, guard, 'supervisor');
    await sup.goto('/assessment?period=2025-03');
    await containsText(sup.getByTestId('assessment-status'), '实时结果');
    await sup.getByRole('tab', { name: /县区政府/ }).click();
    await sup.getByTestId('assessment-freeze').click();
    await toastShown(sup, '已生成 2025年3月 考核结果第 1 版');
    await containsText(sup.getByTestId('assessment-status'), '已冻结 第 1 版');
    await sup.getByRole('tab', { name: /县区政府/ }).click();
    await sup.locator('.ant-tabs-tabpane-active canvas').first().waitFor();
    await shot(sup, 'results');

    const { page: unit } = await signIn(web.browser, web.server, guard, 'handler_md');
    await unit.goto('/assessment?period=2025-03');
    const mdId = web.server.ids.units['gov-md']!;
    const score = unit.getByTestId('unit-score');
    await containsText(score, '.');
    const before = Number(await score.first().innerText());
    await unit.getByTestId(`drill-${mdId}`).click();
    await unit.getByTestId('drill-indicator-satisfaction').click();
    const appealButton = unit.getByTestId(`appeal-${unhappy.id}`);
    await appealButton.click();
    await unit
      .getByLabel('申诉理由')
      .fill('诉求人要求拆除邻居依法加装的电梯，超出政策规定，已依法答复并解释，不满意评价不合理。');
    await unit.getByLabel('佐证材料说明').fill('答复录音 20250304-01；加装电梯审批文件');
    await shot(unit, 'appeal-form');
    await unit.locator('.ant-modal').getByRole('button', { name: '提交申诉' }).click();
    await toastShown(unit, '申诉已提交');
    await containsText(unit.getByTestId('drill-tickets'), '待审核');
    await shot(unit, 'drilldown');
    // the tickets counted against the unit, as a file for its own records (recorded as an export first)
    const download = unit.waitForEvent('download', { timeout: 60_000 });
    await unit.getByTestId('drill-export').click();
    await unit.getByText('CSV（.csv）').last().click();
    const csv = await readFile((await (await download).path())!, 'utf8');
    expect(csv).toContain('工单号,标题,派单日,计分,申诉');
    expect(csv).toMatch(new RegExp(`${unhappy.number},.*,扣分,待审核`));

    await sup.goto('/assessment/appeals');
    await containsText(sup.getByTestId('appeals-table'), unhappy.number);
    await shot(sup, 'appeals');
    await sup.locator('[data-testid^="decide-"]').first().click();
    await sup.getByLabel('审核意见').fill('经核实，诉求超出政策规定，不满意评价不合理，予以采纳。');
    await sup.locator('.ant-modal').getByRole('button', { name: '确定' }).click();
    await toastShown(sup, '考核结果已更新：2025-03 第 2 版');

    await unit.goto('/assessment?period=2025-03');
    await containsText(unit.getByTestId('assessment-status'), '已冻结 第 2 版');
    await containsText(unit.getByTestId('assessment-status'), '申诉采纳');
    await expect
      .poll(async () => Number(await unit.getByTestId('unit-score').first().innerText()), POLL)
      .toBeGreaterThan(before);
    await shot(unit, 'unit-score');
    guard.assertClean();
  });

  it('the admin sees the schemes; the supervisor sees the GB/T 33358 service figures', async () => {
    const { page: a } = await signIn(web.browser, web.server, guard, 'admin');
    await a.goto('/assessment/schemes');
    await containsText(a.locator('body'), '默认考核方案');
    await shot(a, 'schemes');
    const { page: sup } = await signIn(web.browser, web.server, guard, 'supervisor');
    await sup.goto('/service-figures');
    await sup.locator('.ant-picker-range input').first().click();
    await sup.locator('.ant-picker-range input').first().fill('2025-03-01');
    await sup.locator('.ant-picker-range input').nth(1).click();
    await sup.locator('.ant-picker-range input').nth(1).fill('2025-03-31');
    await sup.keyboard.press('Enter');
    await containsText(sup.locator('body'), '24小时接通率');
    await sup.locator('canvas').first().waitFor();
    await shot(sup, 'service-figures');
    guard.assertClean();
  });
});

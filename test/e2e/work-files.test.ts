import type { Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { rollupAssessment } from '../../src/server/jobs/assessment-rollup.js';
import {
  containsText,
  createTicketViaApi,
  describeWeb,
  signIn,
  toastShown,
  useWebSession,
  visible,
} from './harness.js';
import { expectNoAxeViolations, expectNoAxeViolationsIn } from './axe.js';

// 第十四条 / 第二十四条: a unit's handler applies to return a ticket with an uploaded PDF, the dispatcher sees the file
// in the review queue and downloads it; a unit appeals a 不满意 with an uploaded picture and the centre sees it in
// the appeals queue. Screenshots: docs/screenshots/work-files-*.png.

const SHOTS = 'docs/screenshots/work-files-';
const shot = async (p: Page, name: string) => {
  await p
    .locator('.ant-message-notice')
    .last()
    .waitFor({ state: 'detached', timeout: 10_000 })
    .catch(() => undefined);
  await p.screenshot({ path: `${SHOTS}${name}.png` });
};

const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
);
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

describeWeb('web: 第十四、二十四条 uploaded materials of a return application and an appeal', () => {
  const web = useWebSession();
  const { guard } = web;
  let toReturn: { id: number; number: string };
  let unhappy: { id: number; number: string };
  let toReply: { id: number; number: string };

  beforeAll(async () => {
    const s = web.server;
    const dispatcher = await s.as('dispatcher');
    const handler = await s.as('handler_md');
    toReturn = await createTicketViaApi(s, { title: '供电线路私拉乱接', regionCode: '371702001' });
    await dispatcher.call('POST', `/api/tickets/${toReturn.id}/dispatch`, { leadUnitId: s.ids.units['gov-md'] });
    // a ticket closed 不满意 in March, rolled up into the assessment
    unhappy = await createTicketViaApi(s, { title: '要求拆除邻居合法加装的电梯' });
    await dispatcher.call('POST', `/api/tickets/${unhappy.id}/dispatch`, { leadUnitId: s.ids.units['gov-md'] });
    await handler.call('POST', `/api/tickets/${unhappy.id}/accept`, {});
    await handler.call('POST', `/api/tickets/${unhappy.id}/contacts`, {
      method: 'phone',
      reached: true,
      note: '已电话联系',
    });
    // a ticket in progress, its requester reached: ready for the reply
    toReply = await createTicketViaApi(s, { title: '小区门口路面塌陷' });
    await dispatcher.call('POST', `/api/tickets/${toReply.id}/dispatch`, { leadUnitId: s.ids.units['gov-md'] });
    await handler.call('POST', `/api/tickets/${toReply.id}/accept`, {});
    await handler.call('POST', `/api/tickets/${toReply.id}/contacts`, {
      method: 'phone',
      reached: true,
      note: '已电话联系，约定现场查看',
    });
    s.clock.set('2025-03-04T10:00:00+08:00');
    await handler.call('POST', `/api/tickets/${unhappy.id}/reply`, { result: '已依法答复并解释', solved: true });
    s.clock.set('2025-03-05T10:00:00+08:00');
    await (
      await s.as('callback')
    ).call('POST', `/api/tickets/${unhappy.id}/callback`, {
      satisfaction: 'unsatisfied',
      resolved: false,
      reasonable: false,
      outcome: 'close',
    });
    s.clock.set('2025-03-05T11:00:00+08:00');
    await rollupAssessment(s.handle.db, s.clock.now(), { lagMs: 0 });
  });

  it('第十四条: a handler applies to return with an uploaded PDF; the dispatcher sees and downloads it', async () => {
    const { page: h } = await signIn(web.browser, web.server, guard, 'handler_md');
    await h.goto(`/tickets/${toReturn.id}`);
    await h.getByTestId('unit-actions').getByRole('button', { name: '申请退单' }).click();
    const modal = h.locator('.ant-modal');
    await modal.getByRole('button', { name: '提交' }).click();
    await visible(modal.getByText('申请退单须按规定提供材料'));
    await h.getByLabel('退单理由').fill('私拉乱接的是供电企业的线路，属供电公司职责，不属区政府职责');
    await modal.locator('input[type=file]').setInputFiles({
      name: '供电设施产权说明.pdf',
      mimeType: 'application/pdf',
      buffer: PDF,
    });
    await visible(modal.locator('.ant-upload-list-item-done', { hasText: '供电设施产权说明.pdf' }));
    await shot(h, 'return-form');
    await expectNoAxeViolationsIn(h, '申请退单（已上传材料）');
    await modal.getByRole('button', { name: '提交' }).click();
    await toastShown(h, '退单申请已提交，等待中心审核');
    const applied = h.locator('[data-event-kind="return_applied"]');
    await containsText(applied, '供电设施产权说明.pdf');

    const { page: d } = await signIn(web.browser, web.server, guard, 'dispatcher');
    await d.locator('.ant-layout-sider').getByText('申请审核').click();
    const row = d.locator(`tr[data-ticket-number="${toReturn.number}"][data-application-kind="return"]`);
    await containsText(row, '供电设施产权说明.pdf');
    await shot(d, 'review');
    await expectNoAxeViolations(d, '申请审核（材料）');
    const link = row.getByRole('link', { name: /供电设施产权说明\.pdf/ });
    const [download] = await Promise.all([d.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toBe('供电设施产权说明.pdf');
    const path = await download.path();
    const { readFile } = await import('node:fs/promises');
    expect((await readFile(path)).equals(PDF)).toBe(true);
    guard.assertClean();
  });

  it('第十五条: the reply carries photos of the result; the timeline links them', async () => {
    const { page: h } = await signIn(web.browser, web.server, guard, 'handler_md');
    await h.goto(`/tickets/${toReply.id}`);
    await h.getByTestId('unit-actions').getByRole('button', { name: '办结答复' }).click();
    const modal = h.locator('.ant-modal');
    await h.getByLabel('办理结果', { exact: true }).fill('已对塌陷路面进行回填硬化，恢复通行。');
    await modal.locator('input[type=file]').setInputFiles({ name: '修复后.png', mimeType: 'image/png', buffer: PNG });
    await visible(modal.locator('.ant-upload-list-item-done', { hasText: '修复后.png' }));
    await shot(h, 'reply-form');
    await expectNoAxeViolationsIn(h, '办结答复（已上传照片）');
    await modal.getByRole('button', { name: '提交' }).click();
    await toastShown(h, '已答复，等待中心回访');
    const replied = h.locator('[data-event-kind="replied"]');
    await containsText(replied, '修复后.png');
    const href = await replied.getByRole('link', { name: /修复后\.png/ }).getAttribute('href');
    expect((await h.request.get(href!)).status()).toBe(200);
    guard.assertClean();
  });

  it('第二十四条: a unit appeals a 不满意 with an uploaded picture; the centre sees it in the appeals queue', async () => {
    const { page: unit } = await signIn(web.browser, web.server, guard, 'handler_md');
    await unit.goto('/assessment?period=2025-03');
    const mdId = web.server.ids.units['gov-md']!;
    await unit.getByTestId(`drill-${mdId}`).click();
    await unit.getByTestId('drill-indicator-satisfaction').click();
    await unit.getByTestId(`appeal-${unhappy.id}`).click();
    const modal = unit.locator('.ant-modal');
    await unit
      .getByLabel('申诉理由')
      .fill('诉求人要求拆除邻居依法加装的电梯，超出政策规定，已依法答复，不满意评价不合理。');
    await modal
      .locator('input[type=file]')
      .setInputFiles({ name: '现场答复照片.png', mimeType: 'image/png', buffer: PNG });
    await visible(modal.locator('.ant-upload-list-item-done', { hasText: '现场答复照片.png' }));
    await shot(unit, 'appeal-form');
    await expectNoAxeViolationsIn(unit, '考核申诉（已上传照片）');
    await modal.getByRole('button', { name: '提交申诉' }).click();
    await toastShown(unit, '申诉已提交');

    const { page: sup } = await signIn(web.browser, web.server, guard, 'supervisor');
    await sup.goto('/assessment/appeals');
    const table = sup.getByTestId('appeals-table');
    await containsText(table, unhappy.number);
    await containsText(table, '现场答复照片.png');
    const href = await table.getByRole('link', { name: /现场答复照片\.png/ }).getAttribute('href');
    const res = await sup.request.get(href!);
    expect(res.status()).toBe(200);
    expect(res.headers()['content-type']).toBe('image/png');
    expect(res.headers()['x-content-type-options']).toBe('nosniff');
    await shot(sup, 'appeals');
    await expectNoAxeViolations(sup, '考核申诉');
    guard.assertClean();
  });
});

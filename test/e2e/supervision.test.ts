import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { sweepDeadlines } from '../../src/server/jobs/deadline-sweeper.js';
import { runSupervisionTriggers } from '../../src/server/jobs/supervision-triggers.js';
import {
  containsText,
  createTicketViaApi,
  describeWeb,
  signIn,
  toastShown,
  useWebSession,
  visible,
} from './harness.js';

// 第二十二条 督办, the journey: a ticket of 牡丹区人民政府 breaches its deadline (红牌), the scheduler's trigger opens
// a case; the supervisor sees it on the 督办工作台 with its 督办通知单; the unit answers in its 督办件; the
// supervisor closes it. Screenshots: docs/screenshots/supervision-*.png.

const SHOTS = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));
const shot = (p: Page, name: string) => p.screenshot({ path: `${SHOTS}supervision-${name}.png` });

describeWeb('web: 第二十二条 a breach opens a case, the unit answers, the supervisor closes it', () => {
  const web = useWebSession();
  const { guard } = web;

  it('breach → case → answer → close', async () => {
    const s = web.server;
    const t = await createTicketViaApi(s, { title: '和平路污水井盖破损，夜间行人易跌落' });
    await (
      await s.as('dispatcher')
    ).call('POST', `/api/tickets/${t.id}/dispatch`, { leadUnitId: s.ids.units['gov-md'] });
    // a week later the unit has not accepted it: the sweep marks the breach, the trigger job opens the case
    s.clock.set('2025-03-10T10:00:00+08:00');
    await sweepDeadlines(s.handle.db, s.clock);
    const r = await runSupervisionTriggers(s.handle.db, s.clock);
    expect(r.cases).toBeGreaterThanOrEqual(1);

    const { page: sup } = await signIn(web.browser, s, guard, 'supervisor');
    await sup.locator('.ant-layout-sider').getByText('督办工作台').click();
    const row = sup.locator('tr', { hasText: '牡丹区人民政府' }).filter({ hasText: '超出办理时限' }).first();
    await visible(row);
    await containsText(row, '督办中');
    await shot(sup, 'workbench');
    await row.getByRole('link').click();
    await visible(sup.getByText('督办记录'));
    await containsText(sup.locator('.ant-descriptions'), '书面督办');
    await shot(sup, 'case');
    await sup.getByRole('button', { name: '督办通知单' }).click();
    const notice = sup.getByTestId('supervision-notice');
    await containsText(notice, '菏泽市12345政务服务便民热线督办通知单');
    await containsText(notice, t.number);
    await shot(sup, 'notice');
    // the ticket carries its 红牌 and the case
    await sup.goto(`/tickets/${t.id}`);
    await visible(sup.locator('[data-card="red"]'));
    await shot(sup, 'ticket');

    const { page: unit } = await signIn(web.browser, s, guard, 'handler_md');
    await unit.locator('.ant-layout-sider').getByText('督办件').click();
    const mine = unit.locator('tr', { hasText: '超出办理时限' }).first();
    await visible(mine);
    await shot(unit, 'unit-list');
    await mine.getByRole('button', { name: '反馈办理情况' }).click();
    // on the case page (not the list's button of the same name)
    await visible(unit.getByText('督办记录'));
    await unit.locator('.ant-card').first().getByRole('button', { name: '反馈办理情况' }).click();
    await unit.getByLabel('办理情况', { exact: true }).fill('已签收并派人更换井盖，诉求人表示认可');
    await unit.locator('.ant-modal').getByRole('button', { name: '提交' }).click();
    await toastShown(unit, '反馈办理情况已提交');
    await containsText(unit.locator('.ant-card').first(), '已反馈');
    await shot(unit, 'unit-answered');

    await sup.goBack();
    await sup.locator('.ant-layout-sider').getByText('督办工作台').click();
    await sup
      .locator('tr', { hasText: '牡丹区人民政府' })
      .filter({ hasText: '已反馈' })
      .first()
      .getByRole('link')
      .click();
    await sup.getByRole('button', { name: '办结' }).click();
    await sup.getByLabel('督办意见').fill('单位已整改到位，同意办结');
    await sup.locator('.ant-modal').getByRole('button', { name: '提交' }).click();
    await toastShown(sup, '办结已提交');
    await containsText(sup.locator('.ant-card').first(), '已办结');
    await containsText(sup.locator('.ant-timeline'), '单位反馈');
    await shot(sup, 'closed');

    // the board of cards per unit, and the rules as data with their versions
    await sup.locator('.ant-layout-sider').getByText('督办工作台').click();
    await sup.getByRole('tab', { name: '黄牌红牌' }).click();
    await containsText(sup.locator('.ant-table-tbody'), '牡丹区人民政府');
    await shot(sup, 'cards');
    await sup.getByRole('tab', { name: '触发规则' }).click();
    const rule = sup.locator('tr', { hasText: '多次反映或集中反映未解决' });
    await containsText(rule, '不同诉求人数达到：5');
    await rule.getByRole('button', { name: '修改' }).click();
    await visible(sup.locator('.ant-modal'));
    await sup.getByLabel('不同诉求人数达到').fill('8');
    await sup.locator('.ant-modal').getByRole('button', { name: '保存为新版本' }).click();
    await toastShown(sup, '已保存为新版本');
    await containsText(sup.locator('tr', { hasText: '多次反映或集中反映未解决' }), '不同诉求人数达到：8');
    await containsText(sup.locator('tr', { hasText: '多次反映或集中反映未解决' }), 'v2');
    await shot(sup, 'rules');
    guard.assertClean();
  });
});

import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import {
  attributeIs, describeWeb, ConsoleGuard, containsText, countIs, lacksText, launchBrowser, pathIs, pickCascader, signIn, startServer, visible, type TestServer,
} from './harness.js';

// Journey (a): the agent takes a call and creates a ticket; the dispatcher sees the catalogue's suggestion
// with the rule behind it and dispatches by it.
describeWeb('web: intake and dispatch', () => {
  let server: TestServer;
  let browser: Browser;
  const guard = new ConsoleGuard();
  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('agent creates a ticket, dispatcher dispatches it by the suggestion', async () => {
    const { page: a } = await signIn(browser, server, guard, 'agent');
    await pathIs(a, '/intake');
    // The agent's menu offers intake, not dispatch or administration.
    const menu = a.locator('.ant-layout-sider');
    await visible(menu.getByText('新建工单'));
    expect(await menu.getByText('待派单').count()).toBe(0);
    expect(await menu.getByText('系统管理').count()).toBe(0);

    // Submitting an empty form shows Chinese validation messages.
    await a.getByRole('button', { name: '提交工单' }).click();
    await visible(a.getByText('请选择事项分类'));
    await visible(a.getByText('请填写标题'));

    await a.getByLabel('诉求人姓名').fill('张秀英');
    await a.getByLabel('联系电话').fill('139-0530-1234');
    await pickCascader(a, '事项分类', ['城乡建设', '市政设施']);
    await pickCascader(a, '行政区划', ['菏泽市', '牡丹区', '东城街道']);
    await a.getByLabel('详细地址').fill('和平路与中华路交叉口东50米');
    await a.getByLabel('标题').fill('和平路路灯连续一周不亮');
    await a.getByLabel('诉求内容').fill('和平路与中华路交叉口往东一段路灯已经连续一周晚上不亮，夜间通行很危险。');
    await a.getByLabel('诉求内容').press('Control+Enter'); // keyboard submit
    await visible(a.getByTestId('created-number'));
    const number = (await a.getByTestId('created-number').innerText()).trim();
    expect(number).toMatch(/^HZ\d{8}-\d{6}$/);
    expect(await a.getByLabel('标题').inputValue()).toBe(''); // ready for the next call

    const { page: d } = await signIn(browser, server, guard, 'dispatcher');
    await pathIs(d, '/dispatch');
    const row = d.locator(`tr[data-ticket-number="${number}"]`);
    await visible(row);
    await row.click();
    const suggestion = d.getByTestId('dispatch-suggestion');
    await containsText(suggestion, '牡丹区东城街道办事处');
    await containsText(suggestion, '属地管理'); // the rule's basis and explanation
    await containsText(suggestion, '派单目录规则 #');
    await containsText(suggestion, '菏泽市城市管理局'); // the rule's default assisting unit
    // The requester is masked until revealed with a purpose (audited).
    await lacksText(d.getByTestId('requester'), '0530-1234');
    await d.getByTestId('requester').getByRole('button', { name: '显示' }).click();
    await d.getByLabel('查看事由').fill('核实诉求地址');
    await d.getByLabel('查看事由').press('Enter');
    await containsText(d.getByTestId('requester'), '139-0530-1234');

    await suggestion.getByRole('button', { name: '按派单目录派单' }).click();
    await visible(d.getByText(`工单 ${number} 已派至 牡丹区东城街道办事处`));
    await attributeIs(d.getByTestId('ticket-detail'), 'data-status', 'dispatched');
    await containsText(d.getByTestId('ticket-detail').locator('[data-event-kind="dispatched"]'), '属地管理');
    await d.locator('.ant-drawer-close').click();
    await countIs(row, 0); // left the dispatch queue

    guard.assertClean();
  });
});

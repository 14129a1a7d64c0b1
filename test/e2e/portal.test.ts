import { expect, it } from 'vitest';
import type { BrowserContext } from 'playwright-core';
import {
  attributeIs,
  containsText,
  describeWeb,
  pathIs,
  POLL,
  pickCascader,
  signIn,
  useWebSession,
  visible,
} from './harness.js';
import { PHONE, picture } from './intake-helpers.js';
import { expectNoAxeViolations } from './axe.js';

// Journey (5): a citizen on a phone, no account. Submits a request with a picture on the portal and gets a
// reference; the centre turns it into a ticket that is dispatched, handled and replied (through the API as
// agent, dispatcher and handler); the citizen tracks it with number + code, sees the reply, evaluates once —
// a second evaluation is refused in Chinese — and complains about staff, which the supervisor sees.
describeWeb('web: public portal', () => {
  const web = useWebSession();
  const { guard } = web;
  const contexts: BrowserContext[] = [];
  const phone = async (who: string) => {
    const context = await web.browser.newContext({
      ...PHONE,
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
      baseURL: web.server.url,
      reducedMotion: 'reduce',
    });
    context.setDefaultTimeout(15_000);
    contexts.push(context);
    const page = await context.newPage();
    guard.attach(page, who);
    return page;
  };

  it('submit with a picture, then track, read the reply, evaluate once, complain', async () => {
    const p = await phone('citizen');
    await p.goto('/login');
    await p.getByTestId('portal-link').click(); // the login page links to the portal
    await pathIs(p, '/portal');
    await p.getByText('我要留言').first().click();
    await pathIs(p, '/portal/submit');
    // No horizontal scrolling on a 375 px phone.
    expect(await p.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);

    await p.getByRole('button', { name: '提交留言' }).click();
    await visible(p.getByText('请填写诉求内容'));
    // 第十三条(一): an emergency is told whom to call while it is being typed, before anything is sent
    await p.getByLabel('诉求内容').fill('小区3号楼起火了有人被困');
    await containsText(p.getByTestId('portal-emergency'), '119');
    await p.screenshot({ path: 'docs/screenshots/portal-emergency.png' });
    await p.getByLabel('诉求内容').fill('和平路与中华路交叉口的井盖缺失好几天了，晚上很容易掉进去，请尽快处理。');
    expect(await p.getByTestId('portal-emergency').count()).toBe(0);
    // 第九条 (issue 14): where it is, picked without a map: county, then town/street
    await pickCascader(p, '所在区域', ['牡丹区', '东城街道']);
    await p.getByLabel('地址').fill('牡丹区和平路与中华路交叉口');
    await p.getByLabel('手机号码').fill('13605301111');
    await p.locator('input[type="file"]').setInputFiles(picture('井盖.png'));
    await visible(p.locator('.ant-upload-list-item'));
    await p.getByRole('button', { name: '提交留言' }).click();
    const ref = p.getByTestId('portal-reference');
    await visible(ref);
    const reference = (await ref.innerText()).trim();
    expect(reference).toMatch(/^WEB-\d+$/);
    await containsText(p.getByTestId('portal-submitted-message'), '话务员将尽快受理');
    await visible(p.getByTestId('portal-code'));
    // 无障碍 (WCAG 2.1 AA): the submission's result on a phone
    await expectNoAxeViolations(p, 'portal submitted (phone)');
    const contactId = Number(reference.slice(4));
    const kept = await web.server.handle.db
      .selectFrom('contacts')
      .select('meta')
      .where('id', '=', contactId)
      .executeTakeFirstOrThrow();
    expect(kept.meta).toMatchObject({ regionCode: '371702001' });
    // 第九条: the message can be followed at once by its 留言编号 and code (carried to the track page)
    await p.getByRole('button', { name: '查询办理进度' }).click();
    await pathIs(p, '/portal/track');
    // the track form itself, with the carried 留言编号: until it has rendered, the page that navigated (and its own
    // 查询办理进度 button) may still be on screen on a loaded machine
    const track = p.locator('#portal-track');
    await expect.poll(() => track.getByLabel('工单号').inputValue(), POLL).toBe(reference);
    await track.getByRole('button', { name: '查询' }).click();
    await containsText(p.getByTestId('tracking-stage'), '等待话务员受理');
    await expectNoAxeViolations(p, 'portal track a message (phone)');
    await p.screenshot({ path: 'docs/screenshots/portal-track-message.png' });
    const atts = await web.server.handle.db
      .selectFrom('attachments')
      .select(['mime', 'original_name'])
      .where('contact_id', '=', contactId)
      .execute();
    expect(atts).toEqual([{ mime: 'image/png', original_name: '井盖.png' }]);

    // The centre's work, through the API.
    const agent = await web.server.as('agent');
    const d = await agent.call('POST', `/api/contacts/${contactId}/disposition`, {
      disposition: 'dispatched',
      requestType: 'complaint',
      categoryId: web.server.ids.categories['CX-SZ'],
      regionCode: '371702001',
      address: '牡丹区和平路与中华路交叉口',
      title: '和平路井盖缺失',
    });
    await (await web.server.as('dispatcher')).call('POST', `/api/tickets/${d.ticketId}/dispatch`, {});
    const dc = await web.server.as('handler_dc');
    await dc.call('POST', `/api/tickets/${d.ticketId}/accept`, {});
    await dc.call('POST', `/api/tickets/${d.ticketId}/contacts`, {
      method: 'phone',
      reached: true,
      note: '已电话联系诉求人',
    });
    await dc.call('POST', `/api/tickets/${d.ticketId}/reply`, {
      result: '已协调市政部门补装井盖，并设置警示标志。',
      solved: true,
    });

    // Track with number + code.
    await p.getByRole('link', { name: '查询进度' }).click();
    await pathIs(p, '/portal/track');
    await p.getByLabel('工单号').fill(d.ticketNumber);
    await p.getByLabel('查询码').fill('WRONG1');
    guard.expect(/status of 404/); // Chromium logs the deliberate refusal
    await p.getByRole('button', { name: '查询' }).click();
    await containsText(p.getByRole('alert'), '工单号或查询码不正确');
    await p.getByLabel('查询码').fill(d.trackingCode.toLowerCase()); // case does not matter
    await p.getByRole('button', { name: '查询' }).click();
    const result = p.getByTestId('tracking-result');
    await attributeIs(result, 'data-status', 'replied');
    await containsText(result, '和平路井盖缺失');
    await containsText(p.getByTestId('tracking-unit'), '牡丹区东城街道办事处');
    await containsText(result, '承办单位已签收');
    await containsText(result, '承办单位已答复');
    await containsText(p.getByTestId('portal-reply'), '已协调市政部门补装井盖');
    expect(await p.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);

    // A second device has the page open too, before the first evaluates.
    const p2 = await phone('citizen-2');
    await p2.goto(`/portal/track?number=${d.ticketNumber}`);
    await p2.getByLabel('查询码').fill(d.trackingCode);
    await p2.getByRole('button', { name: '查询' }).click();
    await visible(p2.getByTestId('evaluate-form'));

    const ev = p.getByTestId('evaluate-form');
    await ev.getByText('满意', { exact: true }).click();
    await ev.getByLabel('意见（可选）').fill('处理很及时，谢谢！');
    await ev.getByRole('button', { name: '提交评价' }).click();
    await containsText(p.getByTestId('portal-evaluation'), '您的评价：满意');
    await containsText(p.getByTestId('portal-evaluation'), '处理很及时');
    expect(await p.getByTestId('evaluate-form').count()).toBe(0); // only once

    const ev2 = p2.getByTestId('evaluate-form');
    await ev2.getByText('不满意', { exact: true }).click();
    guard.expect(/status of 409/);
    await ev2.getByRole('button', { name: '提交评价' }).click();
    await containsText(ev2.getByRole('alert'), '该工单已评价');

    // A complaint about staff goes to supervision.
    await p.getByText('投诉工作人员').click();
    await p.getByLabel('投诉内容').fill('承办人员电话中态度生硬，多次打断我说话。');
    await p.getByRole('button', { name: '提交投诉' }).click();
    await containsText(p.getByTestId('complaint-sent'), '您的投诉已转交督办部门处理');

    const { page: s } = await signIn(web.browser, web.server, guard, 'supervisor');
    await s.locator('.ant-layout-sider').getByText('工作人员投诉').click();
    await pathIs(s, '/supervision/complaints');
    await containsText(s.locator('.ant-table-tbody'), '承办人员电话中态度生硬');
    await containsText(s.locator('.ant-table-tbody'), '牡丹区东城街道办事处');

    for (const c of contexts) await c.close();
    guard.assertClean();
  });
});

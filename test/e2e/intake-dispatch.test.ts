import type { Locator } from 'playwright-core';
import { expect, it } from 'vitest';
import {
  attributeIs,
  containsText,
  countIs,
  describeWeb,
  lacksText,
  pathIs,
  pickCascader,
  signIn,
  toastShown,
  useWebSession,
  visible,
} from './harness.js';
import { picture } from './intake-helpers.js';

// Journey (1): the agent records a call on the console — requester, address, text and a picture — and gives it
// the 派单 disposition; the standard phrase, the ticket number and the tracking code are shown to read to the
// caller. The dispatcher then finds the ticket in the queue, with the catalogue's suggestion, and dispatches it.
describeWeb('web: agent console records a call and dispatches it', () => {
  const web = useWebSession();
  const { guard } = web;

  it('agent records a call with a picture and dispatches it; dispatcher dispatches by the suggestion', async () => {
    const { page: a } = await signIn(web.browser, web.server, guard, 'agent');
    await pathIs(a, '/intake');
    // The agent's menu offers the console, not dispatch or administration.
    const menu = a.locator('.ant-layout-sider');
    await visible(menu.getByText('受理台'));
    expect(await menu.getByText('待派单').count()).toBe(0);
    expect(await menu.getByText('系统管理').count()).toBe(0);

    // Recording an empty contact shows the Chinese validation message.
    const form = a.getByTestId('contact-form');
    await form.getByRole('button', { name: /记录/ }).click();
    await visible(a.getByText('请填写诉求内容'));

    await a.getByLabel('诉求人姓名').fill('张秀英');
    await a.getByLabel('联系电话').fill('139-0530-1234');
    await a.getByLabel('详细地址').fill('和平路与中华路交叉口东50米');
    await a
      .getByLabel('诉求内容')
      .fill('和平路与中华路交叉口往东一段路灯已经连续一周晚上不亮，夜间通行很不方便。物业电话0530-5557788一直没人接。');
    await form.locator('input[type="file"]').setInputFiles(picture('路灯现场.png'));
    await visible(form.getByText('路灯现场.png'));
    await a.getByLabel('诉求内容').press('Control+Enter'); // keyboard: record
    await toastShown(a, '已记录，附件 1 个');

    // The recorded contact is open with its disposition panel; 派单 is preselected and the title prefilled.
    const current = a.getByTestId('current-contact');
    await containsText(current, '路灯已经连续一周');
    await containsText(current, '张**'); // the requester is masked on screen
    await containsText(current, '物业电话0530-*****88'); // and so is a number inside the words (第六条)
    await imageLoads(current.getByTestId('attachments').locator('img').first()); // the picture is on screen
    await attributeIs(a.locator('[data-disposition="dispatched"]'), 'aria-checked', 'true');
    await attributeIs(a.locator(':focus'), 'id', 'disposition_categoryId'); // keyboard: the next field to fill
    expect(await a.getByLabel('标题').inputValue()).toBe(
      '和平路与中华路交叉口往东一段路灯已经连续一周晚上不亮，夜间通行很不方便'.slice(0, 40),
    );
    expect(await a.getByLabel('详细地址').inputValue()).toBe('和平路与中华路交叉口东50米'); // carried from the contact form

    // the agent may see the words as the caller gave them, with a purpose that goes into the access audit
    await current.getByTestId('contact-reveal').click();
    await a.getByLabel('查看事由').fill('核实物业联系电话');
    await a.getByLabel('查看事由').press('Enter');
    await containsText(current.getByTestId('contact-content'), '物业电话0530-5557788');
    await containsText(current.getByTestId('contact-requester'), '139-0530-1234');
    await toastShown(a, '本次查看已记入访问审计');

    // Submitting without category and region names what is missing.
    await a.getByTestId('dispose-submit').click();
    await visible(a.getByText('请选择事项分类'));
    await pickCascader(a, '事项分类', ['城乡建设', '市政设施']);
    await pickCascader(a, '行政区划', ['菏泽市', '牡丹区', '东城街道']);
    await a.getByLabel('标题').fill('和平路路灯连续一周不亮');
    await a.getByLabel('标题').press('Control+Enter'); // keyboard: dispose

    const result = a.getByTestId('disposition-result');
    await visible(result);
    await containsText(result, '已处置：派单办理');
    const number = (await a.getByTestId('result-ticket-number').innerText()).trim();
    expect(number).toMatch(/^HZ\d{8}-\d{6}$/);
    const code = (await a.getByTestId('result-tracking-code').innerText()).trim();
    expect(code.length).toBeGreaterThanOrEqual(6);
    // The standard phrase of 第十二条 with the ticket number, to read to the caller.
    await containsText(a.getByTestId('reply-text'), `您的诉求已受理，工单号 ${number}，我们将转交承办单位办理`);
    // The picture went with the ticket.
    const ticket = await web.server.handle.db
      .selectFrom('tickets')
      .select(['id'])
      .where('number', '=', number)
      .executeTakeFirstOrThrow();
    const atts = await web.server.handle.db
      .selectFrom('attachments')
      .select(['mime', 'original_name'])
      .where('ticket_id', '=', ticket.id)
      .execute();
    expect(atts).toEqual([{ mime: 'image/png', original_name: '路灯现场.png' }]);

    // Ready for the next call: Enter on the focused button brings back an empty form.
    await a.keyboard.press('Enter');
    await visible(a.getByTestId('contact-form'));
    expect(await a.getByLabel('诉求内容').inputValue()).toBe('');

    const { page: d } = await signIn(web.browser, web.server, guard, 'dispatcher');
    await pathIs(d, '/dispatch');
    const row = d.locator(`tr[data-ticket-number="${number}"]`);
    await visible(row);
    await row.click();
    const suggestion = d.getByTestId('dispatch-suggestion');
    await containsText(suggestion, '牡丹区东城街道办事处');
    await containsText(suggestion, '属地管理'); // the rule's basis and explanation
    await containsText(suggestion, '派单目录规则 #');
    await containsText(suggestion, '菏泽市城市管理局'); // the rule's default assisting unit
    // The caller's picture is part of the ticket the dispatcher sees.
    await imageLoads(d.getByTestId('ticket-detail').getByTestId('attachments').locator('img').first());
    // The requester is masked until revealed with a purpose (audited).
    await lacksText(d.getByTestId('requester'), '0530-1234');
    await d.getByTestId('requester').getByRole('button', { name: '显示' }).click();
    await d.getByLabel('查看事由').fill('核实诉求地址');
    await d.getByLabel('查看事由').press('Enter');
    await containsText(d.getByTestId('requester'), '139-0530-1234');
    // the number in the caller's words was masked (the screen says so) and the same audited reveal shows it
    await containsText(d.getByTestId('text-masked'), '已隐藏');
    await containsText(d.getByTestId('original-message'), '物业电话0530-5557788');

    await suggestion.getByRole('button', { name: '按派单目录派单' }).click();
    await d.locator('.ant-popconfirm').getByRole('button', { name: '确认派单' }).click(); // 第十二条: confirmed
    await toastShown(d, `工单 ${number} 已派至 牡丹区东城街道办事处`);
    await attributeIs(d.getByTestId('ticket-detail'), 'data-status', 'dispatched');
    await containsText(d.getByTestId('ticket-detail').locator('[data-event-kind="dispatched"]'), '属地管理');
    await d.locator('.ant-drawer-close').click();
    await countIs(row, 0); // left the dispatch queue

    guard.assertClean();
  });
});

/** The image is shown and its bytes arrived (served by /api/attachments/:id with the page's session). */
async function imageLoads(img: Locator) {
  await img.waitFor({ state: 'visible' });
  // the test's TypeScript has no DOM types: the element is read as the two fields needed
  const loaded = () =>
    img.evaluate((el) => {
      const i = el as unknown as { complete: boolean; naturalWidth: number };
      return i.complete ? i.naturalWidth : 0;
    });
  await expect.poll(loaded, { timeout: 15_000 }).toBeGreaterThan(0);
}

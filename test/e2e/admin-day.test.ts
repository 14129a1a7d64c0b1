import { it } from 'vitest';
import { expectNoAxeViolations, expectNoAxeViolationsIn } from './axe.js';
import {
  attributeIs,
  chooseOption,
  containsText,
  describeWeb,
  pickSelect,
  signIn,
  toastShown,
  useWebSession,
  visible,
} from './harness.js';

// The admin's day (issue 14, 第六条 账号与权限): the system administrator opens a new street handler's account at 用户
// (unit, role, data scope), later disables it (its sessions end), and goes through the other screens of 系统管理 that
// the other journeys do not open. Every screen and the account form pass axe; a browser console error fails the day.

const SCREENS: Array<[menu: string, heading: string]> = [
  ['登录锁定', '登录锁定'],
  ['滥用标记审核', '滥用标记审核'],
  ['数据推送订阅', '数据推送订阅'],
  ['对接令牌', '对接令牌'],
  ['个人信息密钥', '个人信息密钥'],
  ['智能分类', '智能分类'],
  ['预警规则', '预警规则'],
];

describeWeb("web: the admin's day (系统管理)", () => {
  const web = useWebSession();
  const { guard } = web;

  it('opens an account for a street handler, disables it, and goes through 系统管理', async () => {
    const { page } = await signIn(web.browser, web.server, guard, 'admin');
    const sider = page.locator('.ant-layout-sider');
    await sider.getByText('用户', { exact: true }).click();
    await visible(page.getByRole('heading', { name: '用户', exact: true }));
    await expectNoAxeViolations(page, '用户');

    await page.getByRole('button', { name: '新建用户' }).click();
    const modal = page.locator('.ant-modal');
    await modal.getByLabel('用户名').fill('handler_dc2');
    await modal.getByLabel('姓名').fill('许新员');
    await modal.getByLabel('初始密码').fill('Dongcheng#2025');
    await modal.getByLabel('确认密码').fill('Dongcheng#2025');
    await pickSelect(page, '所属单位', '牡丹区东城街道办事处');
    await chooseOption(page, page.getByRole('combobox', { name: '角色' }), { text: /^承办人$/ });
    await page.keyboard.press('Escape'); // closes the multiple select's list, not the form
    await modal.getByText('本单位', { exact: true }).click();
    await expectNoAxeViolationsIn(page, '新建用户');
    await modal.getByRole('button', { name: '保存' }).click();
    await toastShown(page, '已新建用户 handler_dc2');
    // the newest account is listed last (20 a page)
    const pages = page.locator('.ant-pagination-item');
    if (await pages.count()) await pages.last().click();
    const row = page.locator('tr', { hasText: '许新员' });
    await containsText(row, '牡丹区东城街道办事处');
    await containsText(row, '承办人');

    await row.getByRole('button', { name: '停用' }).click();
    await page.locator('.ant-popconfirm').getByRole('button', { name: '停用' }).click();
    await toastShown(page, '已停用 许新员');

    for (const [menu, heading] of SCREENS) {
      await sider.getByText(menu, { exact: true }).click();
      await visible(page.getByRole('heading', { name: heading, exact: true, level: 1 }));
      await expectNoAxeViolations(page, menu);
    }

    // 派单目录: stopping a rule asks first, and the message offers 撤销 (issue 14), which enables it again
    await sider.getByText('派单目录', { exact: true }).click();
    await visible(page.getByRole('heading', { name: '派单目录', exact: true, level: 1 }));
    const rule = page.getByRole('switch', { checked: true }).first();
    const label = (await rule.getAttribute('aria-label'))!; // 启用规则<id>
    const id = label.replace('启用规则', '');
    await rule.click();
    await page.locator('.ant-modal-confirm').getByRole('button', { name: '停用' }).click();
    await toastShown(page, `规则 #${id} 已停用`);
    await page.getByTestId('undo-button').hover(); // the pointer keeps the message open while the switch is checked
    await attributeIs(page.getByRole('switch', { name: label }), 'aria-checked', 'false');
    await page.getByTestId('undo-button').click();
    await toastShown(page, `已撤销：规则 #${id} 重新启用`);
    await attributeIs(page.getByRole('switch', { name: label }), 'aria-checked', 'true');
    guard.assertClean();
  });
});

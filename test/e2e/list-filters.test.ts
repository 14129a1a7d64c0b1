import { fileURLToPath } from 'node:url';
import { beforeAll, expect, it } from 'vitest';
import {
  containsText,
  countIs,
  createTicketViaApi,
  describeWeb,
  pickCascader,
  signIn,
  toastShown,
  useWebSession,
  visible,
} from './harness.js';
import { expectNoAxeViolations, expectNoAxeViolationsIn } from './axe.js';

// Issue 14 "Every list": the centre's ticket list filters by region (and the rest), keeps the filters in the URL,
// and a person saves the filter set as a view, clears it, and gets it back with one click.

const SHOTS = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));

describeWeb('web: issue 14 list filters and saved views', () => {
  const web = useWebSession();
  const { guard } = web;
  beforeAll(async () => {
    await createTicketViaApi(web.server, { title: '牡丹区路灯不亮（筛选）' });
    await createTicketViaApi(web.server, { title: '曹县路面塌陷（筛选）', regionCode: '371721001' });
  });

  it('filters the list by region, saves the view, and applies it again', async () => {
    const { page } = await signIn(web.browser, web.server, guard, 'dispatcher');
    await page.goto('/tickets');
    const rows = page.locator('.ant-table-tbody tr.ant-table-row');
    await visible(page.getByText('牡丹区路灯不亮（筛选）'));
    await visible(page.getByText('曹县路面塌陷（筛选）'));

    // the filter has no visible label: its name is on the combobox (antd repeats it on the wrapper)
    await pickCascader(page, '区域', ['菏泽市', '曹县']);
    await expect.poll(() => new URL(page.url()).searchParams.get('regionCode')).toBe('371721');
    await visible(page.getByText('曹县路面塌陷（筛选）'));
    await countIs(page.getByText('牡丹区路灯不亮（筛选）'), 0);
    await containsText(rows.first(), '曹县');

    await page.getByTestId('saved-views').click();
    await page.getByText('保存当前筛选为视图…').click();
    await page.getByLabel('视图名称').fill('曹县在办');
    await expectNoAxeViolationsIn(page, '保存视图');
    await page.locator('.ant-modal').getByRole('button', { name: '保存' }).click();
    await toastShown(page, '已保存视图“曹县在办”');
    await page.screenshot({ path: `${SHOTS}list-filters-saved-views.png` });
    await expectNoAxeViolations(page, '工单查询（已筛选）');

    await page.getByRole('button', { name: '清除筛选' }).click();
    await visible(page.getByText('牡丹区路灯不亮（筛选）'));
    expect(new URL(page.url()).searchParams.get('regionCode')).toBeNull();

    await page.getByTestId('saved-views').click();
    await visible(page.getByTestId('saved-view-曹县在办'));
    await expectNoAxeViolationsIn(page, '我的视图菜单', '.ant-dropdown:not(.ant-dropdown-hidden)');
    await page.getByTestId('saved-view-曹县在办').click();
    await expect.poll(() => new URL(page.url()).searchParams.get('regionCode')).toBe('371721');
    await countIs(page.getByText('牡丹区路灯不亮（筛选）'), 0);
    guard.assertClean();
  });
});

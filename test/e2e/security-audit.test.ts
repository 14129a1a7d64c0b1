import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { insertAdminAudit } from '../../src/server/modules/audit/admin-audit.repository.js';
import { chooseOption, containsText, describeWeb, signIn, useWebSession } from './harness.js';

// 等保 2.0 安全审计 and 第三十条第二款: an export made on a screen is recorded before the file exists; the auditor
// finds it in 数据访问日志, and reads at 操作审计 who changed what and every login and failed login, with the
// address it came from.

const SHOTS = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));

describeWeb('web: 等保 2.0 安全审计 (exports recorded, 操作审计)', () => {
  const web = useWebSession();
  const { guard } = web;

  it('a screen export is recorded first; the auditor sees it and the logins at 操作审计', async () => {
    const s = web.server;
    const bad = await s.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'analyst', password: 'not-the-password' },
    });
    expect(bad.statusCode).toBe(401);

    const { page: k } = await signIn(web.browser, s, guard, 'knowledge');
    await k.goto('/knowledge/all');
    await k.getByRole('tab', { name: '更新及时率' }).click();
    const card = k.locator('.ant-card', { hasText: '各单位知识更新及时率' });
    await card.locator('tbody tr').first().waitFor();
    const download = k.waitForEvent('download');
    // 导出 offers CSV or Excel (issue 10)
    await card.getByRole('button', { name: '导出' }).click();
    await k.getByText('CSV（.csv）').click();
    expect((await download).suggestedFilename()).toBe('知识更新及时率.csv');

    const { page: a } = await signIn(web.browser, s, guard, 'auditor');
    await a.locator('.ant-layout-sider').getByText('数据访问日志').click();
    await chooseOption(a, a.getByRole('combobox', { name: '访问类型' }), { title: '导出' });
    await a.getByRole('button', { name: '查询' }).click();
    const row = a.locator('tr', { hasText: '知识更新及时率' });
    await containsText(row, '冯知识');

    await a.locator('.ant-layout-sider').getByText('操作审计').click();
    await a.getByRole('heading', { name: '操作审计' }).waitFor();
    await containsText(a.locator('tr', { hasText: '登录失败' }).first(), '127.0.0.1');
    await containsText(a.locator('tr', { hasText: '登录成功' }).first(), '127.0.0.1');
    await a.screenshot({ path: `${SHOTS}security-admin-audit.png` });
    await chooseOption(a, a.getByRole('combobox', { name: '操作类型' }), { title: '登录失败' });
    await a.getByRole('button', { name: '查询' }).click();
    await expect.poll(async () => a.locator('tbody tr.ant-table-row').count()).toBe(1);

    // 加载更多 (keyset pages of 50, useKeysetList): 60 more failed logins of another account, recorded as the
    // login route records them, give two pages under the same filter; the second page follows the first
    const at = s.clock.now();
    for (let i = 0; i < 60; i++) {
      await insertAdminAudit(s.handle.db, {
        userId: null,
        entity: 'user',
        entityId: `load-more-${i}`,
        action: 'login_failed',
        before: null,
        after: { username: `load-more-${i}` },
        at: new Date(at.getTime() - i * 1000),
        source: { ip: '127.0.0.1' },
      });
    }
    await a.getByRole('button', { name: '查询' }).click();
    await expect.poll(async () => a.locator('tbody tr.ant-table-row').count()).toBe(50);
    await a.getByRole('button', { name: '加载更多' }).click();
    await expect.poll(async () => a.locator('tbody tr.ant-table-row').count()).toBe(61);
    await expect.poll(async () => a.getByRole('button', { name: '加载更多' }).count()).toBe(0);
    guard.assertClean();
  });
});

import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { fanOut } from '../../src/server/jobs/unit-feed.js';
import { WebhookReceiver } from '../helpers/webhook-receiver.js';
import {
  containsText,
  createTicketViaApi,
  describeWeb,
  pathIs,
  pickSelect,
  signIn,
  toastShown,
  useWebSession,
  visible,
} from './harness.js';

// 第三十条, the data-sharing journey: the admin registers 牡丹区人民政府's receiving system at 数据推送订阅 (the
// secret is shown once), sends a test delivery, and after a ticket is dispatched to the unit sees the event
// delivered (signed; the local receiver verifies it) in 推送记录; issues a unit token at 对接令牌; the auditor
// filters 数据访问日志 by kind and sees the deliveries and the search that preceded them.

const SHOTS = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));
const shot = (p: Page, name: string) => p.screenshot({ path: `${SHOTS}${name}.png` });

describeWeb('web: 第三十条 data sharing (subscription, delivery, tokens, access log)', () => {
  const web = useWebSession();
  const { guard } = web;
  let receiver: WebhookReceiver | undefined;
  afterAll(async () => {
    await receiver?.stop();
    guard.assertClean();
  });

  it('admin registers a receiver, tests it, sees a delivery; auditor filters the access log', async () => {
    const s = web.server;
    receiver = new WebhookReceiver([], () => Math.floor(s.clock.now().getTime() / 1000));
    await receiver.start();

    // --- 管理员: 数据推送订阅 → 新建订阅
    const { page: a } = await signIn(web.browser, s, guard, 'admin');
    await a.locator('.ant-layout-sider').getByText('数据推送订阅').click();
    await pathIs(a, '/admin/sharing');
    await a.getByRole('button', { name: '新建订阅' }).click();
    const dialog = a.locator('.ant-modal', { hasText: '新建数据推送订阅' });
    await pickSelect(a, '单位', '牡丹区人民政府');
    await dialog.getByLabel('接收系统名称').fill('牡丹区政务协同平台');
    await dialog.getByLabel('推送地址').fill(receiver.url);
    await dialog.getByRole('button', { name: '登记' }).click();
    const secretBox = a.getByTestId('subscription-secret');
    await visible(secretBox);
    const secret = (await secretBox.innerText()).trim();
    expect(secret).toMatch(/^whsec_/);
    receiver.secrets = [secret];
    await a.getByRole('button', { name: '我已保存' }).click();
    const row = a.locator('tr', { hasText: '牡丹区政务协同平台' });
    await containsText(row, '正常');

    // 测试推送: the receiver answers and verifies the signature
    await row.getByRole('button', { name: '测试推送' }).click();
    await toastShown(a, '测试推送成功');
    expect(receiver.processed.map((m) => JSON.parse(m.body).type)).toEqual(['ping']);
    expect(receiver.requests.every((m) => m.signatureOk)).toBe(true);

    // a ticket dispatched to the unit, found by the agent's search first; the scheduler's pass pushes its event
    const t = await createTicketViaApi(s);
    const agent = await s.as('agent');
    await agent.call('POST', '/api/tickets/search', { q: t.number });
    const dispatcher = await s.as('dispatcher');
    await dispatcher.call('POST', `/api/tickets/${t.id}/dispatch`, { leadUnitId: s.ids.units['gov-md'] });
    await fanOut(s.handle.db, s.clock);
    await s.services.sharing.worker.drain();
    expect(receiver.processed.map((m) => JSON.parse(m.body).type)).toEqual(['ping', 'dispatched']);

    await a.getByRole('button', { name: '刷新' }).click();
    await row.getByRole('button', { name: '推送记录' }).click();
    const drawer = a.locator('.ant-drawer-content');
    await containsText(drawer, t.number);
    await containsText(drawer.locator('tr', { hasText: t.number }), '已送达');
    await containsText(drawer.locator('tr', { hasText: '测试推送' }), '已送达');
    await shot(a, 'sharing-deliveries');
    await a.keyboard.press('Escape');
    await a.locator('.ant-drawer-content').waitFor({ state: 'hidden' });
    await shot(a, 'sharing-subscriptions');

    // --- 对接令牌: issue a token for the unit, shown once
    await a.locator('.ant-layout-sider').getByText('对接令牌').click();
    await pathIs(a, '/admin/api-tokens');
    await a.getByRole('button', { name: '签发令牌' }).click();
    const tdialog = a.locator('.ant-modal', { hasText: '签发对接令牌' });
    await pickSelect(a, '所属单位', '牡丹区人民政府');
    await tdialog.getByLabel('令牌名称').fill('牡丹区政务协同平台（生产）');
    await tdialog.getByRole('button', { name: '签发' }).click();
    await containsText(a.locator('.ant-modal', { hasText: '令牌只显示这一次' }), 'hz_');
    await a.getByRole('button', { name: '我已保存' }).click();
    await containsText(a.locator('tr', { hasText: '牡丹区政务协同平台（生产）' }), '有效');
    await shot(a, 'sharing-tokens');

    // --- 审计员: 数据访问日志, filtered by kind
    const { page: u } = await signIn(web.browser, s, guard, 'auditor');
    await u.locator('.ant-layout-sider').getByText('数据访问日志').click();
    await pathIs(u, '/audit/access');
    await containsText(u.locator('.ant-table-tbody'), '推送订阅「牡丹区政务协同平台」');
    await u.getByPlaceholder('工单号 HZ…').fill(t.number);
    await u.getByRole('button', { name: '查询' }).click();
    const body = u.locator('.ant-table-tbody');
    await containsText(body, '工单查询');
    await containsText(body, '推送送达');
    await u.getByRole('button', { name: '校验完整性' }).click();
    await containsText(u.getByRole('alert'), '哈希链完整');
    await shot(u, 'sharing-access-log');
  });
});

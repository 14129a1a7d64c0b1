import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { sweepKnowledgeNotices } from '../../src/server/modules/knowledge/knowledge-notices.service.js';
import {
  containsText,
  createTicketViaApi,
  describeWeb,
  pathIs,
  signIn,
  toastShown,
  useWebSession,
  visible,
} from './harness.js';

// 第十八条 知识库, the authoring journey: the 牡丹区 government's handler updates one of its articles with a reason
// and submits it; the unit's manager approves; the centre's knowledge reviewer (冯知识) lands on the review queue,
// sees the change against the published version and publishes; the article page then shows version 2 and the
// compare of any two versions. An edit from a screen that read an older state is refused (409), never overwriting.

const SHOTS = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));
const shot = (p: Page, name: string) => p.screenshot({ path: `${SHOTS}${name}.png` });

const TITLE = '牡丹区低保怎么申请';
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');
const NEW_SHORT =
  '向户籍所在地镇政府（街道办事处）提出申请，可通过“爱山东”政务服务平台网上申请，经审核、公示后由区民政局审批。';

describeWeb('web: 第十八条 knowledge base authoring (unit → manager → centre)', () => {
  const web = useWebSession();
  const { guard } = web;
  afterAll(() => guard.assertClean());

  it('handler updates and submits, manager approves, reviewer sees the diff and publishes; compare; conflict', async () => {
    // the scheduler's notice job: the unit hears of its article not reviewed within its cycle
    await sweepKnowledgeNotices(web.server.handle.db, web.server.clock);
    // --- 承办人: 单位知识管理 → the article → 编辑 with a reason → 保存并提交审核
    const { page: h } = await signIn(web.browser, web.server, guard, 'handler_md');
    await h.locator('.ant-layout-sider').getByText('单位知识管理').click();
    await pathIs(h, '/knowledge/mine');
    const list = h.getByTestId('knowledge-list');
    await containsText(list, TITLE);
    await containsText(list, '牡丹区老旧小区改造怎么咨询'); // the unit's own draft is listed too
    await containsText(h.getByRole('tab', { name: /通知/ }), '1');
    await shot(h, 'knowledge-unit');
    // 待更新: the seeded 高龄津贴 article was last reviewed 200 days ago (cycle 180)
    await h.getByRole('tab', { name: /通知/ }).click();
    await containsText(h.getByTestId('knowledge-notices'), '已超过 180 天未复核');
    await h.getByTestId('knowledge-notices').getByRole('button', { name: '标为已读' }).click();
    await visible(h.getByTestId('knowledge-notices').getByText('已读'));
    await h.getByRole('tab', { name: '待更新' }).click();
    await h.getByText('超期未复核', { exact: true }).first().click();
    await containsText(h.getByTestId('knowledge-list').last(), '牡丹区高龄津贴怎么领取');
    await h.getByRole('tab', { name: '我的知识' }).click();

    await h.getByTestId('knowledge-list').getByRole('link', { name: TITLE }).click();
    await containsText(h.getByTestId('knowledge-title'), TITLE);
    await containsText(h.getByTestId('knowledge-published-version'), '第 1 版');
    await h.getByRole('button', { name: '编辑', exact: true }).click();
    const drawer = h.locator('.ant-drawer-content');
    await visible(drawer.getByText(`编辑知识：${TITLE}`));
    // the reason is required
    await drawer.getByRole('button', { name: '保存并提交审核' }).click();
    await visible(drawer.getByText('请填写修改原因'));
    await h.getByLabel('简短答复').fill(NEW_SHORT);
    await h.getByLabel('别名（其他问法）').fill('网上申请低保');
    await h.getByLabel('别名（其他问法）').press('Enter');
    // the policy document: a wrong type is refused in Chinese before upload; a PDF is stored and carried
    const file = drawer.locator('input[type="file"]');
    await file.setInputFiles({ name: '说明.txt', mimeType: 'text/plain', buffer: Buffer.from('not a policy') });
    await toastShown(h, '不是支持的附件类型');
    await file.setInputFiles({ name: '社会救助暂行办法.pdf', mimeType: 'application/pdf', buffer: PDF });
    await toastShown(h, '已上传「社会救助暂行办法.pdf」');
    await visible(drawer.getByRole('checkbox', { name: /社会救助暂行办法\.pdf/ }));
    await h.getByLabel('修改原因').fill('补充网上申请渠道');
    await drawer.getByRole('button', { name: '保存并提交审核' }).click();
    await toastShown(h, '已保存并提交审核');
    await containsText(h.locator('.ant-tag', { hasText: '待本单位审核' }), '待本单位审核');

    // --- 单位负责人: 待本单位审核 → 审核通过
    const { page: m } = await signIn(web.browser, web.server, guard, 'manager_md');
    await m.goto('/knowledge/mine');
    await m.getByRole('tab', { name: '待本单位审核' }).click();
    await m.getByTestId('knowledge-list').last().getByRole('link', { name: TITLE }).click();
    await m.getByRole('button', { name: '审核通过' }).click();
    await toastShown(m, '已审核通过，提交中心审核');
    await visible(m.locator('.ant-tag', { hasText: '待中心审核' }));

    // --- 知识库审核员: lands on the review queue, sees the change highlighted, publishes
    const { page: k } = await signIn(web.browser, web.server, guard, 'knowledge');
    await pathIs(k, '/knowledge/review');
    const queue = k.getByTestId('knowledge-review-queue');
    await containsText(queue, TITLE);
    await queue.getByText(TITLE).click();
    const panel = k.getByTestId('knowledge-review-panel');
    await containsText(panel, '补充网上申请渠道');
    await containsText(panel.getByTestId('diff-shortAnswer').locator('ins').first(), '爱山东');
    await containsText(panel.getByTestId('diff-aliases'), '+ 网上申请低保');
    await shot(k, 'knowledge-review');
    await panel.getByRole('button', { name: '发布' }).click();
    await toastShown(k, '已发布');

    // --- the article page: version 2 published, the compare of v1 → v2, the history with people's names
    const articleId = Number(new URL(h.url()).pathname.split('/').pop());
    await k.goto(`/knowledge/articles/${articleId}`);
    await containsText(k.getByTestId('knowledge-published-version'), '第 2 版');
    await containsText(k.getByTestId('knowledge-published'), '爱山东');
    await containsText(k.getByTestId('knowledge-published'), '社会救助暂行办法.pdf');
    await k.getByRole('tab', { name: /^版本/ }).click();
    await containsText(k.getByTestId('knowledge-versions'), '补充网上申请渠道');
    await k.getByRole('button', { name: '对比', exact: true }).click();
    await containsText(k.getByTestId('diff-shortAnswer').locator('ins').first(), '爱山东');
    await shot(k, 'knowledge-article');
    await k.getByRole('tab', { name: '历史' }).click();
    const history = k.getByTestId('knowledge-history');
    await containsText(history, '陈承办');
    await containsText(history, '刘主任');
    await containsText(history, '冯知识');
    expect(await history.innerText()).not.toMatch(/handler_md|manager_md/);

    // --- conflict: the handler's screen still holds the state before approval and publication
    await h.getByRole('button', { name: '编辑', exact: true }).click();
    await h.getByLabel('修改原因').fill('再次修改');
    guard.expect(/status of 409/);
    await drawer.getByRole('button', { name: '保存草稿' }).click();
    await containsText(h.getByTestId('knowledge-conflict'), '该知识已被他人修改，请刷新后再编辑');
    await h.getByTestId('knowledge-conflict').getByRole('button', { name: '刷新' }).click();
    await expect.poll(() => h.getByTestId('knowledge-conflict').count(), { timeout: 15_000, interval: 100 }).toBe(0);
    await containsText(h.getByTestId('knowledge-published-version'), '第 2 版');
  });

  it('诉求答复内容: the lead unit proposes its reply on a ticket as a knowledge draft in one click', async () => {
    const t = await createTicketViaApi(web.server); // 东城街道 leads it (the catalogue)
    await (await web.server.as('dispatcher')).call('POST', `/api/tickets/${t.id}/dispatch`, {});
    const dc = await web.server.as('handler_dc');
    await dc.call('POST', `/api/tickets/${t.id}/accept`, {});
    await dc.call('POST', `/api/tickets/${t.id}/contacts`, {
      method: 'phone',
      reached: true,
      note: '已电话联系诉求人',
    });
    await dc.call('POST', `/api/tickets/${t.id}/reply`, {
      result: '路灯由街道照明维护队负责，已更换损坏的灯具和线路，恢复夜间照明。',
      solved: true,
    });
    const { page } = await signIn(web.browser, web.server, guard, 'handler_dc');
    await page.goto(`/tickets/${t.id}`);
    await page.getByTestId('propose-knowledge').click();
    await page.locator('.ant-popconfirm').getByRole('button', { name: '提议' }).click();
    await toastShown(page, '已新建知识草稿');
    await expect.poll(() => new URL(page.url()).pathname, { timeout: 15_000 }).toMatch(/^\/knowledge\/articles\/\d+$/);
    await containsText(page.getByTestId('knowledge-title'), '和平路路灯连续一周不亮');
    await containsText(page.getByTestId('knowledge-pending'), '已更换损坏的灯具和线路');
    // only the unit's reply: never the requester's words or phone
    const text = await page.getByTestId('knowledge-pending').innerText();
    expect(text).not.toContain('13905301234');
    expect(text).not.toContain('行人和电动车夜间通行很危险');
    await visible(page.getByRole('button', { name: '提交审核' }));
  });
});

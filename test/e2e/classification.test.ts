import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import {
  containsText,
  createTicketViaApi,
  describeWeb,
  pathIs,
  pickCascader,
  POLL,
  signIn,
  toastShown,
  useWebSession,
  visible,
} from './harness.js';

// 第四、十二条 智能分类 in the browser: the model is trained from the centre's tickets; an agent types a complaint,
// the console suggests its category as she types, one click takes the first suggestion and the ticket gets it; the
// dispatcher sees the category suggestions and the unit suggestions beside the catalogue's; the admin sees the
// model's figures and the take rate. Screenshots: docs/screenshots/classification-*.png.
const SHOTS = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));
const shot = (p: Page, name: string) => p.screenshot({ path: `${SHOTS}classification-${name}.png` });

const TEXTS: Record<string, string[]> = {
  'CX-GS': [
    '小区停水三天了没有通知',
    '自来水水压太小用不了',
    '水管爆裂漏水严重',
    '自来水发黄有异味',
    '楼上停水一直没有来水',
  ],
  'HB-ZS': [
    '工地半夜施工噪音扰民',
    '楼下烧烤店噪音太大',
    '广场舞音响噪音严重',
    '酒吧夜里噪音扰民睡不着',
    '渣土车夜间噪音很大',
  ],
  'LD-QX': [
    '公司拖欠工资三个月',
    '包工头拖欠农民工工资',
    '老板不发工资跑路了',
    '工厂拖欠工资和加班费',
    '拖欠工资讨薪无门',
  ],
  'CX-SZ': ['路灯晚上不亮', '路边井盖丢失很危险', '路灯杆倾斜快倒了', '人行道地砖破损', '路灯白天一直亮着'],
  'JY-ZS': [
    '孩子上小学入学报名',
    '学区划分不合理入学难',
    '幼儿园入学名额不够',
    '小学入学需要什么材料',
    '随迁子女入学报名',
  ],
};

describeWeb('web: smart classification in the console, the dispatch view and the admin page', () => {
  const web = useWebSession();
  const { guard } = web;

  it('agent takes the first suggestion; dispatcher sees category and unit suggestions; admin sees the figures', async () => {
    const s = web.server;
    for (const [code, texts] of Object.entries(TEXTS))
      for (let i = 0; i < 12; i++)
        await createTicketViaApi(s, {
          categoryId: s.ids.categories[code],
          title: texts[i % 5],
          content: `${texts[(i + 1) % 5]}，情况严重，希望有关部门尽快处理。`,
        });
    const trained = await (await s.as('admin')).call('POST', '/api/classification/models/train');
    expect(trained.outcome).toBe('active');

    const { page: a } = await signIn(web.browser, s, guard, 'agent');
    await pathIs(a, '/intake');
    await a.getByLabel('诉求内容').fill('我家楼下的工地每天半夜还在施工，噪音特别大，吵得全家睡不着觉，希望管一管。');
    await a.getByLabel('诉求内容').press('Control+Enter');
    await toastShown(a, '已记录');
    const panel = a.getByTestId('category-suggestions');
    await visible(panel.getByTestId('suggestion-1'));
    await containsText(panel.getByTestId('suggestion-1'), '环境保护 / 噪声污染');
    await containsText(panel.getByTestId('suggestion-1'), '依据词语');
    await shot(a, 'agent-console');
    await panel.getByTestId('take-suggestion-1').click();
    await containsText(panel.getByTestId('take-suggestion-1'), '已采用');
    await pickCascader(a, '行政区划', ['菏泽市', '牡丹区', '东城街道']);
    await a.getByLabel('标题').fill('工地夜间施工噪音扰民');
    await a.getByLabel('标题').press('Control+Enter');
    await visible(a.getByTestId('disposition-result'));
    const number = (await a.getByTestId('result-ticket-number').innerText()).trim();
    const ticket = await s.handle.db
      .selectFrom('tickets')
      .select(['id', 'category_id'])
      .where('number', '=', number)
      .executeTakeFirstOrThrow();
    expect(ticket.category_id).toBe(s.ids.categories['HB-ZS']);
    const take = await s.handle.db
      .selectFrom('classification_take_rates')
      .selectAll()
      .where('role', '=', 'agent')
      .executeTakeFirstOrThrow();
    expect(take).toMatchObject({ category_id: s.ids.categories['HB-ZS'], shown: 1, first_taken: 1, any_taken: 1 });

    // the dispatcher: a street-lamp ticket of 东城街道, twice returned to 城管局 before
    for (let i = 0; i < 2; i++) {
      const t = await createTicketViaApi(s);
      const d = await s.as('dispatcher');
      await d.call('POST', `/api/tickets/${t.id}/dispatch`, {});
      const app = await (
        await s.as('handler_dc')
      ).call('POST', `/api/tickets/${t.id}/return-applications`, {
        reason: '路灯属城管局管理',
        materials: [{ name: '职责说明.docx' }],
      });
      await d.call('POST', `/api/applications/${app.id}/review`, {
        decision: 'approve',
        newLeadUnitId: s.ids.units['cgj'],
      });
    }
    const lamp = await createTicketViaApi(s);
    const { page: d } = await signIn(web.browser, s, guard, 'dispatcher');
    await pathIs(d, '/dispatch');
    // the queue holds the training tickets too: open this one by its page
    await d.goto(`/tickets/${lamp.id}`);
    const card = d.getByTestId('dispatcher-classification');
    await visible(card.getByTestId('suggestion-1'));
    await containsText(card.getByTestId('unit-suggestion'), '牡丹区东城街道办事处');
    await containsText(card.getByTestId('unit-history'), '菏泽市城市管理局（2 件）');
    // the catalogue's suggestion stays first and unchanged
    await containsText(d.getByTestId('dispatch-suggestion'), '牡丹区东城街道办事处');
    // a tall window: the ticket on the left, 派单 and the suggestions below it on the right (the page scrolls inside
    // its layout, so a full-page shot is one window; scrolled to the card, the left column was blank)
    await d.setViewportSize({ width: 1366, height: 1560 });
    await shot(d, 'dispatcher');
    await d.setViewportSize({ width: 1366, height: 768 });

    const { page: m } = await signIn(web.browser, s, guard, 'admin');
    await m.goto('/admin/classification');
    await visible(m.getByTestId('active-model'));
    await containsText(m.getByTestId('active-model'), `#${trained.modelId}`);
    await containsText(m.getByTestId('macro-f1-interval'), '95% 区间');
    await visible(m.locator('canvas'));
    await expect.poll(() => m.getByTestId('take-rate-table').locator('tbody tr').count(), POLL).toBeGreaterThan(0);
    // the model in use category by category on its held-out tickets, weakest first, with what it mistook them for
    const figures = m.getByTestId('model-category-figures');
    await containsText(figures, `在用模型 #${trained.modelId}`);
    await expect.poll(() => figures.locator('tbody tr.ant-table-row').count(), POLL).toBeGreaterThanOrEqual(2);
    await containsText(figures, '最常误判为');
    await containsText(figures, '置信度校准误差');
    await m.setViewportSize({ width: 1366, height: 1400 });
    await shot(m, 'admin');
    await m.setViewportSize({ width: 1366, height: 768 });
    guard.assertClean();
  });

  // issue 13 "a category merged after training": the admin merges 拖欠工资 into a new 薪资纠纷 on 事项分类; the model in use
  // suggests the successor at once, and the retired category stays listed with where it went
  it('admin merges a category on 事项分类; the model in use suggests its successor', async () => {
    const s = web.server;
    const admin = await s.as('admin');
    const into = await admin.call('POST', '/api/categories', {
      code: 'LD-XZJF',
      name: '薪资纠纷',
      parentId: s.ids.categories['LD'],
    });
    const { page: m } = await signIn(web.browser, s, guard, 'admin');
    await m.goto('/admin/categories');
    // the search narrows the tree to the matches and opens the way to them
    const search = m.getByRole('searchbox', { name: '搜索分类' });
    await search.fill('拖欠');
    await search.press('Enter');
    await expect.poll(() => m.locator('tr.ant-table-row').count(), POLL).toBe(2);
    const wages = m.locator('tr.ant-table-row', { hasText: '拖欠工资' });
    await wages.getByRole('button', { name: '合并到…' }).click();
    const dialog = m.getByRole('dialog');
    await containsText(dialog, '已有工单保留原分类');
    await pickCascader(m, '合并到', ['劳动和社会保障', '薪资纠纷']);
    await dialog
      .getByRole('button', { name: '合 并' })
      .or(dialog.getByRole('button', { name: '合并' }))
      .click();
    await toastShown(m, '已将分类「拖欠工资」合并到');
    // 启用中 no longer lists it; 全部 shows it retired, with its successor, and offers to take it back into use
    await expect.poll(() => m.locator('tr.ant-table-row', { hasText: '拖欠工资' }).count(), POLL).toBe(0);
    await m.getByText('全部（含停用、已合并）').click();
    await search.fill('劳动');
    await search.press('Enter');
    await m.locator('tr.ant-table-row', { hasText: '劳动和社会保障' }).locator('.ant-table-row-expand-icon').click();
    await containsText(wages, '已合并到「薪资纠纷」');
    await visible(wages.getByRole('button', { name: '启用' }));
    await m.setViewportSize({ width: 1366, height: 900 });
    await m.screenshot({ path: `${SHOTS}categories-merge.png` });
    await m.setViewportSize({ width: 1366, height: 768 });
    // 智能分类 tells the admin what the model in use has not learnt yet
    await m.goto('/admin/classification');
    await containsText(
      m.getByTestId('tree-changes'),
      '合并 1 个，已改为建议目标分类：劳动和社会保障 / 拖欠工资 → 劳动和社会保障 / 薪资纠纷',
    );

    const row = await s.handle.db
      .selectFrom('categories')
      .select(['active', 'replaced_by_id'])
      .where('id', '=', s.ids.categories['LD-QX']!)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ active: false, replaced_by_id: into.id });
    const suggestion = await (
      await s.as('agent')
    ).call('POST', '/api/classification/suggest', { title: '拖欠工资', body: '包工头拖欠农民工工资三个月' });
    expect(suggestion.suggestions[0].categoryId).toBe(into.id);
    guard.assertClean();
  });
});

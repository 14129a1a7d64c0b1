import { fileURLToPath } from 'node:url';
import { beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { expectNoAxeViolations, expectNoAxeViolationsIn } from './axe.js';
import {
  attributeIs,
  containsText,
  createTicketViaApi,
  describeWeb,
  pickCascader,
  pickSelect,
  POLL,
  signIn,
  toastShown,
  useWebSession,
  visible,
} from './harness.js';

// 第二十五、二十六条 专题治理: a supervisor finds the similar tickets of a long-running matter, registers it as a matter
// with them, assigns a task to the town (街道); the town's handler sees it in 专题任务 and reports it done; the ticket
// page shows that its matter is under special study; the register, the matter and its figures are screenshotted.

const SHOTS = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));
const shot = async (p: Page, name: string) => {
  await p
    .locator('.ant-message-notice')
    .last()
    .waitFor({ state: 'detached', timeout: 10_000 })
    .catch(() => undefined);
  await p.screenshot({ path: `${SHOTS}matters-${name}.png` });
};

describeWeb('web: 第二十五、二十六条 专题治理', () => {
  const web = useWebSession('2025-06-20T09:00:00+08:00');
  const { guard } = web;
  const tickets: Array<{ id: number; number: string }> = [];
  beforeAll(async () => {
    // the matter over the months: 2 in February, 3 in March, 1 in April, 1 in June
    const days = ['02-10', '02-24', '03-05', '03-12', '03-26', '04-08', '06-18'];
    for (const [i, day] of days.entries()) {
      web.server.clock.set(`2025-${day}T10:00:00+08:00`);
      tickets.push(
        await createTicketViaApi(web.server, {
          categoryId: web.server.ids.categories['HB-SW'],
          regionCode: '371702001002',
          address: '牡丹区东城街道丹阳社区',
          title: i % 2 ? '小区污水外溢问题反复出现' : '丹阳社区老旧小区污水管网堵塞返味',
          content:
            i % 2
              ? `丹阳社区的污水管网老化，一到雨天就外溢，希望彻底改造（第${i + 1}次）。`
              : `丹阳社区老旧小区的污水管道又堵了，下水道返味，污水漫到楼道口（第${i + 1}次）。`,
        }),
      );
    }
    web.server.clock.set('2025-06-20T09:00:00+08:00');
    await createTicketViaApi(web.server); // a street lamp: never proposed
  });

  it('a supervisor registers a matter from the proposal, a town reports its task done', async () => {
    const { page: s } = await signIn(web.browser, web.server, guard, 'supervisor');
    await s.locator('.ant-layout-sider').getByText('专题治理').click();
    await visible(s.getByText('暂无专题'));
    await s.getByRole('button', { name: '新建专题' }).click();

    // 一、the proposal: the town and the words of the matter
    await pickCascader(s, '所在区域', ['菏泽市', '牡丹区', '东城街道']);
    await s.getByLabel('关键词').fill('丹阳社区 污水');
    // the town is still the criteria's when the proposal is asked for (the pick above can land late on a loaded machine)
    await attributeIs(
      s.locator('.ant-form-item', { hasText: '所在区域' }).locator('.ant-select-selection-item'),
      'title',
      '菏泽市 / 牡丹区 / 东城街道',
    );
    const asked = s.waitForRequest((r) => r.url().includes('/api/matters/candidates'));
    await s.getByRole('button', { name: '查找相似工单' }).click();
    // the proposal is asked for the town picked (三、立项 takes its region from the answer)
    expect(new URL((await asked).url()).searchParams.get('regionCode')).toBe('371702001');
    for (const t of tickets) await visible(s.getByText(t.number));
    await expect.poll(() => s.getByText('和平路路灯连续一周不亮').count()).toBe(0);
    for (const t of tickets) await s.locator('tr', { hasText: t.number }).locator('input[type=checkbox]').check();

    // 三、立项
    await s.getByLabel('专题名称').fill('丹阳社区老旧小区污水管网反复堵塞外溢');
    await pickSelect(s, '牵头单位', '牡丹区人民政府');
    await s.getByLabel('问题描述').fill('丹阳社区污水管网老化，雨季反复堵塞外溢，同一批住户多次反映。');
    await s.getByText('一、查找相似工单').scrollIntoViewIfNeeded();
    await shot(s, 'new');
    await expectNoAxeViolations(s, '新建专题');
    // every field holds its value before 立项 (on a loaded machine a pick can land after the next fill began)
    await containsText(
      s.locator('.ant-form-item', { hasText: '牵头单位' }).locator('.ant-select-selection-item'),
      '牡丹区人民政府',
    );
    // the town of the proposal is the matter's region (三、立项 takes it from 一、)
    await attributeIs(
      s.locator('.ant-form-item', { hasText: '涉及区域' }).locator('.ant-select-selection-item'),
      'title',
      '菏泽市 / 牡丹区 / 东城街道',
    );
    await expect.poll(() => s.getByLabel('专题名称').inputValue(), POLL).toBe('丹阳社区老旧小区污水管网反复堵塞外溢');
    await expect.poll(() => s.getByLabel('问题描述').inputValue(), POLL).toContain('丹阳社区污水管网老化');
    await s.getByRole('button', { name: /^立项并关联 7 件工单$/ }).click();
    // the matter's page, or what the form said instead (a refusal is shown on the page, not as a toast)
    await expect
      .poll(
        async () => {
          if (/^\/matters\/\d+$/.test(new URL(s.url()).pathname)) return 'created';
          const said = await s.locator('.ant-form-item-explain-error, .ant-alert-error').allInnerTexts();
          return said.length ? `refused: ${said.join(' / ')}` : 'waiting';
        },
        { timeout: 30_000, interval: 200 },
      )
      .toBe('created');
    await toastShown(s, '专题已立项，关联工单 7 件');
    await visible(s.getByText('专题 #', { exact: false }));

    // 第二十六条: a coordinating unit at town level, and a task for it
    await s.getByRole('button', { name: '增加协同单位' }).click();
    const unitModal = s.locator('.ant-modal');
    await unitModal.getByLabel('单位', { exact: true }).click();
    await unitModal.getByLabel('单位', { exact: true }).fill('东城街道');
    await s.locator('.ant-select-dropdown:visible .ant-select-item-option[title="牡丹区东城街道办事处"]').click();
    await unitModal.getByLabel('职责分工').fill('入户摸排、汛期巡查');
    await expectNoAxeViolationsIn(s, '专题 增加协同单位');
    await unitModal.getByRole('button', { name: '提交' }).click();
    await visible(s.getByText('乡镇（街道）级'));
    await shot(s, 'detail');
    await expectNoAxeViolations(s, '专题详情');

    await s.getByRole('tab', { name: /^任务/ }).click();
    await s.getByRole('button', { name: '分派任务' }).click();
    const taskModal = s.locator('.ant-modal');
    await taskModal.getByLabel('任务内容').fill('完成丹阳社区管网入户摸排');
    await pickSelect(s, '责任单位', '牡丹区东城街道办事处');
    await expectNoAxeViolationsIn(s, '专题 分派任务');
    await taskModal.getByRole('button', { name: '提交' }).click();
    await visible(s.locator('.ant-tabs-tabpane-active').getByText('完成丹阳社区管网入户摸排', { exact: true }));
    const matterUrl = new URL(s.url()).pathname;

    await s.getByRole('tab', { name: /^关联工单/ }).click();
    for (const t of tickets) await visible(s.locator('.ant-tabs-tabpane-active').getByText(t.number));
    await shot(s, 'tickets');

    // the ticket shows its matter is under special study
    await s.goto(`/tickets/${tickets[0]!.id}`);
    await containsText(s.getByTestId('matter-tag'), '已纳入专题研究');
    await shot(s, 'ticket-tag');

    // the town's handler: 专题任务, reports it done
    const { page: h } = await signIn(web.browser, web.server, guard, 'handler_dc');
    await h.locator('.ant-layout-sider').getByText('专题任务').click();
    const row = h.locator('tr', { hasText: '完成丹阳社区管网入户摸排' });
    await containsText(row, '丹阳社区老旧小区污水管网反复堵塞外溢');
    await shot(h, 'unit-tasks');
    await expectNoAxeViolations(h, '专题任务');
    await row.getByRole('button', { name: '报告进展' }).click();
    await h.locator('.ant-modal').getByLabel('办理情况').fill('已摸排 12 栋楼 312 户，查明堵点 6 处');
    await expectNoAxeViolationsIn(h, '专题任务 报告进展');
    await h.locator('.ant-modal').getByRole('button', { name: '提交' }).click();
    await visible(h.getByText('本单位暂无专题任务'));

    // a measure (through the API: its day lies in the past) and the figures before and after
    const sup = await web.server.as('supervisor');
    const id = Number(matterUrl.split('/').pop());
    await sup.call('POST', `/api/matters/${id}/measures`, {
      title: '牡丹区老旧小区雨污分流改造实施方案',
      content: '丹阳社区列入首批改造',
      issuedBy: '牡丹区人民政府',
      effectiveOn: '2025-04-01',
    });
    await s.goto(matterUrl);
    await s.getByRole('tab', { name: /^任务/ }).click();
    await containsText(s.locator('.ant-tabs-tabpane-active'), '已完成');
    await containsText(s.locator('.ant-tabs-tabpane-active'), '已摸排 12 栋楼 312 户');
    await s.getByRole('tab', { name: '数据对比' }).click();
    await visible(s.getByTestId('matter-figures-chart'));
    await shot(s, 'figures');
    await expectNoAxeViolations(s, '专题 数据对比');

    await s.locator('.ant-layout-sider').getByText('专题治理').click();
    const listed = s.locator('tr', { hasText: '丹阳社区老旧小区污水管网反复堵塞外溢' });
    await containsText(listed, '1/1');
    guard.assertClean();
    await shot(s, 'register');
    await expectNoAxeViolations(s, '专题治理');
  }, 120_000); // a long journey with nine axe checks

  it('第二十六条第二款 a dispute coordinated jointly is found by its field; 第二十九条 the town leading it records its 民主协商', async () => {
    const sup = await web.server.as('supervisor');
    const m = (await sup.call('POST', '/api/matters', {
      title: '东城街道物业费纠纷联合化解',
      description: '多个老旧小区业主与物业公司就物业费上调、服务质量长期争执，反复投诉。',
      regionCode: '371702001',
      leadUnitId: web.server.ids.units['jd-dc'],
      jointField: 'dispute_resolution',
    })) as { id: number };
    await sup.call('POST', `/api/matters/${m.id}/units`, {
      unitId: web.server.ids.units['mtzx'],
      role: '组织联合调解，出具调解协议',
    });

    // the supervisor narrows the register to the jointly coordinated matters
    const { page: s } = await signIn(web.browser, web.server, guard, 'supervisor');
    await s.locator('.ant-layout-sider').getByText('专题治理').click();
    await pickSelect(s, '联合协调处置领域', '矛盾纠纷多元化解');
    await s.getByRole('button', { name: '查询' }).click();
    const row = s.locator('tr', { hasText: '东城街道物业费纠纷联合化解' });
    await containsText(row, '联合处置·矛盾纠纷多元化解');
    await expect.poll(() => s.locator('tr', { hasText: '丹阳社区老旧小区污水管网反复堵塞外溢' }).count(), POLL).toBe(0);
    await shot(s, 'joint-register');
    await expectNoAxeViolations(s, '专题治理 联合协调处置');

    // 东城街道 (the lead) records the residents' consultation itself
    const { page: h } = await signIn(web.browser, web.server, guard, 'handler_dc');
    await h.goto(`/matters/${m.id}`);
    await containsText(h.getByText('联合处置·矛盾纠纷多元化解'), '矛盾纠纷多元化解');
    await containsText(h.locator('.ant-alert-info'), '矛盾纠纷调处化解中心');
    await h.getByRole('tab', { name: /^会商记录/ }).click();
    await expect.poll(() => h.getByRole('button', { name: '记录会商' }).count(), POLL).toBe(0);
    await h.getByRole('button', { name: '记录民主协商' }).click();
    const dialog = h.locator('.ant-modal');
    await dialog.getByLabel('参与组织').fill('和平社区居民委员会、业主代表 10 人、物业服务企业');
    await dialog.getByLabel('协商情况').fill('居民议事会听取业主对物业费上调和服务标准的意见。');
    await dialog.getByLabel('协商结果').fill('物业公示收支明细，暂缓上调；居委会牵头成立业主监督小组。');
    await expectNoAxeViolationsIn(h, '专题 记录民主协商');
    await dialog.getByRole('button', { name: '提交' }).click();
    const card = h.locator('.ant-tabs-tabpane-active .ant-card', { hasText: '民主协商' });
    await containsText(card, '和平社区居民委员会、业主代表 10 人、物业服务企业');
    await containsText(card, '第二十九条');
    guard.assertClean();
    await shot(h, 'democratic');
    await expectNoAxeViolations(h, '专题 民主协商');
  }, 90_000);
});

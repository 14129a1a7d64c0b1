import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { insertPublishedArticle } from '../helpers/knowledge.js';
import { containsText, describeWeb, pathIs, signIn, toastShown, useWebSession, visible } from './harness.js';
import { PHONE } from './intake-helpers.js';

// 第十二条 (能够即时答复的即时答复) and 第十八条: an agent records an SMS "我想问一下公积金怎么提取"; the console's
// 知识库 panel suggests the housing-fund article from those words; 使用此答复 fills 在线答复 with its short answer and
// the SMS the requester gets carries it, the contact recording the article and its version. A citizen then finds
// the public answer on the portal, reads it and says it helped. The figures show the day's 直接答复率.

const SHOTS = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));
const shot = (p: Page, name: string) => p.screenshot({ path: `${SHOTS}${name}.png` });

const TITLE = '住房公积金提取条件和办理方式';
const SHORT =
  '购房、退休、离职满半年等情形可提取住房公积金，携带身份证和相关证明到公积金中心窗口或通过网上服务大厅办理。';
const PUBLIC =
  '职工购买、建造、翻建、大修自住住房，离休、退休，或与单位终止劳动关系未再就业满半年的，可以申请提取住房公积金。' +
  '请携带身份证及相关证明材料到菏泽市住房公积金管理中心各服务窗口办理，也可登录网上服务大厅或手机公积金APP在线办理。';

describeWeb('web: 第十二条 第十八条 answering with the knowledge base', () => {
  const web = useWebSession();
  const { guard } = web;
  afterAll(() => guard.assertClean());
  let articleId = 0;

  it('agent answers an SMS with the suggested article; the SMS carries its short answer', async () => {
    const art = await insertPublishedArticle(web.server.handle.db, web.server.clock, {
      ownerUnitId: web.server.ids.units['zjj']!,
      title: TITLE,
      aliases: ['公积金怎么提取', '取公积金要什么材料'],
      answer: '【内部口径】提取须核验购房合同或不动产权证书；离职提取须账户封存满六个月。',
      shortAnswer: SHORT,
      publicAnswer: PUBLIC,
      visibility: 'public',
      policyBasis: [{ document: '菏泽市住房公积金提取管理办法', number: '菏公积金发〔2023〕5号', clause: '第六条' }],
    });
    articleId = art.id;

    const { page: a } = await signIn(web.browser, web.server, guard, 'agent');
    await pathIs(a, '/intake');
    const form = a.getByTestId('contact-form');
    await form.getByText('短信', { exact: true }).click();
    await a.getByLabel('联系电话').fill('13905308888');
    await a.getByLabel('诉求内容').fill('我想问一下公积金怎么提取');
    // the panel already suggests while the words are typed
    const panel = a.getByTestId('knowledge-panel');
    await visible(panel.locator(`[data-article-id="${articleId}"]`));
    await a.getByLabel('诉求内容').press('Control+Enter');
    await toastShown(a, '已记录');

    const hit = panel.locator(`[data-article-id="${articleId}"]`);
    await visible(hit);
    await containsText(hit, TITLE);
    await containsText(hit, SHORT);
    await containsText(hit, '菏泽市住房和城乡建设局');
    await containsText(hit, '菏公积金发〔2023〕5号');
    await hit.getByTestId('knowledge-use').click();
    await visible(a.getByTestId('knowledge-chosen'));
    expect(await a.getByLabel('答复内容').inputValue()).toBe(SHORT);
    await shot(a, 'knowledge-console');
    await a.getByTestId('dispose-submit').click();
    await toastShown(a, '已处置');

    const contact = await web.server.handle.db
      .selectFrom('contacts')
      .select(['id', 'knowledge_article_id', 'knowledge_version_id'])
      .where('knowledge_article_id', '=', articleId)
      .executeTakeFirstOrThrow();
    expect(contact.knowledge_version_id).toBe(art.versionId);
    const sms = await web.server.handle.db
      .selectFrom('outbound_messages')
      .select('body')
      .where('contact_id', '=', contact.id)
      .executeTakeFirstOrThrow();
    expect(sms.body).toContain(SHORT);

    // 纠错 from the panel (still beside the answered contact): the owner unit is told
    await panel.locator(`[data-article-id="${articleId}"]`).getByRole('button', { name: '纠错' }).click();
    const dialog = a.getByRole('dialog');
    await dialog.getByText('表述不清').click();
    await dialog.getByLabel('说明').fill('未写明离职提取需封存满六个月');
    await dialog.getByRole('button', { name: '提交纠错' }).click();
    await toastShown(a, '已提交纠错');
  });

  it('a citizen finds the public answer on the portal, reads it and says it helped', async () => {
    const context = await web.browser.newContext({
      ...PHONE,
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
      baseURL: web.server.url,
      reducedMotion: 'reduce',
    });
    context.setDefaultTimeout(15_000);
    const p = await context.newPage();
    guard.attach(p, 'citizen');
    await p.goto('/portal');
    const box = p.getByTestId('portal-knowledge-box');
    await box.getByLabel('搜索常见问题').fill('公积金怎么提取');
    await box.getByLabel('搜索常见问题').press('Enter');
    await pathIs(p, '/portal/knowledge');
    const results = p.getByTestId('portal-knowledge-results');
    await visible(results.locator(`[data-article-id="${articleId}"]`));
    await results.locator(`[data-article-id="${articleId}"]`).click();
    await pathIs(p, `/portal/knowledge/${articleId}`);
    await containsText(p.getByTestId('portal-article-answer'), '离休、退休');
    await containsText(p.getByTestId('portal-article'), '菏公积金发〔2023〕5号');
    // no internal text reaches the portal
    expect(await p.locator('body').innerText()).not.toContain('内部口径');
    expect(await p.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
    await shot(p, 'knowledge-portal');
    await p.getByTestId('portal-feedback').getByRole('button', { name: '有用' }).click();
    await visible(p.getByTestId('portal-feedback-thanks'));
    const day = await web.server.handle.db
      .selectFrom('knowledge_article_daily')
      .select(['helpful_yes', 'portal_views', 'uses', 'flags'])
      .where('article_id', '=', articleId)
      .executeTakeFirstOrThrow();
    expect(day).toMatchObject({ helpful_yes: 1, portal_views: 1, uses: 1, flags: 1 });
    await context.close();
  });

  it('the knowledge reviewer reads 直接答复率 and the articles used most', async () => {
    // the week before, as the rollups hold it (what earlier dispositions wrote), so the chart has a line to show
    const agentId = web.server.ids.users['agent']!;
    const earlier = [
      ['2025-02-24', 52, 21, 9],
      ['2025-02-25', 61, 27, 13],
      ['2025-02-26', 58, 24, 14],
      ['2025-02-27', 66, 31, 18],
      ['2025-02-28', 49, 22, 15],
      ['2025-03-01', 23, 12, 8],
      ['2025-03-02', 19, 10, 7],
    ] as const;
    await web.server.handle.db
      .insertInto('knowledge_agent_daily')
      .values(
        earlier.map(([day, disposed, answered, withArticle]) => ({
          day,
          agent_id: agentId,
          disposed,
          answered,
          answered_with_article: withArticle,
        })),
      )
      .execute();
    const { page: k } = await signIn(web.browser, web.server, guard, 'knowledge');
    await k.goto('/knowledge/figures');
    await visible(k.getByText('每日直接答复率'));
    // (1 + 147 answered) / (1 + 328 disposed) over the last 30 days
    await containsText(k.locator('.ant-statistic').first(), '45.0%');
    await k.getByRole('tab', { name: '使用最多的知识' }).click();
    await visible(k.getByRole('cell', { name: TITLE }));
    await k.getByRole('tab', { name: /按话务员/ }).click();
    await shot(k, 'knowledge-figures');
  });
});

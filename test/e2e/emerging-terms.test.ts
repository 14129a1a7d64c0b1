import { sql } from 'kysely';
import { expect, beforeAll, it } from 'vitest';
import { seedDemoHistory } from '../../src/server/demo/history.js';
import { emergingTermsPass } from '../../src/server/jobs/emerging-terms.js';
import { expectNoAxeViolations, expectNoAxeViolationsIn } from './axe.js';
import {
  POLL,
  containsText,
  countIs,
  describeWeb,
  hidden,
  pathIs,
  pickSelect,
  signIn,
  useWebSession,
  visible,
} from './harness.js';

// 第二十八条(三)(四) 新兴诉求词: over a year of demo tickets whose last weeks bring two new business forms (prepaid cards of
// closing gyms and salons, electric bikes charged from flats), the analyst finds 预付卡 among the words that rose, opens
// its tickets and sees them filed under the old category 消费维权; a county centre sees only its county; a unit's
// people the city's words and their own tickets, and the unit that leads prepaid-card tickets is told (新兴诉求提醒).
describeWeb('web: 新兴诉求词 (第二十八条(三)(四))', () => {
  const web = useWebSession();
  const { guard } = web;

  beforeAll(async () => {
    const s = web.server;
    const db = s.handle.db;
    // the test clock starts on Monday 2025-03-03: the pass ranks the week of 2025-02-24 (and the weeks before it)
    await seedDemoHistory(db, s.services.deps.cipher, s.clock.now(), { tickets: 1200, seed: 28 });
    // three reminders of 牡丹区人民政府 from the week before (told then, not yet read; written before the pass as the
    // week before's would be): the workbench shows three at most, the newest first, and says how many more wait
    for (const term of ['直播带货', '共享充电宝', '剧本杀'])
      await sql`INSERT INTO emerging_reminders (unit_id, week, region_code, term, words, recent, baseline, ratio, is_new,
          unit_tickets, sampled, created_at)
        VALUES (${s.ids.units['gov-md']!}, '2025-02-17', '371700', ${term}, ARRAY[${term}], 9, 0, NULL, true, 4, 9,
          ${s.clock.now()})`.execute(db);
    await emergingTermsPass(db, s.clock.now(), { lagMs: 0, maxBatches: 1000 });
  });

  it('the analyst finds 预付卡 among the emerging words and opens its tickets', async () => {
    const { page } = await signIn(web.browser, web.server, guard, 'analyst');
    await page.getByRole('menuitem', { name: '新兴诉求' }).click();
    await pathIs(page, '/emerging');
    const table = page.getByTestId('emerging-terms');
    const row = table.locator('tbody tr', { hasText: '预付卡' });
    await visible(row);
    await containsText(row, '新出现');
    await containsText(page.getByTestId('emerging-filters'), '2025-02-24 当周');
    await containsText(page.getByTestId('emerging-figures'), '近4周（2025-02-03 至 2025-03-02）工单');
    await page.setViewportSize({ width: 1366, height: 1100 });
    await page.screenshot({ path: 'docs/screenshots/emerging-terms.png' });
    await expectNoAxeViolations(page, '新兴诉求');

    // the drawer: weekly counts, the categories the word hides under, the newest tickets
    await row.getByRole('button', { name: '查看工单' }).click();
    const drawer = page.getByTestId('emerging-drawer');
    await visible(drawer);
    // 预付卡 leads its row or stands beside the word that does (words of the same tickets are one row)
    await containsText(drawer, '的工单');
    await visible(drawer.getByTestId('emerging-weekly-chart').locator('canvas'));
    await containsText(drawer.getByTestId('emerging-categories'), '市场监管 / 消费维权');
    const tickets = drawer.getByTestId('emerging-tickets');
    await visible(tickets.locator('tbody tr a[href^="/tickets/"]'));
    await page.screenshot({ path: 'docs/screenshots/emerging-terms-drawer.png' });
    await expectNoAxeViolationsIn(page, '新兴诉求 工单');
    await page.locator('.ant-drawer-close').click();
    await hidden(drawer);

    // what is on screen, as CSV
    const download = page.waitForEvent('download');
    await page.getByTestId('emerging-export').click();
    await page.getByText('CSV（.csv）').click();
    expect((await download).suggestedFilename()).toBe('新兴诉求词_菏泽市_2025-02-24.csv');
    guard.assertClean();
  });

  it('第二十五条: a supervisor takes a word to 专题治理, the proposal starting from its newest ticket', async () => {
    const { page } = await signIn(web.browser, web.server, guard, 'supervisor');
    await page.getByRole('menuitem', { name: '新兴诉求' }).click();
    await pathIs(page, '/emerging');
    const row = page.getByTestId('emerging-terms').locator('tbody tr', { hasText: '预付卡' });
    await row.getByRole('button', { name: '查看工单' }).click();
    await page.getByTestId('emerging-matter').click();
    await pathIs(page, '/matters/new');
    expect(new URL(page.url()).searchParams.get('seedTicketId')).toMatch(/^\d+$/);
    // 二、the proposal lists the tickets like the seed: the word's own
    await containsText(page.locator('body'), '二、选择属于同一专题的工单');
    await containsText(page.locator('.ant-table-tbody').first(), '预付卡');
    guard.assertClean();
  });

  it("a county centre chooses only its county; a unit's people see the city's words and their own tickets", async () => {
    const { page } = await signIn(web.browser, web.server, guard, 'agent_cx');
    await page.getByRole('menuitem', { name: '新兴诉求' }).click();
    await pathIs(page, '/emerging');
    await visible(page.getByTestId('emerging-terms').locator('tbody tr', { hasText: '充电' }));
    const regionSelect = page.getByRole('combobox', { name: '区域' });
    await containsText(page.getByTestId('emerging-filters'), '曹县');
    await page.getByTestId('emerging-filters').locator('.ant-select', { has: regionSelect }).click();
    const options = page.locator('.ant-select-dropdown:visible .ant-select-item-option');
    await countIs(options, 1);
    await containsText(options, '曹县');
    await page.keyboard.press('Escape');
    guard.assertClean();

    // 第二十八条 is the units' duty: 牡丹区人民政府's handler reads the city's words; behind a word, its own tickets only
    const unit = await signIn(web.browser, web.server, guard, 'handler_md');
    await unit.page.getByRole('menuitem', { name: '新兴诉求' }).click();
    await pathIs(unit.page, '/emerging');
    await containsText(unit.page.getByTestId('emerging-filters'), '菏泽市');
    const first = unit.page.getByTestId('emerging-terms').locator('tbody tr').first();
    await first.getByRole('button', { name: '查看工单' }).click();
    await containsText(unit.page.getByTestId('emerging-own-unit'), '仅含本单位承办的工单');
    await expectNoAxeViolationsIn(unit.page, '新兴诉求 本单位工单');
    guard.assertClean();
  });

  it('新兴诉求提醒: the unit that leads prepaid-card tickets is told on its workbench, opens the word, reads it', async () => {
    const { page } = await signIn(web.browser, web.server, guard, 'handler_md');
    await page.goto('/unit/lead');
    const alerts = page.getByTestId('emerging-reminders');
    const prepaid = alerts.getByTestId('emerging-reminder').filter({ hasText: '预付卡' });
    await visible(prepaid);
    await containsText(prepaid, '其中本单位承办');
    await containsText(prepaid, '市场监管 / 消费维权');
    // the newest first, three at most: the week before's last one waits on 新兴诉求
    await countIs(alerts.getByTestId('emerging-reminder'), 3);
    await containsText(page.getByTestId('emerging-reminders-more'), '另有 1 条未阅的新兴诉求提醒');
    await page.setViewportSize({ width: 1366, height: 900 });
    await page.screenshot({ path: 'docs/screenshots/emerging-reminder.png' });
    await expectNoAxeViolations(page, '本单位工单 新兴诉求提醒');

    // 查看: the screen 新兴诉求 at the reminder's list and week, the word's drawer open
    await prepaid.getByRole('button', { name: '查看' }).click();
    await pathIs(page, '/emerging');
    const drawer = page.getByTestId('emerging-drawer');
    await visible(drawer);
    await containsText(drawer, '预付卡');
    await page.locator('.ant-drawer-close').click();
    await hidden(drawer);

    // the unit's reminders below the list: read it there (已阅), and it is off the workbench
    const list = page.getByTestId('emerging-reminder-list');
    const row = list.locator('tbody tr', { hasText: '预付卡' });
    await containsText(row, '未阅');
    await row.getByRole('button', { name: '已阅' }).click();
    await containsText(row, '已阅于');
    await page.goto('/unit/lead');
    await visible(page.getByRole('heading', { name: '本单位工单' }));
    await countIs(page.getByTestId('emerging-reminder').filter({ hasText: '预付卡' }), 0);
    await countIs(page.getByTestId('emerging-reminder'), 3);
    await countIs(page.getByTestId('emerging-reminders-more'), 0);
    guard.assertClean();

    // the centre sees which units were told, and who has read it
    const sup = await signIn(web.browser, web.server, guard, 'supervisor');
    await sup.page.getByRole('menuitem', { name: '新兴诉求' }).click();
    const told = sup.page.getByTestId('emerging-reminder-list').locator('tbody tr', { hasText: '牡丹区人民政府' });
    await containsText(told.filter({ hasText: '预付卡' }), '已阅于');
    // one unit's: 曹县人民政府 was told of other matters, not of what 牡丹区 read
    const card = sup.page.getByTestId('emerging-reminder-list');
    await card.evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await sup.page.screenshot({ path: 'docs/screenshots/emerging-reminder-list.png' });
    await pickSelect(sup.page, '承办单位', '曹县人民政府');
    await expect.poll(() => card.locator('tbody tr', { hasText: '牡丹区人民政府' }).count(), POLL).toBe(0);
    await visible(card.locator('tbody tr', { hasText: '曹县人民政府' }));
    const download = sup.page.waitForEvent('download');
    await sup.page.getByTestId('emerging-reminder-export').click();
    await sup.page.getByText('CSV（.csv）').click();
    expect((await download).suggestedFilename()).toBe('新兴诉求提醒.csv');
    await expectNoAxeViolations(sup.page, '新兴诉求 提醒列表');
    guard.assertClean();
  });
});

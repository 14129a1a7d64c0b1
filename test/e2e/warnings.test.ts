import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { beforeAll, it } from 'vitest';
import type { Page } from 'playwright-core';
import { ALL, grainsFor } from '../../src/server/domain/analytics.js';
import { addDays, localDateOf } from '../../src/server/domain/calendar.js';
import { collectivePass, spikePass } from '../../src/server/jobs/early-warnings.js';
import {
  chooseOption,
  containsText,
  createTicketViaApi,
  describeWeb,
  signIn,
  toastShown,
  useWebSession,
  visible,
} from './harness.js';
import { expectNoAxeViolations, expectNoAxeViolationsIn } from './axe.js';

// 第二十七条 风险预警: the scheduler's job has raised a spike (曹县 × 城乡建设, a Sunday at four times its usual
// volume) and a collective request, and intake a sensitive-word warning; a supervisor opens the feed, opens the
// spike with its chart, links it to a matter and closes it with a note. The feed and the drawer are screenshotted.

const SHOTS = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));
const shot = async (p: Page, name: string) => {
  await p
    .locator('.ant-message-notice')
    .last()
    .waitFor({ state: 'detached', timeout: 10_000 })
    .catch(() => undefined);
  await p.screenshot({ path: `${SHOTS}warnings-${name}.png` });
};

describeWeb('web: 第二十七条 风险预警', () => {
  const web = useWebSession('2025-03-03T09:00:00+08:00');
  const { guard } = web;
  beforeAll(async () => {
    const { db } = web.server.handle;
    const now = web.server.clock.now();
    const today = localDateOf(now);
    // a constructed month of 曹县 × 城乡建设 in the rollup: about 20 a working day, 6 a rest day; yesterday 26
    const grain = grainsFor(2, 1).day!;
    const cat = web.server.ids.categories['CX']!;
    for (let i = 45; i >= 1; i--) {
      const day = addDays(today, -i);
      const dow = new Date(`${day}T00:00:00Z`).getUTCDay();
      const rest = dow === 0 || dow === 6 || (day >= '2025-01-28' && day <= '2025-02-04');
      const count = i === 1 ? 26 : rest ? 6 + (i % 2) : 19 + (i % 3);
      await sql`INSERT INTO analytics_cube (grain, channel, request_type, period, region_code, category_id, tickets)
        VALUES (${grain}, ${ALL}, ${ALL}, ${day}::date, '371721', ${cat}, ${count})`.execute(db);
    }
    await sql`UPDATE analytics_cursor SET last_id = (SELECT coalesce(max(id), 0) FROM ticket_events)`.execute(db);
    await spikePass(db, now);
    // five neighbours about the same food stall within a day, and a ticket with a sensitive word
    for (let i = 1; i <= 5; i++)
      await createTicketViaApi(web.server, {
        categoryId: web.server.ids.categories['SC-SP'],
        regionCode: '371702003',
        title: '夜市烧烤摊食材变质',
        content: `南城街道夜市烧烤摊用变质肉串（第${i}位）。`,
        requester: { name: `居民${i}`, phone: `1390000${String(i).padStart(4, '0')}` },
      });
    await collectivePass(db, web.server.clock.now());
    await createTicketViaApi(web.server, {
      categoryId: web.server.ids.categories['LD-QX'],
      title: '工地拖欠工资',
      content: '工地老板拖欠十几个人工资，大家商量明天去讨薪。',
    });
    const sup = await web.server.as('supervisor');
    await sup.call('POST', '/api/matters', {
      title: '曹县城区供水管网改造',
      description: '城区多处停水、水压低，诉求集中',
      regionCode: '371721',
      leadUnitId: web.server.ids.units['gov-cx'],
    });
  });

  it('a supervisor opens the feed and a spike, links it to a matter and closes it', async () => {
    const { page: s } = await signIn(web.browser, web.server, guard, 'supervisor');
    await s.locator('.ant-layout-sider').getByText('风险预警').click();
    const spike = s.locator('tr', { hasText: '诉求量突增' });
    await visible(spike);
    await visible(s.locator('tr', { hasText: '集体诉求' }));
    await visible(s.locator('tr', { hasText: '讨薪' }));
    await containsText(spike, '严重');
    await shot(s, 'feed');
    await expectNoAxeViolations(s, '风险预警');

    await spike.getByTestId('warning-open').click();
    const drawer = s.getByTestId('warning-drawer');
    await containsText(drawer, '同类日');
    await visible(s.getByTestId('warning-chart'));
    await shot(s, 'detail');
    await expectNoAxeViolationsIn(s, '风险预警 详情抽屉');

    await s.getByTestId('warning-ack').click();
    await toastShown(s, '已确认');
    await s.getByTestId('warning-link').click();
    const modal = s.locator('.ant-modal');
    await chooseOption(s, modal.getByLabel('专题'), { text: '曹县城区供水管网改造' });
    await expectNoAxeViolationsIn(s, '风险预警 关联专题');
    await modal.getByRole('button', { name: '确定' }).click();
    await toastShown(s, '已关联专题');
    await containsText(drawer, '曹县城区供水管网改造');
    await s.getByTestId('warning-close').click();
    await modal.getByLabel('处理说明').fill('已会同县水务局排查，纳入专题统筹推进');
    await expectNoAxeViolationsIn(s, '风险预警 关闭预警');
    await modal.getByRole('button', { name: '确定' }).click();
    await toastShown(s, '已关闭');
    await containsText(drawer, '已会同县水务局排查');
    await containsText(drawer, '已关闭');
    guard.assertClean();
  });
});

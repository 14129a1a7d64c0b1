import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import type { Clock } from '../clock.js';
import { addDays, localDateOf, localInstant } from '../domain/calendar.js';
import type { PiiCipher } from '../security/pii-cipher.js';
import { TicketService } from '../modules/tickets/tickets.service.js';
import { collectivePass } from '../jobs/early-warnings.js';

// Demo data for 第二十七条 风险预警, on top of the demo history (history.ts): yesterday's sudden rise of the night-time
// odour complaints of 天中街道开发区 (the history's emerging cluster, history-templates.ts CLUSTERS) — a spike of
// 定陶区 × 环境保护 the scheduler's job finds once the analytics rollup has read the history — and two new tickets whose
// texts hold sensitive-risk words (集体讨薪, 跳楼), which raise their warnings at intake as any agent's would. Tickets
// are made by the ticket service (its clock set to when they came in); then the collective pass runs once, and the
// spike pass follows in the scheduler. Skipped once any warning exists, or without the history. Demo only.

const BURST = {
  category: 'HB-DQ',
  region: '371703001',
  count: 16,
  titles: ['开发区夜间异味突然加重', '昨晚化工味特别浓'],
  contents: [
    '天中街道开发区附近昨天夜里化工异味比前几天重得多，很多邻居都被熏醒了，请尽快派人检测。',
    '开发区一带昨晚气味刺鼻，小孩咳嗽，怀疑有企业集中偷排，希望环保部门连夜查处。',
  ],
};

const SENSITIVE = [
  {
    category: 'LD-QX',
    region: '371702001',
    minutesAgo: 90,
    title: '工地拖欠农民工工资',
    content: '和平路一处工地拖欠二十多名工人工资半年，工人们说再不给就要集体讨薪，请劳动监察部门尽快介入。',
  },
  {
    category: 'LD-QX',
    region: '371721001',
    minutesAgo: 40,
    title: '欠薪工人情绪激动',
    content: '倪集街道一家服装厂欠薪三个月，有工人情绪激动说要去楼顶跳楼，请相关部门马上协调处理。',
  },
];

export async function seedDemoWarnings(db: Kysely<DB>, cipher: PiiCipher, now: Date) {
  if (await db.selectFrom('warnings').select('id').limit(1).executeTakeFirst()) return { skipped: true, tickets: 0 };
  const agent = await db
    .selectFrom('users')
    .select(['id', 'unit_id'])
    .where('username', '=', 'agent')
    .executeTakeFirst();
  const history = await db
    .selectFrom('tickets')
    .select('id')
    .where('created_at', '<', new Date(now.getTime() - 30 * 86_400_000))
    .limit(1)
    .executeTakeFirst();
  const codes = [BURST.category, ...SENSITIVE.map((s) => s.category)];
  const categories = new Map(
    (await db.selectFrom('categories').select(['id', 'code']).where('code', 'in', codes).execute()).map((c) => [
      c.code,
      c.id,
    ]),
  );
  if (!agent || !history || categories.size < new Set(codes).size) return { skipped: true, tickets: 0 };
  const actor = { userId: agent.id, unitId: agent.unit_id };
  let at = now;
  const clock: Clock = { now: () => at };
  const tickets = new TicketService({ db, clock, cipher });
  const yesterday = addDays(localDateOf(now), -1);
  let n = 0;
  for (let i = 0; i < BURST.count; i++) {
    at = localInstant(yesterday, 8 * 60 + Math.round((i * 13 * 60) / BURST.count));
    await db.transaction().execute((trx) =>
      tickets.createInTrx(trx, actor, {
        requestType: 'complaint',
        categoryId: categories.get(BURST.category)!,
        urgency: 'normal',
        regionCode: BURST.region,
        title: BURST.titles[i % BURST.titles.length]!,
        content: BURST.contents[i % BURST.contents.length]!,
        channel: i % 3 === 0 ? 'wechat' : 'phone',
        requesterId: null,
      }),
    );
    n++;
  }
  for (const s of SENSITIVE) {
    at = new Date(now.getTime() - s.minutesAgo * 60_000);
    await db.transaction().execute((trx) =>
      tickets.createInTrx(trx, actor, {
        requestType: 'help',
        categoryId: categories.get(s.category)!,
        urgency: 'urgent',
        regionCode: s.region,
        title: s.title,
        content: s.content,
        requesterId: null,
      }),
    );
    n++;
  }
  // the collective requests of the last day at once; the spike pass waits for the rollup (jobs/early-warnings.ts)
  const collective = await collectivePass(db, now);
  return { skipped: false, tickets: n, collective };
}

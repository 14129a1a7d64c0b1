import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { ManualClock } from '../clock.js';
import type { PiiCipher } from '../security/pii-cipher.js';
import type { Actor, Role } from '../modules/auth/actor.js';
import { GridReportService } from '../modules/grids/grid-reports.service.js';
import { TicketService } from '../modules/tickets/tickets.service.js';

// Demo data for 第二十九条 网格化管理: the demo grid workers' 主动发现 reports of the last five weeks, through the real
// service (a ticket on channel 'grid' in the worker's grid), those older than two days dispatched by the catalogue,
// so 网格视图 and 我的上报 show something true. Skipped once any such report exists, or without the demo workers.

const DAY = 86_400_000;
const FOUND: Array<{ category: string; title: string; place: string; content: string }> = [
  {
    category: 'CX-SZ',
    title: '人行道井盖缺失',
    place: '和平路北段',
    content: '巡查发现人行道井盖缺失，已放置警示锥，需尽快补装。',
  },
  {
    category: 'CX-SZ',
    title: '路灯夜间不亮',
    place: '丹阳路与中华路路口',
    content: '路口东侧两盏路灯连续三晚不亮，行人夜间通行不便。',
  },
  {
    category: 'HB-LJ',
    title: '垃圾桶满溢未清运',
    place: '老旧小区南门',
    content: '小区南门垃圾桶满溢两天未清运，异味明显，居民反映强烈。',
  },
  {
    category: 'CX-WJ',
    title: '楼顶私搭乱建',
    place: '小区6号楼楼顶',
    content: '6号楼楼顶新搭建彩钢板房，疑似违章建筑，需核查处置。',
  },
  {
    category: 'HB-ZS',
    title: '夜间施工噪声',
    place: '沿街商铺装修点',
    content: '沿街商铺夜间十点后仍在装修施工，噪声扰民。',
  },
  {
    category: 'CX-WY',
    title: '单元门禁损坏',
    place: '小区3号楼2单元',
    content: '单元门禁损坏多日，物业未维修，存在安全隐患。',
  },
];

export async function seedDemoGrids(db: Kysely<DB>, cipher: PiiCipher, now: Date): Promise<{ reports: number }> {
  if (await db.selectFrom('tickets').select('id').where('channel', '=', 'grid').limit(1).executeTakeFirst())
    return { reports: 0 };
  const [workers, categories, dispatcher] = await Promise.all([
    db
      .selectFrom('users as u')
      .innerJoin('grid_workers as g', 'g.user_id', 'u.id')
      .select(['u.id', 'u.username', 'u.display_name', 'u.unit_id', 'g.grid_code'])
      .where('u.username', 'in', ['grid_dc', 'grid_xc'])
      .orderBy('u.id')
      .orderBy('g.grid_code')
      .execute(),
    db.selectFrom('categories').select(['id', 'code']).execute(),
    db
      .selectFrom('users')
      .select(['id', 'username', 'display_name', 'unit_id'])
      .where('username', '=', 'dispatcher')
      .executeTakeFirst(),
  ]);
  if (workers.length === 0 || !dispatcher) return { reports: 0 };
  const cat = new Map(categories.map((c) => [c.code, c.id]));
  const clock = new ManualClock(now);
  const deps = { db, clock, cipher };
  const tickets = new TicketService(deps);
  const reports = new GridReportService(deps, tickets);
  const actor = (u: { id: number; username: string; display_name: string; unit_id: number }, role: Role): Actor => ({
    userId: u.id,
    username: u.username,
    displayName: u.display_name,
    unitId: u.unit_id,
    roles: [role],
    scope: role === 'dispatcher' ? 'region' : 'unit',
    regionPrefixes: role === 'dispatcher' ? ['3717'] : [],
  });
  let n = 0;
  // about two reports a week per grid, the first grid of each worker busiest (the town view's hot grid)
  for (const [i, w] of workers.entries()) {
    const count = i % 3 === 0 ? 8 : 4;
    for (let k = 0; k < count; k++) {
      const daysAgo = 1 + ((k * 37 + i * 11) % 35);
      clock.set(new Date(now.getTime() - daysAgo * DAY + ((k * 5 + i) % 8) * 3_600_000));
      const f = FOUND[(k + i) % FOUND.length]!;
      const r = await reports.report(actor(w, 'grid_worker'), {
        gridCode: w.grid_code,
        categoryId: cat.get(f.category)!,
        requestType: 'help',
        urgency: 'normal',
        title: f.title,
        address: f.place,
        content: f.content,
      });
      n++;
      if (daysAgo > 2) {
        clock.set(new Date(clock.now().getTime() + 2 * 3_600_000));
        await tickets.dispatch(actor(dispatcher, 'dispatcher'), r.id, {}).catch(() => undefined);
      }
    }
  }
  return { reports: n };
}

import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { addDays, localDateOf } from '../domain/calendar.js';
import { MATTER_MAX_TICKETS } from '../../shared/domain/matters.js';

// Demo data for 第二十五、二十六条 专题治理, on top of the demo history (history.ts): the long-running sewer matter of
// 东城街道丹阳社区 (history-templates.ts LONG_RUNNING) registered as a matter under 牡丹区人民政府, with its tickets
// linked but the newest few (the proposal still finds those), coordinating units at city and town level, two tasks,
// a consultation, the residents' 民主协商 东城街道 held (第二十九条) and a policy measure whose effect the 数据对比 tab
// shows; and, registered before it, a wage-arrears dispute the centre coordinates with the dispute-resolution centre
// and the justice bureau (第二十六条第二款 联合协调处置, no tickets linked: the supervisor links them). Plain INSERTs like the history, in one
// transaction; skipped once any matter exists, or without the history. Demo only.

const DAY = 86_400_000;
/** the newest tickets of the matter left unlinked: "it keeps coming back", and the proposal finds them */
const LEFT_FOR_PROPOSAL = 5;

export async function seedDemoMatters(db: Kysely<DB>, now: Date): Promise<{ skipped: boolean; linked: number }> {
  if (await db.selectFrom('matters').select('id').limit(1).executeTakeFirst()) return { skipped: true, linked: 0 };
  const [supervisor, townManager, category, units] = await Promise.all([
    db.selectFrom('users').select(['id', 'unit_id']).where('username', '=', 'supervisor').executeTakeFirst(),
    db.selectFrom('users').select('id').where('username', '=', 'manager_dc').executeTakeFirst(),
    db.selectFrom('categories').select('id').where('code', '=', 'HB-SW').executeTakeFirst(),
    db
      .selectFrom('units')
      .select(['id', 'code', 'tier'])
      .where('code', 'in', ['gov-md', 'zjj', 'sthjj', 'jd-dc', 'rsj', 'mtzx', 'sfj'])
      .execute(),
  ]);
  const unit = new Map(units.map((u) => [u.code, u]));
  if (!supervisor || !category || unit.size < 7) return { skipped: true, linked: 0 };
  const tickets = await db
    .selectFrom('tickets')
    .select(['id', 'created_at'])
    .where('category_id', '=', category.id)
    .where('region_code', '=', '371702001002')
    .where('merged_into_id', 'is', null)
    .orderBy('created_at')
    .limit(MATTER_MAX_TICKETS)
    .execute();
  const linked = tickets.slice(0, Math.max(0, tickets.length - LEFT_FOR_PROPOSAL));
  if (linked.length < 3) return { skipped: true, linked: 0 };

  const first = linked[0]!.created_at.getTime();
  // registered a third of the way into the matter's history, the measure taking effect about 100 days ago
  const registeredAt = new Date(first + (now.getTime() - first) / 3);
  const measureOn = addDays(localDateOf(now), -100);
  const minuteOn = addDays(measureOn, -20);
  const democraticOn = addDays(minuteOn, -7);
  const today = localDateOf(now);
  // the dispute matter: registered twenty days ago and taken up two days later, in office hours
  const jointAt = new Date(`${addDays(today, -20)}T09:30:00+08:00`);
  const jointStudyAt = new Date(`${addDays(today, -18)}T15:00:00+08:00`);
  const by = supervisor.id;
  const id = (code: string) => unit.get(code)!.id;

  await db.transaction().execute(async (trx) => {
    // 第二十六条第二款: registered first, so the sewer matter stays the newest in the register
    const joint = await trx
      .insertInto('matters')
      .values({
        title: '在建工地农民工欠薪纠纷联合化解',
        description:
          '年底前多个在建工地集中反映拖欠农民工工资，涉及总包、分包和班组长之间的层层转包，单靠劳动监察难以及时化解。',
        region_code: '371700',
        status: 'studying',
        lead_unit_id: id('rsj'),
        centre_unit_id: supervisor.unit_id,
        joint_field: 'dispute_resolution',
        created_by: by,
        created_at: jointAt,
        updated_at: jointStudyAt,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('matter_units')
      .values([
        {
          matter_id: joint.id,
          unit_id: id('mtzx'),
          tier: 'city',
          role: '组织联合调解，出具调解协议',
          added_by: by,
          added_at: jointAt,
        },
        {
          matter_id: joint.id,
          unit_id: id('sfj'),
          tier: 'city',
          role: '法律援助和人民调解指导',
          added_by: by,
          added_at: jointAt,
        },
      ])
      .execute();
    await trx
      .insertInto('matter_events')
      .values([
        {
          matter_id: joint.id,
          action: 'created',
          from_status: null,
          to_status: 'registered',
          note: '在建工地农民工欠薪纠纷联合化解',
          data: null,
          actor_user_id: by,
          at: jointAt,
        },
        {
          matter_id: joint.id,
          action: 'study',
          from_status: 'registered',
          to_status: 'studying',
          note: '联合调处化解中心、司法局协同化解',
          data: null,
          actor_user_id: by,
          at: jointStudyAt,
        },
      ])
      .execute();

    const m = await trx
      .insertInto('matters')
      .values({
        title: '丹阳社区老旧小区污水管网反复堵塞外溢',
        description:
          '东城街道丹阳社区老旧小区污水管网老化，雨季反复堵塞、返味、外溢，同一批住户一年内多次反映，临时疏通后很快复发。',
        category_id: category.id,
        region_code: '371702001',
        status: 'advancing',
        lead_unit_id: id('gov-md'),
        centre_unit_id: supervisor.unit_id,
        plan: '一、街道入户摸排管网现状与堵点；\n二、住建局编制雨污分流改造方案，分段实施；\n三、改造完成前由街道建立汛期巡查与应急疏通机制；\n四、改造后纳入市政管网长效管护。',
        keywords: '污水 管网 外溢 返味',
        created_by: by,
        created_at: registeredAt,
        updated_at: now,
        ticket_count: linked.length,
        version: 6,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('matter_tickets')
      .values(
        linked.map((t) => ({
          matter_id: m.id,
          ticket_id: t.id,
          linked_by: by,
          linked_at: new Date(Math.max(registeredAt.getTime(), t.created_at.getTime())),
          ticket_created_at: t.created_at,
        })),
      )
      .execute();
    await trx
      .insertInto('ticket_events')
      .values(
        linked.map((t) => ({
          ticket_id: t.id,
          kind: 'matter_linked',
          at: new Date(Math.max(registeredAt.getTime(), t.created_at.getTime())),
          actor_user_id: by,
          actor_unit_id: supervisor.unit_id,
          from_status: null,
          to_status: null,
          reason: null,
          data: JSON.stringify({ matterId: m.id, title: '丹阳社区老旧小区污水管网反复堵塞外溢' }),
          request_id: null,
        })),
      )
      .execute();
    await trx
      .insertInto('matter_units')
      .values([
        {
          matter_id: m.id,
          unit_id: id('zjj'),
          tier: 'city',
          role: '编制雨污分流改造方案，技术指导',
          added_by: by,
          added_at: registeredAt,
        },
        {
          matter_id: m.id,
          unit_id: id('sthjj'),
          tier: 'city',
          role: '污水外溢环境影响监测',
          added_by: by,
          added_at: registeredAt,
        },
        {
          matter_id: m.id,
          unit_id: id('jd-dc'),
          tier: 'town',
          role: '入户摸排、汛期巡查与群众沟通',
          added_by: by,
          added_at: registeredAt,
        },
      ])
      .execute();
    await trx
      .insertInto('matter_tasks')
      .values([
        {
          matter_id: m.id,
          title: '丹阳社区污水管网入户摸排，形成堵点清单',
          owner_unit_id: id('jd-dc'),
          due_on: addDays(minuteOn, -5),
          status: 'done',
          result: '已摸排 12 栋楼 312 户，查明主管堵点 6 处、破损 3 处，清单已报区政府。',
          created_by: by,
          created_at: registeredAt,
          updated_at: new Date(now.getTime() - 130 * DAY),
          done_at: new Date(now.getTime() - 130 * DAY),
        },
        {
          matter_id: m.id,
          title: '编制丹阳社区雨污分流改造方案并分段实施',
          owner_unit_id: id('zjj'),
          due_on: addDays(today, 20),
          status: 'in_progress',
          result: '一期改造已完工，二期施工中。',
          created_by: by,
          created_at: registeredAt,
          updated_at: new Date(now.getTime() - 10 * DAY),
          done_at: null,
        },
      ])
      .execute();
    await trx
      .insertInto('matter_minutes')
      .values({
        matter_id: m.id,
        held_on: minuteOn,
        unit_ids: [id('gov-md'), id('zjj'), id('sthjj'), id('jd-dc')],
        summary: '通报丹阳社区污水问题全年反映情况和摸排结果；临时疏通不能根治，需雨污分流改造。',
        decisions: '区政府牵头，住建局 30 日内出改造方案并争取专项资金；街道建立汛期每日巡查；生态环境局监测外溢点。',
        created_by: by,
        created_at: new Date(`${minuteOn}T16:00:00+08:00`),
      })
      .execute();
    // 第二十九条: before the consultation, 东城街道 heard the residents
    await trx
      .insertInto('matter_minutes')
      .values({
        matter_id: m.id,
        kind: 'democratic',
        participants: '丹阳社区居民委员会、小区业主代表 12 人、物业服务企业',
        held_on: democraticOn,
        unit_ids: [id('jd-dc')],
        summary: '街道组织居民议事会，听取住户对污水外溢、改造施工时段和临时排污的意见。',
        decisions: '改造期间每日 7 时至 19 时施工；物业配合设置临时排污点；居委会每周收集住户意见报街道。',
        created_by: townManager?.id ?? by,
        created_at: new Date(`${democraticOn}T19:00:00+08:00`),
      })
      .execute();
    await trx
      .insertInto('matter_measures')
      .values({
        matter_id: m.id,
        title: '牡丹区老旧小区雨污分流改造实施方案',
        content: '将丹阳社区列入首批改造；改造期间实行汛期巡查、应急疏通 2 小时到场。',
        issued_by: '牡丹区人民政府',
        effective_on: measureOn,
        created_by: by,
        created_at: new Date(`${measureOn}T10:00:00+08:00`),
      })
      .execute();
    const ev = (action: string, at: Date, note: string, from: string | null = null, to: string | null = null) => ({
      matter_id: m.id,
      action,
      from_status: from,
      to_status: to,
      note,
      data: null,
      actor_user_id: by,
      at,
    });
    await trx
      .insertInto('matter_events')
      .values([
        ev('created', registeredAt, '丹阳社区老旧小区污水管网反复堵塞外溢', null, 'registered'),
        ev('tickets_linked', registeredAt, `关联 ${linked.length} 件`),
        ev('study', registeredAt, '同一小区全年反复反映，列为专题研究', 'registered', 'studying'),
        {
          ...ev(
            'minute_added',
            new Date(`${democraticOn}T19:00:00+08:00`),
            `${democraticOn} 民主协商，参与：丹阳社区居民委员会、小区业主代表 12 人、物业服务企业`,
          ),
          actor_user_id: townManager?.id ?? by,
        },
        ev('minute_added', new Date(`${minuteOn}T16:00:00+08:00`), `${minuteOn} 会商，4 个单位参加`),
        ev(
          'advance',
          new Date(`${minuteOn}T17:00:00+08:00`),
          '会商确定改造方案，进入推进实施',
          'studying',
          'advancing',
        ),
        ev(
          'measure_added',
          new Date(`${measureOn}T10:00:00+08:00`),
          `牡丹区老旧小区雨污分流改造实施方案（${measureOn} 起施行）`,
        ),
      ])
      .execute();
  });
  return { skipped: false, linked: linked.length };
}

import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { localDateOf } from '../domain/calendar.js';
import { regionPrefix } from '../modules/auth/actor.js';

// Demo data for 第九条 complaint handling and 第二十三条 referrals, on top of the demo history (history.ts): a few
// complaints about staff at each stage and three referrals (移交, 受理, 处理结果) about tickets whose history shows
// why — a missed deadline and an unsatisfied callback — so 工作人员投诉, 问责移送 and the evidence pack show something
// true on a fresh start. Written with plain INSERTs like the history; skipped once any referral exists. Demo only.

const DAY = 86_400_000;

export async function seedDemoAccountability(
  db: Kysely<DB>,
  now: Date,
): Promise<{ skipped: boolean; referrals: number }> {
  if (await db.selectFrom('referrals').select('id').limit(1).executeTakeFirst()) return { skipped: true, referrals: 0 };
  const supervisor = await db
    .selectFrom('users')
    .select(['id', 'unit_id'])
    .where('username', '=', 'supervisor')
    .executeTakeFirst();
  const centre = supervisor
    ? await db
        .selectFrom('unit_regions')
        .select('region_code')
        .where('unit_id', '=', supervisor.unit_id)
        .executeTakeFirst()
    : undefined;
  if (!supervisor || !centre) return { skipped: true, referrals: 0 };
  // tickets whose history is evidence: a breached deadline and a callback the requester was unhappy with
  const evidenced = (olderThan: Date) =>
    db
      .selectFrom('tickets as t')
      .select(['t.id', 't.lead_unit_id', 't.created_at'])
      .where('t.lead_unit_id', 'is not', null)
      .where((eb) =>
        eb.exists(
          eb
            .selectFrom('deadlines as d')
            .select('d.id')
            .whereRef('d.ticket_id', '=', 't.id')
            .where('d.breached_at', 'is not', null),
        ),
      )
      .where((eb) =>
        eb.exists(
          eb
            .selectFrom('callbacks as c')
            .select('c.id')
            .whereRef('c.ticket_id', '=', 't.id')
            .where('c.satisfaction', '=', 'unsatisfied'),
        ),
      )
      .orderBy('t.id', 'desc')
      .where('t.created_at', '<', olderThan)
      .limit(6)
      .execute();
  // tickets old enough for their whole life to lie before the referral (the history's are), else any (a small database)
  let tickets = await evidenced(new Date(now.getTime() - 60 * DAY));
  if (tickets.length < 3) tickets = await evidenced(now);
  if (tickets.length < 3) return { skipped: true, referrals: 0 };
  // the steps follow the newest chosen ticket: "N days ago" on a 50-day scale after it, never later than now
  const base = Math.max(...tickets.map((t) => t.created_at.getTime()));
  const at = (daysAgo: number) => new Date(Math.min(now.getTime(), base + (50 - daysAgo) * DAY));
  const actor = supervisor.id;

  const referrals = await db.transaction().execute(async (trx) => {
    const audit = (entity: string, entityId: number, action: string, after: unknown, when: Date) =>
      trx
        .insertInto('admin_audit')
        .values({
          user_id: actor,
          entity,
          entity_id: String(entityId),
          action,
          before: null,
          after: JSON.stringify(after),
          at: when,
        })
        .execute();
    const ticketEvent = (ticketId: number, kind: string, when: Date, data: Record<string, unknown>) =>
      trx
        .insertInto('ticket_events')
        .values({
          ticket_id: ticketId,
          kind,
          at: when,
          actor_user_id: actor,
          actor_unit_id: supervisor.unit_id,
          data: JSON.stringify(data),
        })
        .execute();
    const complaint = async (
      t: (typeof tickets)[number],
      staff: string,
      content: string,
      daysAgo: number,
      steps: Array<{ action: string; note: string; daysAgo: number }>,
      patch: Partial<{ status: 'investigating' | 'concluded'; finding: 'substantiated'; finding_text: string }>,
    ) => {
      const row = await trx
        .insertInto('staff_complaints')
        .values({
          ticket_id: t.id,
          against_unit_id: t.lead_unit_id,
          against_staff: staff,
          content,
          created_at: at(daysAgo),
          ...(steps.length ? { assignee_id: actor, updated_at: at(steps[steps.length - 1]!.daysAgo) } : {}),
          ...patch,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx
        .insertInto('ticket_events')
        .values({
          ticket_id: t.id,
          kind: 'staff_complaint',
          at: at(daysAgo),
          actor_user_id: null,
          actor_unit_id: null,
          data: JSON.stringify({ complaintId: row.id }),
        })
        .execute();
      for (const s of steps) {
        await trx
          .insertInto('staff_complaint_steps')
          .values({ complaint_id: row.id, action: s.action, note: s.note, actor_user_id: actor, at: at(s.daysAgo) })
          .execute();
        await audit('staff_complaint', row.id, s.action, { note: s.note }, at(s.daysAgo));
      }
      return row.id;
    };
    const referral = async (r: {
      tickets: Array<(typeof tickets)[number]>;
      subject: 'unit' | 'staff';
      staff?: string;
      conducts: string[];
      facts: string;
      daysAgo: number;
      accepted?: { daysAgo: number; note: string };
      result?: { daysAgo: number; text: string };
      complaintId?: number;
    }) => {
      const status = r.result ? 'concluded' : r.accepted ? 'accepted' : 'transferred';
      const row = await trx
        .insertInto('referrals')
        .values({
          centre_unit_id: supervisor.unit_id,
          region_prefix: regionPrefix(centre.region_code),
          subject_kind: r.subject,
          unit_id: r.tickets[0]!.lead_unit_id!,
          staff: r.staff ?? null,
          conducts: r.conducts,
          facts: r.facts,
          body_name: '菏泽市纪委监委',
          status,
          transferred_at: at(r.daysAgo),
          accepted_on: r.accepted ? localDateOf(at(r.accepted.daysAgo)) : null,
          accepted_note: r.accepted?.note ?? null,
          result: r.result?.text ?? null,
          result_on: r.result ? localDateOf(at(r.result.daysAgo)) : null,
          complaint_id: r.complaintId ?? null,
          created_by: actor,
          created_at: at(r.daysAgo),
          updated_at: at(r.result?.daysAgo ?? r.accepted?.daysAgo ?? r.daysAgo),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx
        .insertInto('referral_tickets')
        .values(r.tickets.map((t) => ({ referral_id: row.id, ticket_id: t.id })))
        .execute();
      const steps: Array<[string, string | null, string, string, number]> = [
        ['transferred', null, 'transferred', '移交菏泽市纪委监委', r.daysAgo],
      ];
      if (r.accepted) steps.push(['accept', 'transferred', 'accepted', r.accepted.note, r.accepted.daysAgo]);
      if (r.result) steps.push(['conclude', 'accepted', 'concluded', `处理结果：${r.result.text}`, r.result.daysAgo]);
      for (const [action, from, to, note, daysAgo] of steps) {
        await trx
          .insertInto('referral_events')
          .values({
            referral_id: row.id,
            action,
            from_status: from,
            to_status: to,
            note,
            actor_user_id: actor,
            at: at(daysAgo),
          })
          .execute();
        for (const t of r.tickets) await ticketEvent(t.id, `referral_${to}`, at(daysAgo), { referralId: row.id });
        await audit('referral', row.id, action === 'transferred' ? 'create' : action, { status: to }, at(daysAgo));
      }
      if (r.complaintId)
        await trx
          .updateTable('staff_complaints')
          .set({ status: 'escalated', referral_id: row.id, updated_at: at(r.daysAgo) })
          .where('id', '=', r.complaintId)
          .execute();
      return row.id;
    };

    const [a, b, c, d, e, f] = tickets;
    await complaint(a!, '接电话的工作人员', '工作人员接电话时很不耐烦，没说两句就挂断了。', 2, [], {});
    await complaint(
      b!,
      '上门查看的工作人员',
      '说好周三上门查看，一直没人来，打电话也不接。',
      6,
      [{ action: 'investigate', note: '调查人：孙督办。调取通话记录，约谈承办人', daysAgo: 5 }],
      { status: 'investigating' },
    );
    const escalated = await complaint(
      c!,
      '自称姓王的工作人员',
      '承办人员电话里态度粗暴，说“这事别再打了”就挂断电话。',
      20,
      [
        { action: 'investigate', note: '调查人：孙督办。调取通话录音', daysAgo: 19 },
        { action: 'conclude', note: '调查结论：属实。录音显示承办人语气生硬并主动挂断电话', daysAgo: 16 },
        { action: 'escalate', note: '移送纪检监察机关', daysAgo: 15 },
      ],
      { status: 'concluded', finding: 'substantiated', finding_text: '录音显示承办人语气生硬并主动挂断电话' },
    );
    const made = [
      await referral({
        tickets: [c!],
        subject: 'staff',
        staff: '自称姓王的工作人员',
        conducts: ['rude_conduct', 'rude_negative_effect'],
        facts: '诉求人投诉承办人员态度粗暴，经调取录音属实；工单同时超期办理，回访不满意。',
        daysAgo: 15,
        accepted: { daysAgo: 12, note: '已受理，转派驻纪检监察组核查' },
        complaintId: escalated,
      }),
    ];
    if (d)
      made.push(
        await referral({
          tickets: [d, ...(e ? [e] : [])],
          subject: 'unit',
          conducts: ['buck_passing', 'unhandled_after_supervision'],
          facts: '承办单位对同类诉求多次申请退单被驳回后仍超期未办，经督办仍未办理，诉求人不满意。',
          daysAgo: 40,
          accepted: { daysAgo: 36, note: '已受理' },
          result: { daysAgo: 20, text: '对单位分管负责人进行提醒谈话，责令限期整改' },
        }),
      );
    if (f)
      made.push(
        await referral({
          tickets: [f],
          subject: 'unit',
          conducts: ['inaction'],
          facts: '承办单位签收后长期未联系诉求人，超期未办结。',
          daysAgo: 3,
        }),
      );
    return made.length;
  });
  return { skipped: false, referrals };
}

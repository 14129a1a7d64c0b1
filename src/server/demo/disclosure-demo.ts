import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import type { Clock } from '../clock.js';
import { localDateOf } from '../domain/calendar.js';
import { rollupAssessment } from '../jobs/assessment-rollup.js';
import { regionPrefix, type Actor, type Role } from '../modules/auth/actor.js';
import { previousMonth } from '../modules/disclosure/disclosure.repository.js';
import type { DisclosureService } from '../modules/disclosure/disclosure.service.js';

// Demo data for 第二十一条 信息公开: last month's city report, drafted by the analyst and published by the supervisor
// through the real workflow (audited, immutable), so the portal's 数据公开 shows something on a fresh start. It
// waits in the background until the assessment rollup has read the demo history (the units' rates come from it), so
// it never delays the start. Skipped once any report exists. Demo only.

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function actorOf(db: Kysely<DB>, username: string): Promise<Actor | null> {
  const u = await db
    .selectFrom('users')
    .select(['id', 'username', 'display_name', 'unit_id', 'roles', 'scope'])
    .where('username', '=', username)
    .executeTakeFirst();
  if (!u) return null;
  const regions = await db.selectFrom('unit_regions').select('region_code').where('unit_id', '=', u.unit_id).execute();
  return {
    userId: u.id,
    username: u.username,
    displayName: u.display_name,
    unitId: u.unit_id,
    roles: u.roles as Role[],
    scope: u.scope,
    regionPrefixes: regions.map((r) => regionPrefix(r.region_code)),
  };
}

/** Whether the assessment rollup has read every event there is (or gave up waiting after `timeoutMs`). */
async function rollupCaughtUp(db: Kysely<DB>, clock: Clock, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    // a pass of our own; when the scheduler holds the cursor this returns at once and we wait for it
    await rollupAssessment(db, clock.now(), { lagMs: 0 });
    const [cursor, last] = await Promise.all([
      db.selectFrom('assessment_cursors').select('last_id').where('name', '=', 'ticket_events').executeTakeFirst(),
      db
        .selectFrom('ticket_events')
        .select((eb) => eb.fn.max('id').as('id'))
        .executeTakeFirst(),
    ]);
    if (Number(cursor?.last_id ?? 0) >= Number(last?.id ?? 0) || Date.now() > deadline) return;
    await sleep(2_000);
  }
}

export async function seedDemoDisclosure(
  db: Kysely<DB>,
  service: DisclosureService,
  clock: Clock,
  opts: { timeoutMs?: number } = {},
): Promise<{ skipped: boolean; month?: string }> {
  if (await db.selectFrom('disclosure_reports').select('id').limit(1).executeTakeFirst()) return { skipped: true };
  const month = previousMonth(localDateOf(clock.now()).slice(0, 7));
  const [analyst, supervisor] = await Promise.all([actorOf(db, 'analyst'), actorOf(db, 'supervisor')]);
  if (!analyst || !supervisor) return { skipped: true };
  await rollupCaughtUp(db, clock, opts.timeoutMs ?? 180_000);
  // a report may have appeared meanwhile (another instance): the unique draft index would refuse a second one
  if (await db.selectFrom('disclosure_reports').select('id').limit(1).executeTakeFirst()) return { skipped: true };
  const draft = await service.create(analyst, { month });
  // one 典型案例: a closed, satisfied ticket of the month, summarised in the centre's words (never the citizen's)
  const from = `${month}-01`;
  const example = await db
    .selectFrom('tickets as t')
    .innerJoin('callbacks as c', 'c.ticket_id', 't.id')
    .select(['t.number'])
    .where('t.status', '=', 'closed')
    .where('c.satisfaction', '=', 'satisfied')
    .where('t.created_at', '>=', new Date(`${from}T00:00:00+08:00`))
    .where('t.region_code', 'like', '3717%')
    .orderBy('t.id')
    .limit(1)
    .executeTakeFirst();
  await service.update(analyst, draft.id, {
    foreword: `${Number(month.slice(5))} 月，热线共受理群众来电来信并转办工单，各承办单位按期办理。现将本月热线工作情况和承办单位诉求办理情况公布如下，欢迎社会各界监督。`,
    ...(example
      ? {
          cases: [
            {
              ticketNumber: example.number,
              title: '群众诉求按期办结',
              summary: '承办单位接单后当日联系诉求人，现场核实后按期办结，回访中诉求人对办理结果表示满意。',
            },
          ],
        }
      : {}),
  });
  await service.submit(analyst, draft.id);
  await service.publish(supervisor, draft.id);
  return { skipped: false, month };
}

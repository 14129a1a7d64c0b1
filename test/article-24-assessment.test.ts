import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, expectStatus } from './helpers/api.js';
import { dispatchedTicket, loginAll, tokenFor, type Clients } from './helpers/factories.js';
import { describeEachDb } from './helpers/test-env.js';
import { rollupAssessment } from '../src/server/jobs/assessment-rollup.js';
import { rollupServiceFigures } from '../src/server/modules/assessment/service-figures.repository.js';

// 第二十四条 热线工作考核: indicators on hand-computed examples through real ticket lifecycles, scheme versions,
// appeals and recomputation, frozen results recomputed identically, scope, and bad input (docs/assessment.md).
describeEachDb('第二十四条 热线工作考核', (env, kind) => {
  let c: Clients;
  let satisfiedId: number;
  let unhappyId: number;
  let cxId: number;
  const rollup = () => rollupAssessment(env().db, env().clock.now(), { lagMs: 0 });
  const unit = (code: string) => env().ids.units[code]!;

  /** A ticket through the whole lifecycle: accepted, contacted, replied and called back. */
  async function lifecycle(
    code: string,
    handler: () => Clients['handlerMd'],
    callback: { satisfaction: string; resolved: boolean; reasonable?: boolean },
    over: Record<string, unknown> = {},
  ) {
    env().clock.set('2025-03-03T09:00:00+08:00');
    const id = await dispatchedTicket(env(), c, code, over);
    env().clock.set('2025-03-03T10:00:00+08:00');
    expectStatus(await handler().post(`/api/tickets/${id}/accept`, {}), 200);
    expectStatus(
      await handler().post(`/api/tickets/${id}/contacts`, { method: 'phone', reached: true, note: '已联系' }),
      200,
    );
    env().clock.set('2025-03-04T10:00:00+08:00');
    expectStatus(await handler().post(`/api/tickets/${id}/reply`, { result: '已处理完毕', solved: true }), 200);
    env().clock.set('2025-03-05T10:00:00+08:00');
    expectStatus(await c.callback.post(`/api/tickets/${id}/callback`, { ...callback, outcome: 'close' }), 200);
    return id;
  }

  const county = (body: any, unitId: number) =>
    body.groups.find((g: any) => g.unitGroup === 'county_government').units.find((u: any) => u.unitId === unitId);
  const ind = (u: any, key: string) => u.indicators.find((i: any) => i.indicator === key);

  beforeAll(async () => {
    c = await loginAll(env());
    satisfiedId = await lifecycle('gov-md', () => c.handlerMd, { satisfaction: 'satisfied', resolved: true });
    unhappyId = await lifecycle('gov-md', () => c.handlerMd, {
      satisfaction: 'unsatisfied',
      resolved: false,
      reasonable: false,
    });
    cxId = await lifecycle(
      'gov-cx',
      () => c.handlerCx,
      { satisfaction: 'basically_satisfied', resolved: true },
      { regionCode: '371721001', address: '曹县倪集街道' },
    );
    await rollup();
  });

  describe('第二十四条 指标（手工核算）', () => {
    it('two closed tickets of 牡丹区人民政府: one 满意 and resolved, one 不满意 and not', async () => {
      const r = expectStatus(await c.supervisor.get('/api/assessment/results?period=2025-03'), 200);
      expect(r.frozen).toBeNull();
      const md = county(r, unit('gov-md'));
      expect(ind(md, 'accept_timely')).toMatchObject({ num: 2, den: 2, value: 100, points: 10 });
      expect(ind(md, 'contact_timely')).toMatchObject({ num: 2, den: 2, value: 100, points: 10 });
      expect(ind(md, 'ontime_completion')).toMatchObject({ num: 2, den: 2, value: 100, points: 15 });
      expect(ind(md, 'completion')).toMatchObject({ num: 2, den: 2, value: 100, points: 10 });
      // 解决率 and 满意率 50 %: at or below the cut-off of 60 %, no points
      expect(ind(md, 'resolution')).toMatchObject({ num: 1, den: 2, value: 50, points: 0 });
      expect(ind(md, 'satisfaction')).toMatchObject({ num: 1, den: 2, value: 50, points: 0 });
      expect(ind(md, 'rework')).toMatchObject({ num: 0, den: 2, value: 0, points: 5 });
      expect(ind(md, 'unfounded_return')).toMatchObject({ num: 0, den: 2, points: 5 });
      expect(ind(md, 'extension')).toMatchObject({ num: 0, den: 2, points: 5 });
      expect(ind(md, 'supervision')).toMatchObject({ num: 0, points: 3 });
      const kb = ind(md, 'knowledge_timely').points;
      expect(md.score).toBeCloseTo(63 + kb, 2);
      // 曹县人民政府: one 基本满意 counts as satisfied
      const cx = county(r, unit('gov-cx'));
      expect(ind(cx, 'satisfaction')).toMatchObject({ num: 1, den: 1, value: 100, points: 20 });
      expect(cx.rank).toBeLessThan(md.rank);
    });

    it('the rollup is idempotent: a second pass and a replay from the start change nothing', async () => {
      const snapshot = async () =>
        (
          await sql<{
            s: string;
          }>`SELECT string_agg(unit_id || ':' || day || ':' || satisfaction_num || '/' || satisfaction_den || ':' || completion_num, ',' ORDER BY unit_id, day) AS s FROM assessment_daily`.execute(
            env().db,
          )
        ).rows[0]!.s;
      const before = await snapshot();
      expect((await rollup()).events).toBe(0);
      await sql`UPDATE assessment_cursors SET last_id = 0`.execute(env().db);
      const again = await rollup();
      expect(again.events).toBeGreaterThan(0);
      expect(await snapshot()).toBe(before);
      if (kind === 'postgres') {
        // two schedulers at once: one holds the cursor, the other skips; together they count every ticket once
        await sql`UPDATE assessment_cursors SET last_id = 0`.execute(env().db);
        const second = await env().openSecondHandle();
        const now = env().clock.now();
        const [a, b] = await Promise.all([
          rollupAssessment(env().db, now, { lagMs: 0, batchSize: 5 }),
          rollupAssessment(second.db, now, { lagMs: 0, batchSize: 5 }),
        ]);
        expect(a.events + b.events).toBeGreaterThan(0);
        await rollup();
        expect(await snapshot()).toBe(before);
      }
    });

    it('drill-down lists the tickets that took points off, keyset paginated', async () => {
      const q = `/api/assessment/drilldown?period=2025-03&unitId=${unit('gov-md')}&indicator=satisfaction`;
      const all = expectStatus(await c.supervisor.get(q), 200);
      expect(all.items.map((i: any) => i.ticketId)).toEqual([satisfiedId, unhappyId]);
      // the indicator's counters as the rollup holds them now, to compare with a frozen version
      expect(all.current).toEqual({ num: 1, den: 2 });
      const against = expectStatus(await c.supervisor.get(`${q}&against=true`), 200);
      expect(against.items.map((i: any) => i.ticketId)).toEqual([unhappyId]);
      const page1 = expectStatus(await c.supervisor.get(`${q}&limit=1`), 200);
      expect(page1.nextAfter).toBe(`2025-03-03_${satisfiedId}`);
      const page2 = expectStatus(await c.supervisor.get(`${q}&limit=1&after=${page1.nextAfter}`), 200);
      expect(page2.items.map((i: any) => i.ticketId)).toEqual([unhappyId]);
      expect(page2.nextAfter).toBeNull();
    });
  });

  describe('第二十四条 冻结、申诉与重算', () => {
    let v1: any;
    it('a frozen result is recomputed identically from its inputs and scheme', async () => {
      const f = expectStatus(await c.supervisor.post('/api/assessment/results', { period: '2025-03' }), 201);
      expect(f.version).toBe(1);
      v1 = expectStatus(await c.supervisor.get('/api/assessment/results?period=2025-03'), 200);
      expect(v1.frozen.version).toBe(1);
      const check = expectStatus(
        await (await ApiClient.login(env(), 'analyst')).get(`/api/assessment/results/${f.id}/verify`),
        200,
      );
      expect(check).toMatchObject({ identical: true, differences: [] });
    });

    it('a unit appeals an unreasonable 不满意; the centre accepts; the score is recomputed as a new version', async () => {
      const bad = await c.handlerMd.post('/api/assessment/appeals', {
        ticketId: satisfiedId,
        indicator: 'satisfaction',
        reason: '诉求人评价满意，无需申诉',
      });
      expect(bad.status).toBe(422);
      const a = expectStatus(
        await c.handlerMd.post('/api/assessment/appeals', {
          ticketId: unhappyId,
          indicator: 'satisfaction',
          reason: '诉求人要求超出政策规定，已依法答复并解释，不满意评价不合理',
          materials: [{ name: '答复记录', description: '电话录音编号 20250304-01' }],
        }),
        201,
      );
      expect(a).toMatchObject({ status: 'pending', counted: { num: 0, den: 1 }, period: '2025-03' });
      const second = await c.managerMd.post('/api/assessment/appeals', {
        ticketId: unhappyId,
        indicator: 'satisfaction',
        reason: '再次申诉同一工单同一指标',
      });
      expect(second.status).toBe(409);
      expect(second.body.error.message).toContain('只能申诉一次');
      // the unit cannot decide its own appeal
      expect(
        (await c.managerMd.post(`/api/assessment/appeals/${a.id}/decision`, { decision: 'accept', note: '同意' }))
          .status,
      ).toBe(403);
      const queue = expectStatus(await c.supervisor.get('/api/assessment/appeals?status=pending'), 200);
      expect(queue.items.map((i: any) => i.id)).toContain(a.id);
      const d = expectStatus(
        await c.supervisor.post(`/api/assessment/appeals/${a.id}/decision`, {
          decision: 'accept',
          note: '经核实，不满意评价不合理，予以采纳',
        }),
        200,
      );
      expect(d.revised).toEqual([{ period: '2025-03', version: 2 }]);
      const v2 = expectStatus(await c.supervisor.get('/api/assessment/results?period=2025-03'), 200);
      expect(v2.frozen.version).toBe(2);
      expect(v2.versions[0].reason).toContain('申诉采纳');
      const before = county(v1, unit('gov-md'));
      const after = county(v2, unit('gov-md'));
      expect(ind(after, 'satisfaction')).toMatchObject({ num: 1, den: 1, value: 100, points: 20 });
      expect(ind(after, 'resolution')).toMatchObject({ num: 1, den: 2 }); // only the appealed indicator
      expect(after.score).toBeCloseTo(before.score + 20, 2);
      // version 1 stays as it was
      const old = expectStatus(await c.supervisor.get('/api/assessment/results?period=2025-03&version=1'), 200);
      expect(county(old, unit('gov-md')).score).toBe(before.score);
      // the live figures and the drill-down no longer count the ticket
      const live = expectStatus(
        await c.supervisor.get(
          `/api/assessment/drilldown?period=2025-03&unitId=${unit('gov-md')}&indicator=satisfaction&against=true`,
        ),
        200,
      );
      expect(live.items).toEqual([]);
      // today's counting moved from version 1's 1/2 to 1/1: the drawer over version 1 says so
      expect(live.current).toEqual({ num: 1, den: 1 });
      expect(ind(county(old, unit('gov-md')), 'satisfaction')).toMatchObject({ num: 1, den: 2 });
      // the ticket's history shows the appeal and the decision
      const events = expectStatus(await c.supervisor.get(`/api/tickets/${unhappyId}`), 200);
      const kinds = JSON.stringify(events);
      expect(kinds).toContain('assessment_appeal_accepted');
      // version 2 recomputes identically too
      expect(
        expectStatus(await c.supervisor.get(`/api/assessment/results/${v2.frozen.id}/verify`), 200).identical,
      ).toBe(true);
    });

    it('an appeal after the window (5 working days after the month, Qingming counted) is refused', async () => {
      env().clock.set('2025-04-09T09:00:00+08:00');
      const late = await c.handlerMd.post('/api/assessment/appeals', {
        ticketId: unhappyId,
        indicator: 'resolution',
        reason: '诉求人认为未解决，但已按政策办理',
      });
      expect(late.status).toBe(409);
      expect(late.body.error.message).toContain('申诉期已过');
      expect(late.body.error.details.deadline).toBe('2025-04-08');
      env().clock.set('2025-04-08T09:00:00+08:00');
      const rejected = expectStatus(
        await c.handlerMd.post('/api/assessment/appeals', {
          ticketId: unhappyId,
          indicator: 'resolution',
          reason: '诉求人认为未解决，但已按政策办理',
        }),
        201,
      );
      const d = expectStatus(
        await c.supervisor.post(`/api/assessment/appeals/${rejected.id}/decision`, {
          decision: 'reject',
          note: '诉求合理，维持原计分',
        }),
        200,
      );
      expect(d).toMatchObject({ status: 'rejected', revised: [] });
      // the window is a setting (admin): 3 working days end on 2025-04-03
      expect(
        (await c.supervisor.request('PUT', '/api/assessment/settings', { appealWindowWorkingDays: 3 })).status,
      ).toBe(403);
      expect((await c.admin.request('PUT', '/api/assessment/settings', { appealWindowWorkingDays: 31 })).status).toBe(
        400,
      );
      expectStatus(await c.admin.request('PUT', '/api/assessment/settings', { appealWindowWorkingDays: 3 }), 200);
      expect(expectStatus(await c.supervisor.get('/api/assessment/settings'), 200).appealWindowWorkingDays).toBe(3);
      const shorter = await c.handlerMd.post('/api/assessment/appeals', {
        ticketId: unhappyId,
        indicator: 'resolution',
        reason: '窗口缩短后的申诉',
      });
      expect(shorter.status).toBe(409);
      expect(shorter.body.error.details.deadline).toBe('2025-04-03');
      expectStatus(await c.admin.request('PUT', '/api/assessment/settings', { appealWindowWorkingDays: 5 }), 200);
      const again = await c.supervisor.post(`/api/assessment/appeals/${rejected.id}/decision`, {
        decision: 'accept',
        note: '改判',
      });
      expect(again.status).toBe(409);
    });
  });

  describe('第二十四条 考核方案', () => {
    const lines = [
      { indicator: 'satisfaction', weight: 50, target: 90, cutoff: 60 },
      { indicator: 'completion', weight: 50, target: 95, cutoff: 80 },
    ];
    it('weights that do not add up to 100 are refused with a clear message', async () => {
      const r = await c.admin.post('/api/assessment/schemes', {
        unitGroup: 'county_government',
        name: '2025年二季度方案',
        effectiveFrom: '2025-04-01',
        indicators: [{ ...lines[0], weight: 40 }, lines[1]],
      });
      expect(r.status).toBe(400);
      expect(r.body.error.message).toContain('各指标权重之和须为 100，当前为 90');
    });

    it('overlapping effective dates are refused; ending the old version lets the new one follow', async () => {
      const body = {
        unitGroup: 'county_government',
        name: '2025年二季度方案',
        effectiveFrom: '2025-04-01',
        indicators: lines,
      };
      const clash = await c.admin.post('/api/assessment/schemes', body);
      expect(clash.status).toBe(409);
      expect(clash.body.error.message).toContain('重叠');
      const list = expectStatus(await c.admin.get('/api/assessment/schemes'), 200);
      const v1 = list.items.find((s: any) => s.unitGroup === 'county_government' && s.version === 1);
      // not before a period a frozen result used it
      expect(
        (await c.admin.post(`/api/assessment/schemes/${v1.id}/retire`, { effectiveTo: '2025-02-28' })).status,
      ).toBe(409);
      expectStatus(await c.admin.post(`/api/assessment/schemes/${v1.id}/retire`, { effectiveTo: '2025-03-31' }), 200);
      const v2 = expectStatus(await c.admin.post('/api/assessment/schemes', body), 201);
      expect(v2.version).toBe(2);
      expect((await c.supervisor.post('/api/assessment/schemes', body)).status).toBe(403);
      // March is still scored with version 1; a new freeze of March too
      const f = expectStatus(await c.supervisor.post('/api/assessment/results', { period: '2025-03' }), 201);
      const r = expectStatus(
        await c.supervisor.get(`/api/assessment/results?period=2025-03&version=${f.version}`),
        200,
      );
      const g = r.groups.find((x: any) => x.unitGroup === 'county_government');
      expect(g.scheme).toMatchObject({ id: v1.id, version: 1 });
    });
  });

  describe('第二十四条 范围', () => {
    it('a unit sees only its own score, drill-down and appeals', async () => {
      const r = expectStatus(await c.handlerMd.get('/api/assessment/results?period=2025-03'), 200);
      const units = r.groups.flatMap((g: any) => g.units.map((u: any) => u.unitId));
      expect(units).toEqual([unit('gov-md')]);
      expect(r.groups[0].unitsRanked).toBeGreaterThanOrEqual(2);
      const other = await c.handlerMd.get(
        `/api/assessment/drilldown?period=2025-03&unitId=${unit('gov-cx')}&indicator=satisfaction`,
      );
      expect(other.status).toBe(404);
      const cx = expectStatus(await c.handlerCx.get('/api/assessment/appeals'), 200);
      expect(cx.items).toEqual([]);
      expect((await c.handlerCx.get(`/api/assessment/appeals?unitId=${unit('gov-md')}`)).status).toBe(404);
      // another unit cannot appeal a ticket it was not assessed on
      const foreign = await c.handlerCx.post('/api/assessment/appeals', {
        ticketId: satisfiedId,
        indicator: 'satisfaction',
        reason: '不是本单位的工单',
      });
      expect(foreign.status).toBe(404);
      expect(cxId).toBeGreaterThan(0);
    });

    it('a county centre sees only the units of its county', async () => {
      const e = env();
      const sup = await e.db
        .selectFrom('users')
        .selectAll()
        .where('username', '=', 'supervisor')
        .executeTakeFirstOrThrow();
      await e.db
        .insertInto('users')
        .values({
          username: 'assess_sup_cx',
          display_name: '曹县督办员',
          password_hash: sup.password_hash,
          unit_id: unit('centre-cx'),
          roles: ['supervisor'],
          scope: 'region',
          created_at: e.clock.now(),
        })
        .execute();
      const cx = await ApiClient.login(e, 'assess_sup_cx');
      const r = expectStatus(await cx.get('/api/assessment/results?period=2025-03'), 200);
      const seen = r.groups.flatMap((g: any) => g.units.map((u: any) => u.unitId));
      expect(seen).toContain(unit('gov-cx'));
      expect(seen).not.toContain(unit('gov-md'));
      expect(
        (await cx.get(`/api/assessment/drilldown?period=2025-03&unitId=${unit('gov-md')}&indicator=satisfaction`))
          .status,
      ).toBe(404);
      const appeals = expectStatus(await cx.get('/api/assessment/appeals'), 200);
      expect(appeals.items.every((a: any) => a.unitId === unit('gov-cx'))).toBe(true);
      const mdAppeal = await e.db
        .selectFrom('assessment_appeals')
        .select('id')
        .where('unit_id', '=', unit('gov-md'))
        .executeTakeFirstOrThrow();
      expect(
        (await cx.post(`/api/assessment/appeals/${mdAppeal.id}/decision`, { decision: 'accept', note: '越权审核' }))
          .status,
      ).toBe(404);
    });

    it('bad input answers 400, never 500', async () => {
      for (const url of [
        '/api/assessment/results?period=2025-13',
        '/api/assessment/results?period=0000-01',
        '/api/assessment/results?period=%00',
        `/api/assessment/drilldown?period=2025-03&unitId=99999999999&indicator=satisfaction`,
        `/api/assessment/drilldown?period=2025-03&unitId=1&indicator=knowledge_timely`,
        `/api/assessment/drilldown?period=2025-03&unitId=1&indicator=satisfaction&after=2025-02-30_1`,
        `/api/assessment/drilldown?period=2025-03&unitId=1&indicator=satisfaction&after=2025-03-01_99999999999`,
        '/api/assessment/service-figures?from=2025-02-30&to=2025-03-01',
      ])
        expect((await c.supervisor.get(url)).status, url).toBe(400);
      expect(
        (
          await c.handlerMd.post('/api/assessment/appeals', {
            ticketId: 'x',
            indicator: 'satisfaction',
            reason: '理由理由理由',
          })
        ).status,
      ).toBe(400);
    });
  });

  describe('GB/T 33358-2016 服务指标', () => {
    it('calls answered within 15 s, connection rate, average wait and talk time, texts within 3 minutes', async () => {
      const e = env();
      const gw = await tokenFor(e, c.admin, 'gateway');
      const cti = (payload: Record<string, unknown>) =>
        e.app.inject({
          method: 'POST',
          url: '/api/channels/cti/events',
          headers: { authorization: `Bearer ${gw}` },
          payload,
        });
      const call = async (id: string, offered: string, answeredAfter: number | null, talk: number) => {
        e.clock.set(offered);
        const t0 = new Date(offered).getTime();
        expect(
          (await cti({ type: 'call.offered', callId: id, caller: '13905309999', callee: '12345', at: offered }))
            .statusCode,
        ).toBe(201);
        if (answeredAfter !== null)
          expect(
            (
              await cti({
                type: 'call.answered',
                callId: id,
                agentUsername: 'agent',
                at: new Date(t0 + answeredAfter * 1000).toISOString(),
              })
            ).statusCode,
          ).toBeLessThan(300);
        expect(
          (
            await cti({
              type: 'call.ended',
              callId: id,
              at: new Date(t0 + ((answeredAfter ?? 30) + talk) * 1000).toISOString(),
              durationSeconds: talk,
            })
          ).statusCode,
        ).toBeLessThan(300);
      };
      // 2025-05-06: four calls — answered after 5 s (talk 100), 10 s (talk 200), 40 s (talk 300), and one abandoned
      await call('gbt-1', '2025-05-06T09:00:00+08:00', 5, 100);
      await call('gbt-2', '2025-05-06T09:10:00+08:00', 10, 200);
      await call('gbt-3', '2025-05-06T09:20:00+08:00', 40, 300);
      await call('gbt-4', '2025-05-06T09:30:00+08:00', null, 0);
      e.clock.set('2025-05-07T09:00:00+08:00');
      await rollupServiceFigures(e.db, e.clock.now(), 400);
      const r = expectStatus(
        await c.supervisor.get('/api/assessment/service-figures?from=2025-05-06&to=2025-05-06'),
        200,
      );
      expect(r.total).toMatchObject({
        offered: 4,
        answered: 3,
        abandoned: 1,
        answered15s: 2,
        connectionRate: 75,
        answered15sRate: 50,
        averageWaitSeconds: 18.3, // (5 + 10 + 40) / 3
        averageTalkSeconds: 200, // (100 + 200 + 300) / 3
      });
      expect(r.days).toHaveLength(1);
      expect(r.targets.connectionRate).toBe(95);
      // a second pass gives the same rows
      await rollupServiceFigures(e.db, e.clock.now(), 400);
      const again = expectStatus(
        await c.supervisor.get('/api/assessment/service-figures?from=2025-05-06&to=2025-05-06'),
        200,
      );
      expect(again.total).toEqual(r.total);
      expect((await c.handlerMd.get('/api/assessment/service-figures?from=2025-05-06&to=2025-05-06')).status).toBe(403);
    });
  });
});

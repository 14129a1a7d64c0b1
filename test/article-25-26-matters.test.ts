import { beforeAll, describe, expect, it } from 'vitest';
import { seedDemoHistory } from '../src/server/demo/history.js';
import { seedDemoMatters } from '../src/server/demo/matters-demo.js';
import { ApiClient, expectStatus } from './helpers/api.js';
import { createTicket, eventKinds, loginAll, type Clients } from './helpers/factories.js';
import { describeEachDb, type TestEnv } from './helpers/test-env.js';

/** A GET with query parameters. */
const get = (who: ApiClient, url: string, params?: Record<string, string | number | undefined>) =>
  who.get(
    params
      ? `${url}?${new URLSearchParams(Object.entries(params).map(([k, v]): [string, string] => [k, String(v)])).toString()}`
      : url,
  );

// 第二十五条 (专题研究、会商研判、解决方案、政策措施) and 第二十六条 (市、县区、乡镇街道三级协同联动).
describeEachDb('第二十五、二十六条 专题治理', (env) => {
  let e: TestEnv;
  let c: Clients;
  let analyst: ApiClient;
  let supervisorCx: ApiClient;
  beforeAll(async () => {
    e = env();
    c = await loginAll(e);
    analyst = await ApiClient.login(e, 'analyst');
    // a county centre's supervisor (曹县): sees only 曹县's matters
    const sup = await e.db
      .selectFrom('users')
      .selectAll()
      .where('username', '=', 'supervisor')
      .executeTakeFirstOrThrow();
    await e.db
      .insertInto('users')
      .values({
        username: 'supervisor_cx',
        display_name: '曹县督办员',
        password_hash: sup.password_hash,
        unit_id: e.ids.units['centre-cx']!,
        roles: ['supervisor'],
        scope: 'region',
        created_at: e.clock.now(),
      })
      .execute();
    supervisorCx = await ApiClient.login(e, 'supervisor_cx');
  });

  /** A ticket of the long-running sewer matter of 丹阳社区 (the demo history's LONG_RUNNING). */
  const sewer = (n: number) =>
    createTicket(e, c.agent, {
      categoryId: e.ids.categories['HB-SW'],
      regionCode: '371702001002',
      address: '牡丹区东城街道丹阳社区',
      title: n % 2 ? '丹阳社区老旧小区污水管网堵塞返味' : '小区污水外溢问题反复出现',
      content:
        n % 2
          ? `丹阳社区老旧小区的污水管道又堵了，下水道返味，污水漫到楼道口，第${n}次反映。`
          : `丹阳社区的污水管网老化，一到雨天就外溢，希望彻底改造（${n}）。`,
    });
  const matterBody = (over: Record<string, unknown> = {}) => ({
    title: '丹阳社区老旧小区污水管网改造',
    description: '丹阳社区污水管网老化，反复堵塞外溢，群众反复反映。',
    categoryId: e.ids.categories['HB-SW'],
    regionCode: '371702001',
    leadUnitId: e.ids.units['gov-md'],
    keywords: '污水 管网',
    ...over,
  });

  describe('第二十五条 立项与关联工单', () => {
    it('第二十五条 proposes the similar tickets of the category and region, registers a matter and links them once', async () => {
      e.clock.set('2025-03-03T09:00:00+08:00');
      const tickets = [];
      for (let i = 1; i <= 4; i++) tickets.push(await sewer(i));
      const lamp = await createTicket(e, c.agent); // another category: never proposed
      const cx = await createTicket(e, c.agentCx, {
        categoryId: e.ids.categories['HB-SW'],
        regionCode: '371721001',
        address: '曹县倪集街道',
        title: '倪集街道污水外溢',
        content: '倪集街道污水管网外溢返味。',
      });

      const proposal = expectStatus(
        await get(c.supervisor, '/api/matters/candidates', { seedTicketId: tickets[0]!.id, months: 6 }),
        200,
      );
      const proposed = proposal.items.map((t: { id: number }) => t.id);
      expect(proposed[0]).toBe(tickets[0]!.id); // the seed first
      expect(proposed).toEqual(expect.arrayContaining(tickets.map((t) => t.id)));
      expect(proposed).not.toContain(lamp.id);
      expect(proposed).not.toContain(cx.id); // another county: outside the seed's town
      expect(proposal.regionCode).toBe('371702001'); // the seed's town, not its community

      // by category + region + keywords
      const byWords = expectStatus(
        await get(c.supervisor, '/api/matters/candidates', {
          categoryId: e.ids.categories['HB'],
          regionCode: '371702',
          keywords: '污水外溢',
        }),
        200,
      );
      expect(byWords.items.map((t: { id: number }) => t.id)).toEqual(expect.arrayContaining(tickets.map((t) => t.id)));

      const created = expectStatus(
        await c.supervisor.post('/api/matters', matterBody({ ticketIds: [tickets[0]!.id, tickets[1]!.id] })),
        201,
      );
      expect(created).toMatchObject({ status: 'registered', linked: 2 });
      const id = created.id as number;

      // linked tickets are no longer proposed; the ticket shows its matter, and its history the link
      const again = expectStatus(
        await get(c.supervisor, '/api/matters/candidates', { seedTicketId: tickets[2]!.id }),
        200,
      );
      expect(again.items.map((t: { id: number }) => t.id)).not.toContain(tickets[0]!.id);
      const tag = expectStatus(await get(c.agent, `/api/matters/by-ticket/${tickets[0]!.id}`), 200);
      expect(tag.matter).toMatchObject({ id, title: '丹阳社区老旧小区污水管网改造', status: 'registered' });
      expect(await eventKinds(c.agent, tickets[0]!.id)).toContain('matter_linked');
      expect(expectStatus(await get(c.agent, `/api/matters/by-ticket/${tickets[3]!.id}`), 200).matter).toBeNull();

      // batch link; a ticket already in an open matter is refused (409), also by a second matter
      expectStatus(
        await c.supervisor.post(`/api/matters/${id}/tickets`, { ticketIds: [tickets[2]!.id, tickets[3]!.id] }),
        200,
      );
      expect((await c.supervisor.post(`/api/matters/${id}/tickets`, { ticketIds: [tickets[2]!.id] })).status).toBe(409);
      const other = expectStatus(await c.supervisor.post('/api/matters', matterBody({ title: '另一专题' })), 201);
      expect(
        (await c.supervisor.post(`/api/matters/${other.id}/tickets`, { ticketIds: [tickets[0]!.id] })).status,
      ).toBe(409);
      // a ticket outside the centre's regions does not exist for it
      expect((await c.supervisor.post(`/api/matters/${id}/tickets`, { ticketIds: [999999] })).status).toBe(400);

      // unlink with a reason: the ticket is free again and its history says so
      expectStatus(
        await c.supervisor.post(`/api/matters/${id}/tickets/unlink`, {
          ticketIds: [tickets[3]!.id],
          reason: '非同一事项',
        }),
        200,
      );
      expect(expectStatus(await get(c.agent, `/api/matters/by-ticket/${tickets[3]!.id}`), 200).matter).toBeNull();
      expect(await eventKinds(c.agent, tickets[3]!.id)).toContain('matter_unlinked');
      expect(
        (await c.supervisor.post(`/api/matters/${id}/tickets/unlink`, { ticketIds: [tickets[3]!.id], reason: 'x' }))
          .status,
      ).toBe(400);

      const detail = expectStatus(await get(c.supervisor, `/api/matters/${id}`), 200);
      expect(detail.ticketCount).toBe(3);
      expect(detail.tickets).toHaveLength(3);
      expect(detail.events.map((x: { action: string }) => x.action)).toEqual(
        expect.arrayContaining(['created', 'tickets_linked', 'tickets_unlinked']),
      );
      const audit = await e.db
        .selectFrom('admin_audit')
        .select(['action'])
        .where('entity', '=', 'matter')
        .where('entity_id', '=', String(id))
        .execute();
      expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['create', 'link', 'unlink']));
    });

    it('第二十五条 status steps with a reason; wrong steps refused; archiving releases the tickets', async () => {
      const t = await sewer(11);
      const m = expectStatus(await c.supervisor.post('/api/matters', matterBody({ ticketIds: [t.id] })), 201);
      const step = (action: string) =>
        c.supervisor.post(`/api/matters/${m.id}/transition`, { action, reason: `说明：${action}` });
      expect((await step('resolve')).status).toBe(409);
      expect((await c.supervisor.post(`/api/matters/${m.id}/transition`, { action: 'study' })).status).toBe(400);
      expect(expectStatus(await step('study'), 200).status).toBe('studying');
      expectStatus(
        await c.supervisor.put(`/api/matters/${m.id}/plan`, { plan: '一、摸排管网；二、分段改造；三、建立长效管护' }),
        200,
      );
      expect(expectStatus(await step('advance'), 200).status).toBe('advancing');
      expect(expectStatus(await step('resolve'), 200).status).toBe('resolved');
      expect(expectStatus(await step('archive'), 200).status).toBe('archived');
      // read-only once archived; its ticket may join a new matter
      expect((await c.supervisor.put(`/api/matters/${m.id}/plan`, { plan: '改' })).status).toBe(409);
      expect((await step('study')).status).toBe(409);
      const next = expectStatus(await c.supervisor.post('/api/matters', matterBody({ ticketIds: [t.id] })), 201);
      expect(next.linked).toBe(1);
      expect(expectStatus(await get(c.agent, `/api/matters/by-ticket/${t.id}`), 200).matter.id).toBe(next.id);
    });

    it('第二十五条 a county centre sees and registers only its county’s matters; analysts read, do not write', async () => {
      const city = expectStatus(await c.supervisor.post('/api/matters', matterBody()), 201);
      expect((await get(supervisorCx, `/api/matters/${city.id}`)).status).toBe(404);
      expect((await supervisorCx.post('/api/matters', matterBody())).status).toBe(403);
      const cx = expectStatus(
        await supervisorCx.post(
          '/api/matters',
          matterBody({ title: '倪集街道污水', regionCode: '371721001', leadUnitId: e.ids.units['gov-cx'] }),
        ),
        201,
      );
      const cxList = expectStatus(await get(supervisorCx, '/api/matters'), 200) as Array<{ id: number }>;
      expect(cxList.map((m) => m.id)).toEqual([cx.id]);
      const cityList = expectStatus(await get(c.supervisor, '/api/matters', { limit: 500 }), 200) as Array<{
        id: number;
      }>;
      expect(cityList.map((m) => m.id)).toEqual(expect.arrayContaining([city.id, cx.id]));
      // filters and keyset
      const page = expectStatus(await get(c.supervisor, '/api/matters', { limit: 1 }), 200) as Array<{ id: number }>;
      const page2 = expectStatus(await get(c.supervisor, '/api/matters', { limit: 1, before: page[0]!.id }), 200);
      expect(page2[0].id).toBeLessThan(page[0]!.id);
      const byLead = expectStatus(
        await get(c.supervisor, '/api/matters', { leadUnitId: e.ids.units['gov-cx'] }),
        200,
      ) as Array<{ id: number }>;
      expect(byLead.map((m) => m.id)).toEqual([cx.id]);
      // a region filter takes the region's subtree (the city's code covers its counties)
      const byRegion = expectStatus(
        await get(c.supervisor, '/api/matters', { regionCode: '371700', limit: 500 }),
        200,
      ) as Array<{
        id: number;
      }>;
      expect(byRegion.map((m) => m.id)).toEqual(expect.arrayContaining([city.id, cx.id]));
      const byCounty = expectStatus(await get(c.supervisor, '/api/matters', { regionCode: '371721' }), 200) as Array<{
        id: number;
      }>;
      expect(byCounty.map((m) => m.id)).toEqual([cx.id]);

      expectStatus(await get(analyst, `/api/matters/${city.id}`), 200);
      expect((await analyst.post(`/api/matters/${city.id}/transition`, { action: 'study', reason: '研' })).status).toBe(
        403,
      );
      expect((await analyst.post('/api/matters', matterBody())).status).toBe(403);
      expect((await get(c.agent, '/api/matters')).status).toBe(403);
      expect((await get(c.agent, `/api/matters/${city.id}`)).status).toBe(404);
    });

    it('第二十五条 bad input is a 400, never a 500', async () => {
      for (const body of [
        matterBody({ title: 'a\u0000b' }),
        matterBody({ leadUnitId: 2 ** 40 }),
        matterBody({ regionCode: 371702 }),
        matterBody({ ticketIds: [[1]] }),
        matterBody({ leadUnitId: 999999 }),
        matterBody({ regionCode: '371702999' }),
      ])
        expect((await c.supervisor.post('/api/matters', body)).status).toBe(400);
      expect((await get(c.supervisor, '/api/matters/99999999999999999999')).status).toBe(400);
      expect((await get(c.supervisor, '/api/matters', { status: 'nope' })).status).toBe(400);
      expect((await get(c.supervisor, '/api/matters/candidates', {})).status).toBe(400);
      expect((await get(c.supervisor, '/api/matters/candidates', { categoryId: 999999 })).status).toBe(400);
      // a region outside the centre's: refused
      expect(
        (await get(supervisorCx, '/api/matters/candidates', { keywords: '污水', regionCode: '371702' })).status,
      ).toBe(403);
      expect((await get(c.supervisor, '/api/matters/candidates', { keywords: 'a\u0000' })).status).toBe(400);
    });
  });

  describe('第二十六条 三级协同联动', () => {
    it('第二十六条 coordinating units by tier, tasks for units, the unit reports its own task', async () => {
      e.clock.set('2025-04-01T09:00:00+08:00');
      const t = await sewer(21);
      const m = expectStatus(await c.supervisor.post('/api/matters', matterBody({ ticketIds: [t.id] })), 201);
      const id = m.id as number;
      expectStatus(
        await c.supervisor.post(`/api/matters/${id}/units`, {
          unitId: e.ids.units['zjj'],
          role: '管网改造资金与技术指导',
        }),
        201,
      );
      expectStatus(
        await c.supervisor.post(`/api/matters/${id}/units`, {
          unitId: e.ids.units['jd-dc'],
          role: '入户摸排、群众沟通',
        }),
        201,
      );
      expect(
        (await c.supervisor.post(`/api/matters/${id}/units`, { unitId: e.ids.units['zjj'], role: '重复' })).status,
      ).toBe(409);
      expect(
        (await c.supervisor.post(`/api/matters/${id}/units`, { unitId: e.ids.units['gov-md'], role: '牵头' })).status,
      ).toBe(400);

      const task = expectStatus(
        await c.supervisor.post(`/api/matters/${id}/tasks`, {
          title: '完成丹阳社区管网入户摸排',
          ownerUnitId: e.ids.units['jd-dc'],
          dueOn: '2025-04-10',
        }),
        201,
      );
      expectStatus(
        await c.supervisor.post(`/api/matters/${id}/tasks`, {
          title: '编制管网改造方案',
          ownerUnitId: e.ids.units['zjj'],
          dueOn: '2025-04-02',
        }),
        201,
      );
      expect(
        (
          await c.supervisor.post(`/api/matters/${id}/tasks`, {
            title: '过去',
            ownerUnitId: e.ids.units['zjj'],
            dueOn: '2025-03-01',
          })
        ).status,
      ).toBe(400);

      const detail = expectStatus(await get(c.supervisor, `/api/matters/${id}`), 200);
      expect(detail.units.map((u: { tier: string }) => u.tier).sort()).toEqual(['city', 'town']);
      expect(detail.leadUnitTier).toBe('county');
      expect(detail.progress).toEqual({ done: 0, total: 2, percent: 0 });

      // the town's handler sees the matter and its task; another unit does not
      const mine = expectStatus(await get(c.handlerDc, '/api/matters/tasks'), 200) as Array<{ id: number }>;
      expect(mine.map((x) => x.id)).toContain(task.id);
      expect(
        (expectStatus(await get(c.handlerDc, '/api/matters'), 200) as Array<{ id: number }>).map((x) => x.id),
      ).toContain(id);
      const asUnit = expectStatus(await get(c.handlerDc, `/api/matters/${id}`), 200);
      expect(asUnit.tickets).toEqual([]); // a unit sees the count, not tickets it does not handle
      expect(asUnit.allowedActions).toEqual([]);
      expect(JSON.stringify(asUnit.events)).not.toContain('HZ');
      expect((await get(c.handlerCg, `/api/matters/${id}`)).status).toBe(404);
      expect(
        (expectStatus(await get(c.handlerCg, '/api/matters'), 200) as Array<{ id: number }>).map((x) => x.id),
      ).not.toContain(id);
      expect((await get(c.supervisor, '/api/matters/tasks')).status).toBe(403);

      // the lead unit reads the matter but may not report the town's task; units never run the matter
      expectStatus(await get(c.handlerMd, `/api/matters/${id}`), 200);
      const url = `/api/matters/${id}/tasks/${task.id}/status`;
      expect((await c.handlerMd.post(url, { status: 'done', result: '完成' })).status).toBe(403);
      expect(
        (
          await c.handlerDc.post(`/api/matters/${id}/minutes`, {
            heldOn: '2025-04-01',
            unitIds: [1],
            summary: 's',
            decisions: 'd',
          })
        ).status,
      ).toBe(403);
      expect((await c.handlerDc.post(url, { status: 'done' })).status).toBe(400); // a result is needed
      expect(expectStatus(await c.handlerDc.post(url, { status: 'in_progress', version: 1 }), 200).status).toBe(
        'in_progress',
      );
      expect((await c.handlerDc.post(url, { status: 'open' })).status).toBe(409);
      expect((await c.handlerDc.post(url, { status: 'done', result: '已摸排 312 户', version: 1 })).status).toBe(409);
      expectStatus(await c.handlerDc.post(url, { status: 'done', result: '已摸排 312 户' }), 200);

      // overdue: the city bureau's task passed its day
      e.clock.set('2025-04-03T09:00:00+08:00');
      const later = expectStatus(await get(c.supervisor, `/api/matters/${id}`), 200);
      expect(later.progress).toEqual({ done: 1, total: 2, percent: 50 });
      const overdue = later.tasks.filter((x: { overdue: boolean }) => x.overdue).map((x: { title: string }) => x.title);
      expect(overdue).toEqual(['编制管网改造方案']);
      expect(later.tasks.find((x: { id: number }) => x.id === task.id).result).toBe('已摸排 312 户');

      // a unit no longer coordinating still sees the matter it owns a task of
      expectStatus(await c.supervisor.request('DELETE', `/api/matters/${id}/units/${e.ids.units['jd-dc']}`), 200);
      expectStatus(await get(c.handlerDc, `/api/matters/${id}`), 200);
    });

    it('第二十六条第二款 联合协调处置: a matter of a field (公益诉讼, 矛盾纠纷多元化解, 行政执法监督), filtered and shown with it; its partner coordinates', async () => {
      e.clock.set('2025-04-02T09:00:00+08:00');
      const t = await createTicket(e, c.agent, {
        categoryId: e.ids.categories['HB-SW'],
        regionCode: '371702001',
        title: '河道被企业直排污水，鱼虾死亡',
        content: '东城街道河道边有企业夜间直排污水，水体发黑，周边居民多次反映无果。',
      });
      const joint = expectStatus(
        await c.supervisor.post(
          '/api/matters',
          matterBody({
            title: '河道企业直排污水公益诉讼线索',
            leadUnitId: e.ids.units['sthjj'],
            jointField: 'public_interest_litigation',
            ticketIds: [t.id],
          }),
        ),
        201,
      );
      const plain = expectStatus(await c.supervisor.post('/api/matters', matterBody({ title: '普通专题' })), 201);
      const view = expectStatus(await get(c.supervisor, `/api/matters/${joint.id}`), 200);
      expect(view.jointField).toBe('public_interest_litigation');
      expect(expectStatus(await get(c.supervisor, `/api/matters/${plain.id}`), 200).jointField).toBeNull();
      // the register: one field, every field, or all matters
      const ids = async (q: Record<string, string>) =>
        (
          expectStatus(await get(c.supervisor, '/api/matters', q), 200) as Array<{ id: number; joint_field: string }>
        ).map((r) => r.id);
      expect(await ids({ jointField: 'public_interest_litigation' })).toEqual([joint.id]);
      expect(await ids({ jointField: 'dispute_resolution' })).not.toContain(joint.id);
      expect(await ids({ jointField: 'any' })).toContain(joint.id);
      expect(await ids({ jointField: 'any' })).not.toContain(plain.id);
      expect(await ids({})).toEqual(expect.arrayContaining([joint.id, plain.id]));
      // the procuratorate (a unit without tickets from the catalogue) joins as a coordinating unit
      expectStatus(
        await c.supervisor.post(`/api/matters/${joint.id}/units`, {
          unitId: e.ids.units['jcy'],
          role: '公益诉讼线索审查、诉前检察建议',
        }),
        201,
      );
      // the field is audited with the matter's creation
      const audit = await e.db
        .selectFrom('admin_audit')
        .select('after')
        .where('entity', '=', 'matter')
        .where('entity_id', '=', String(joint.id))
        .where('action', '=', 'create')
        .executeTakeFirstOrThrow();
      expect(audit.after).toMatchObject({ jointField: 'public_interest_litigation' });
      // bad fields: 400 with a Chinese message, nothing written
      const bad = await c.supervisor.post('/api/matters', matterBody({ jointField: 'litigation' }));
      expect(bad.status).toBe(400);
      expect(JSON.stringify(bad.body)).toContain('联合协调处置领域不正确');
      expect((await get(c.supervisor, '/api/matters', { jointField: 'nope' })).status).toBe(400);
      expect((await get(c.supervisor, '/api/matters', { jointField: 'any\u0000' })).status).toBe(400);
    });

    it('第二十九条 民主协商: the town leading a matter records its democratic consultation itself; others may not', async () => {
      e.clock.set('2025-04-03T09:00:00+08:00');
      const m = expectStatus(
        await c.supervisor.post(
          '/api/matters',
          matterBody({ title: '丹阳社区停车难', leadUnitId: e.ids.units['jd-dc'], categoryId: undefined }),
        ),
        201,
      );
      const id = m.id as number;
      const democratic = {
        kind: 'democratic',
        heldOn: '2025-04-02',
        unitIds: [e.ids.units['jd-dc']],
        participants: '丹阳社区居民委员会、业主代表 8 人、物业服务企业',
        summary: '居民议事会讨论小区停车位划线和收费。',
        decisions: '按户抽签分配车位，物业三日内划线，居委会公示一周。',
      };
      // the town's staff see the button and may record a 民主协商 — not a consultation of units
      const asTown = expectStatus(await get(c.handlerDc, `/api/matters/${id}`), 200);
      expect(asTown.canAddDemocraticMinute).toBe(true);
      expect(asTown.canWrite).toBe(false);
      expectStatus(await c.handlerDc.post(`/api/matters/${id}/minutes`, democratic), 201);
      expect(
        (await c.handlerDc.post(`/api/matters/${id}/minutes`, { ...democratic, kind: 'consultation' })).status,
      ).toBe(403);
      // a 民主协商 names who took part
      const none = await c.supervisor.post(`/api/matters/${id}/minutes`, { ...democratic, participants: undefined });
      expect(none.status).toBe(400);
      expect(JSON.stringify(none.body)).toContain('民主协商须写明参与的村（居）委会、企业或社会组织');
      expect((await c.supervisor.post(`/api/matters/${id}/minutes`, { ...democratic, kind: 'vote' })).status).toBe(400);
      // the supervisor records either kind; a town that does not lead the matter, or a county government, may not
      expectStatus(await c.supervisor.post(`/api/matters/${id}/minutes`, { ...democratic, heldOn: '2025-04-01' }), 201);
      const county = expectStatus(
        await c.supervisor.post('/api/matters', matterBody({ title: '区级专题', categoryId: undefined })),
        201,
      );
      expectStatus(
        await c.supervisor.post(`/api/matters/${county.id}/units`, { unitId: e.ids.units['jd-dc'], role: '入户摸排' }),
        201,
      );
      expect(expectStatus(await get(c.handlerDc, `/api/matters/${county.id}`), 200).canAddDemocraticMinute).toBe(false);
      expect((await c.handlerDc.post(`/api/matters/${county.id}/minutes`, democratic)).status).toBe(403);
      expect((await c.managerMd.post(`/api/matters/${county.id}/minutes`, democratic)).status).toBe(403);
      expect((await c.handlerCg.post(`/api/matters/${id}/minutes`, democratic)).status).toBe(404);

      const view = expectStatus(await get(c.supervisor, `/api/matters/${id}`), 200);
      expect(view.minutes).toEqual([
        expect.objectContaining({ kind: 'democratic', held_on: '2025-04-02', participants: democratic.participants }),
        expect.objectContaining({ kind: 'democratic', held_on: '2025-04-01' }),
      ]);
      const events = view.events.filter((x: { action: string }) => x.action === 'minute_added');
      expect(events[0].note).toContain('民主协商，参与：丹阳社区居民委员会');
      // each minute is one transaction with its event and the admin audit, the town's under its own name
      const audits = await e.db
        .selectFrom('admin_audit')
        .select(['user_id', 'after'])
        .where('entity', '=', 'matter')
        .where('entity_id', '=', String(id))
        .where('action', '=', 'minute_added')
        .execute();
      expect(audits.map((a) => a.user_id).sort()).toEqual(
        [e.ids.users['handler_dc'], e.ids.users['supervisor']].sort(),
      );
      // an archived matter takes no more minutes
      expectStatus(
        await c.supervisor.post(`/api/matters/${id}/transition`, { action: 'archive', reason: '已解决' }),
        200,
      );
      expect(expectStatus(await get(c.handlerDc, `/api/matters/${id}`), 200).canAddDemocraticMinute).toBe(false);
      expect((await c.handlerDc.post(`/api/matters/${id}/minutes`, democratic)).status).toBe(409);
    });

    it('第二十五条 第二十六条 consultation minutes, policy measures and the figures before and after', async () => {
      e.clock.set('2025-01-10T09:00:00+08:00');
      const jan = [await sewer(31), await sewer(32), await sewer(33)];
      e.clock.set('2025-02-10T09:00:00+08:00');
      const feb = [await sewer(34), await sewer(35)];
      e.clock.set('2025-04-10T09:00:00+08:00');
      const apr = [await sewer(36)];
      const m = expectStatus(
        await c.supervisor.post('/api/matters', matterBody({ ticketIds: [...jan, ...feb, ...apr].map((t) => t.id) })),
        201,
      );
      const id = m.id as number;
      expectStatus(
        await c.supervisor.post(`/api/matters/${id}/minutes`, {
          heldOn: '2025-04-08',
          unitIds: [e.ids.units['gov-md'], e.ids.units['zjj'], e.ids.units['jd-dc']],
          summary: '三级会商丹阳社区污水问题',
          decisions: '区政府牵头，住建局指导，街道摸排',
        }),
        201,
      );
      expect(
        (
          await c.supervisor.post(`/api/matters/${id}/minutes`, {
            heldOn: '2025-05-01',
            unitIds: [e.ids.units['zjj']],
            summary: 's',
            decisions: 'd',
          })
        ).status,
      ).toBe(400);
      expectStatus(
        await c.supervisor.post(`/api/matters/${id}/measures`, {
          title: '老旧小区雨污分流改造实施方案',
          content: '分段实施雨污分流改造',
          issuedBy: '牡丹区人民政府',
          effectiveOn: '2025-03-01',
        }),
        201,
      );
      const fig = expectStatus(await get(c.supervisor, `/api/matters/${id}/figures`), 200);
      expect(fig.months).toEqual([
        { month: '2025-01', tickets: 3 },
        { month: '2025-02', tickets: 2 },
        { month: '2025-03', tickets: 0 },
        { month: '2025-04', tickets: 1 },
      ]);
      expect(fig).toMatchObject({ firstMeasureMonth: '2025-03', before: 2.5, after: 0.5 });
      expect(fig.measures[0]).toMatchObject({ title: '老旧小区雨污分流改造实施方案', month: '2025-03' });
      const detail = expectStatus(await get(c.supervisor, `/api/matters/${id}`), 200);
      expect(detail.minutes[0].unitNames).toContain('菏泽市住房和城乡建设局');
      expect(detail.measures).toHaveLength(1);
      expect(c.auditor).toBeDefined();
      expectStatus(await get(c.auditor, `/api/matters/${id}/figures`), 200);
    });
  });
});

// 第二十五条 on the demo history: the long-running sewer matter of 丹阳社区 (history-templates.ts LONG_RUNNING) is what
// the proposal finds from one of its tickets, and the demo seed registers it as a matter.
describeEachDb(
  '第二十五条 专题 on the demo history',
  (env) => {
    let e: TestEnv;
    let supervisor: ApiClient;
    beforeAll(async () => {
      e = env();
      await seedDemoHistory(e.db, e.cipher, e.clock.now(), { tickets: 800, seed: 7 });
      supervisor = await ApiClient.login(e, 'supervisor');
    }, 120_000);

    it('第二十五条 the proposal from one ticket of the long-running matter finds the others', async () => {
      const sewer = await e.db
        .selectFrom('tickets')
        .select(['id'])
        .where('region_code', '=', '371702001002')
        .where('category_id', '=', e.ids.categories['HB-SW']!)
        .orderBy('id', 'desc')
        .execute();
      expect(sewer.length).toBeGreaterThan(10);
      const p = expectStatus(
        await get(supervisor, '/api/matters/candidates', { seedTicketId: sewer[0]!.id, months: 12, limit: 20 }),
        200,
      );
      const ids = new Set(sewer.map((t) => t.id));
      const hits = (p.items as Array<{ id: number }>).filter((t) => ids.has(t.id)).length;
      expect(hits).toBeGreaterThanOrEqual(Math.min(15, sewer.length));
    });

    it('第二十五条 the demo seed registers it with tasks, a consultation and a measure, once', async () => {
      const r = await seedDemoMatters(e.db, e.clock.now());
      expect(r.skipped).toBe(false);
      expect(r.linked).toBeGreaterThan(5);
      expect((await seedDemoMatters(e.db, e.clock.now())).skipped).toBe(true);
      const [row] = expectStatus(await get(supervisor, '/api/matters'), 200) as Array<{ id: number }>;
      const m = expectStatus(await get(supervisor, `/api/matters/${row!.id}`), 200);
      expect(m).toMatchObject({ status: 'advancing', ticketCount: r.linked });
      expect(m.tasks).toHaveLength(2);
      expect(m.minutes.map((x: { kind: string }) => x.kind)).toEqual(['consultation', 'democratic']);
      expect(m.measures).toHaveLength(1);
      const fig = expectStatus(await get(supervisor, `/api/matters/${row!.id}/figures`), 200);
      expect(fig.firstMeasureMonth).not.toBeNull();
      expect(fig.before).not.toBeNull();
      // the newest few are left for the proposal
      const p = expectStatus(
        await get(supervisor, '/api/matters/candidates', {
          categoryId: e.ids.categories['HB-SW'],
          regionCode: '371702001',
          keywords: '丹阳社区 污水',
        }),
        200,
      );
      expect(p.items.length).toBeGreaterThan(0);
      // 依据词语 are words of the text, not the character bigrams the search also uses
      expect(p.words).toEqual(expect.arrayContaining(['丹阳', '社区', '污水']));
      expect(p.words).not.toContain('阳社');
    });
  },
  { kinds: ['pglite'] },
);

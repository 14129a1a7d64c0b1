import { beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, expectStatus } from './helpers/api.js';
import { createTicket, loginAll, type Clients } from './helpers/factories.js';
import { describeEachDb } from './helpers/test-env.js';
import { rollupAnalytics } from '../src/server/jobs/analytics-rollup.js';

// 第二十九条 网格化管理, issue 12 (docs/grids.md): a town/street's manager keeps its own grids — creates, renames, places,
// retires them and assigns its grid workers — and the admin any town's; every change audited in its transaction;
// another town's grids are 404, other roles 403; bad input 400. The 网格视图 figures carry each grid's point and its
// open and overdue counts for the map.
const DC = '371702001'; // 东城街道
const XC = '371702002'; // 西城街道
const DC1 = '371702001101';
const XC1 = '371702002101';

interface TownGrids {
  town: { code: string; name: string };
  grids: Array<{
    code: string;
    name: string;
    lng: number | null;
    lat: number | null;
    retired: boolean;
    workers: Array<{ id: number; name: string }>;
  }>;
  candidates: Array<{ id: number; name: string }>;
}
interface Snapshot {
  code: string;
  name: string;
  centre: { lng: number; lat: number } | null;
  retired: boolean;
  workers: Array<{ id: number; name: string }>;
}

describeEachDb('第二十九条 网格管理', (env) => {
  let c: Clients;
  let managerDc: ApiClient;
  let handlerDc: ApiClient;
  let gridDc: ApiClient;
  let gridXc: ApiClient;
  let admin: ApiClient;
  const user = (name: string) => env().ids.users[name]!;
  const audits = (code: string) =>
    env()
      .db.selectFrom('admin_audit')
      .select(['action', 'user_id', 'before', 'after', 'request_id'])
      .where('entity', '=', 'grid')
      .where('entity_id', '=', code)
      .orderBy('id')
      .execute();

  beforeAll(async () => {
    c = await loginAll(env());
    const login = (u: string) => ApiClient.login(env(), u);
    [managerDc, handlerDc, gridDc, gridXc, admin] = await Promise.all([
      login('manager_dc'),
      login('handler_dc'),
      login('grid_dc'),
      login('grid_xc'),
      login('admin'),
    ]);
    env().clock.set('2025-03-04T09:00:00+08:00');
  });

  describe('第二十九条 scope: a town manages only its grids, the admin all', () => {
    it("the town's manager gets their own street, the admin every town, other roles 403", async () => {
      const own = expectStatus<{ towns: Array<{ code: string; name: string }> }>(
        await managerDc.get('/api/grid-admin/towns'),
        200,
      );
      expect(own.towns).toEqual([{ code: DC, name: '东城街道', path: '牡丹区 / 东城街道' }]);
      const all = expectStatus<{ towns: Array<{ code: string }> }>(await admin.get('/api/grid-admin/towns'), 200);
      expect(all.towns.map((t) => t.code)).toEqual(expect.arrayContaining([DC, XC, '371721001']));
      // a county's manager, the street's handler and grid worker, the centre's supervisor: not theirs to keep
      for (const who of [c.managerMd, handlerDc, gridDc, c.supervisor, c.agent])
        expectStatus(await who.get('/api/grid-admin/towns'), 403);
    });

    it("shows the street's grids with their points and workers, and only its own grid workers to assign", async () => {
      const t = expectStatus<TownGrids>(await managerDc.get(`/api/grid-admin/towns/${DC}`), 200);
      const dc1 = t.grids.find((g) => g.code === DC1)!;
      expect(dc1).toMatchObject({ name: '东城街道第一网格', retired: false, workers: [{ id: user('grid_dc') }] });
      // the seeded illustrative point, inside 牡丹区
      expect(dc1.lng).toBeCloseTo(115.56);
      expect(dc1.lat).toBeCloseTo(35.3);
      // the communities are level-4 cells too, without a point
      expect(t.grids.find((g) => g.code === '371702001001')).toMatchObject({ lng: null, lat: null });
      expect(t.candidates.map((u) => u.id)).toEqual([user('grid_dc')]);
      expect(JSON.stringify(t)).not.toContain('grid_dc'); // names, never login ids
    });

    it("another town's grids are 404 to a town's manager, reachable for the admin", async () => {
      expectStatus(await managerDc.get(`/api/grid-admin/towns/${XC}`), 404);
      expectStatus(await managerDc.post(`/api/grid-admin/towns/${XC}/grids`, { name: '西城街道第九网格' }), 404);
      expectStatus(await managerDc.request('PATCH', `/api/grid-admin/grids/${XC1}`, { name: '改名' }), 404);
      expectStatus(await managerDc.put(`/api/grid-admin/grids/${XC1}/workers`, { userIds: [] }), 404);
      expectStatus(await managerDc.get(`/api/grid-admin/grids/${XC1}/history`), 404);
      expectStatus(await c.managerMd.get(`/api/grid-admin/towns/${DC}`), 403);
      expectStatus(await admin.get(`/api/grid-admin/towns/${XC}`), 200);
      // nothing changed by the refused calls
      expect(await audits(XC1)).toEqual([]);
    });
  });

  describe('第二十九条 create, rename, place, assign, retire — each audited in its transaction', () => {
    let code: string;

    it('creates a grid under the street with the next free code and its point, audited', async () => {
      const made = expectStatus<Snapshot>(
        await managerDc.post(`/api/grid-admin/towns/${DC}/grids`, {
          name: '东城街道第五网格',
          centre: { lng: 115.52, lat: 35.248 },
        }),
        201,
      );
      code = made.code;
      expect(code).toBe('371702001105');
      const region = await env()
        .db.selectFrom('regions')
        .select(['level', 'parent_code', 'name'])
        .where('code', '=', code)
        .executeTakeFirstOrThrow();
      expect(region).toEqual({ level: 4, parent_code: DC, name: '东城街道第五网格' });
      const a = await audits(code);
      expect(a).toHaveLength(1);
      expect(a[0]).toMatchObject({
        action: 'create',
        user_id: user('manager_dc'),
        before: null,
        after: { code, name: '东城街道第五网格', centre: { lng: 115.52, lat: 35.248 }, retired: false },
      });
      expect(a[0]!.request_id).toBeTruthy();
      // the name is the street's only once
      expectStatus(await managerDc.post(`/api/grid-admin/towns/${DC}/grids`, { name: '东城街道第五网格' }), 409);
      expectStatus(await managerDc.post(`/api/grid-admin/towns/${DC}/grids`, { name: '东城街道和平社区' }), 409);
      // the admin creates in any town
      const xc = expectStatus<Snapshot>(
        await admin.post(`/api/grid-admin/towns/${XC}/grids`, { name: '西城街道第四网格' }),
        201,
      );
      expect(xc.code).toBe('371702002104');
    });

    it("assigns the street's grid worker, who then reports in it; refuses another street's or a non-worker", async () => {
      const after = expectStatus<Snapshot>(
        await managerDc.put(`/api/grid-admin/grids/${code}/workers`, { userIds: [user('grid_dc')] }),
        200,
      );
      expect(after.workers).toEqual([{ id: user('grid_dc'), name: '韩网格' }]);
      const mine = expectStatus<{ grids: Array<{ code: string }> }>(await gridDc.get('/api/grids/mine'), 200);
      expect(mine.grids.map((g) => g.code)).toContain(code);
      const refused = expectStatus<{ error: { message: string } }>(
        await managerDc.put(`/api/grid-admin/grids/${code}/workers`, { userIds: [user('grid_xc')] }),
        400,
      );
      expect(refused.error.message).toContain('本乡镇（街道）的网格员');
      expectStatus(
        await managerDc.put(`/api/grid-admin/grids/${code}/workers`, { userIds: [user('handler_dc')] }),
        400,
      );
      expectStatus(await managerDc.put(`/api/grid-admin/grids/${code}/workers`, { userIds: [2_000_000] }), 400);
      // the same set again changes nothing and writes no audit row
      expectStatus(await managerDc.put(`/api/grid-admin/grids/${code}/workers`, { userIds: [user('grid_dc')] }), 200);
      const a = await audits(code);
      expect(a.map((r) => r.action)).toEqual(['create', 'assign_workers']);
      expect(a[1]).toMatchObject({
        before: { workers: [] },
        after: { workers: [{ id: user('grid_dc'), name: '韩网格' }] },
      });
    });

    it('renames and moves it; retiring ends its assignments; a retired grid takes no worker; reinstating', async () => {
      const renamed = expectStatus<Snapshot>(
        await managerDc.request('PATCH', `/api/grid-admin/grids/${code}`, {
          name: '东城街道第五网格（新区）',
          centre: { lng: 115.525, lat: 35.25 },
        }),
        200,
      );
      expect(renamed).toMatchObject({ name: '东城街道第五网格（新区）', centre: { lng: 115.525, lat: 35.25 } });
      const retired = expectStatus<Snapshot>(
        await managerDc.request('PATCH', `/api/grid-admin/grids/${code}`, { retired: true }),
        200,
      );
      expect(retired).toMatchObject({ retired: true, workers: [] });
      const mine = expectStatus<{ grids: Array<{ code: string }> }>(await gridDc.get('/api/grids/mine'), 200);
      expect(mine.grids.map((g) => g.code)).not.toContain(code);
      expectStatus(await managerDc.put(`/api/grid-admin/grids/${code}/workers`, { userIds: [user('grid_dc')] }), 400);
      // a retired grid is still named (old tickets keep it) but takes no new ticket, by either path of POST /api/tickets
      const regions = expectStatus<Array<{ code: string; retired: boolean }>>(await c.agent.get('/api/regions'), 200);
      expect(regions.find((r) => r.code === code)).toMatchObject({ retired: true });
      expect(regions.find((r) => r.code === DC1)).toMatchObject({ retired: false });
      const base = {
        requestType: 'complaint',
        categoryId: env().ids.categories['CX-SZ'],
        urgency: 'normal',
        regionCode: code,
        title: '网格内路灯不亮',
        content: '小区门口路灯连续三天不亮。',
      };
      for (const body of [base, { ...base, content: '路灯三天不亮，再不修我们就去堵路。' }]) {
        const refused = await c.agent.post('/api/tickets', body);
        expect(refused.status).toBe(400);
        expect(refused.body).toMatchObject({ error: { message: '该网格已撤销，请选择所在街道或仍在使用的网格' } });
      }
      const back = expectStatus<Snapshot>(
        await managerDc.request('PATCH', `/api/grid-admin/grids/${code}`, { retired: false, centre: null }),
        200,
      );
      expect(back).toMatchObject({ retired: false, centre: null });
      const h = expectStatus<{ items: Array<{ action: string; by: string | null }> }>(
        await managerDc.get(`/api/grid-admin/grids/${code}/history`),
        200,
      );
      expect(h.items.map((i) => i.action)).toEqual(['reinstate', 'retire', 'update', 'assign_workers', 'create']);
      expect(h.items[0]!.by).toBe('许主任');
      const retire = (await audits(code)).find((r) => r.action === 'retire')!;
      expect(retire.before).toMatchObject({ workers: [{ id: user('grid_dc') }] });
      expect(retire.after).toMatchObject({ retired: true, workers: [] });
    });

    it('the grid worker of the other street keeps their grids untouched', async () => {
      const mine = expectStatus<{ grids: Array<{ code: string }> }>(await gridXc.get('/api/grids/mine'), 200);
      expect(mine.grids.map((g) => g.code)).toEqual(['371702002101', '371702002102', '371702002103']);
    });
  });

  describe('第二十九条 bad input is a 400', () => {
    it('refuses empty or broken names, points outside range or half a point, unknown fields and bad codes', async () => {
      const post = (body: unknown) => managerDc.post(`/api/grid-admin/towns/${DC}/grids`, body);
      const patch = (body: unknown, code = DC1) => managerDc.request('PATCH', `/api/grid-admin/grids/${code}`, body);
      const put = (body: unknown, code = DC1) => managerDc.put(`/api/grid-admin/grids/${code}/workers`, body);
      expectStatus(await post({ name: '' }), 400);
      expectStatus(await post({ name: '  ' }), 400);
      expectStatus(await post({ name: '网格\u0000一' }), 400);
      expectStatus(await post({ name: '网'.repeat(51) }), 400);
      expectStatus(await post({ name: '东城街道第六网格', centre: { lng: 200, lat: 35 } }), 400);
      expectStatus(await post({ name: '东城街道第六网格', centre: { lng: 115.5 } }), 400);
      expectStatus(await post({ name: '东城街道第六网格', centre: { lng: '115.5', lat: '35.2' } }), 400);
      expectStatus(await post({ name: '东城街道第六网格', code: '371702001199' }), 400);
      expectStatus(await patch({}), 400);
      expectStatus(await patch({ retired: 'yes' }), 400);
      expectStatus(await put({ userIds: [0] }), 400);
      expectStatus(await put({ userIds: [user('grid_dc'), user('grid_dc')] }), 400);
      expectStatus(await put({ userIds: [99_999_999_999] }), 400);
      expectStatus(await put({}), 400);
      expectStatus(await managerDc.get('/api/grid-admin/towns/3717020'), 400);
      expectStatus(await patch({ name: '改名' }, '37170200110'), 400);
      // a well-formed code of no grid: 404
      expectStatus(await patch({ name: '改名' }, '371702001999'), 404);
      // nothing was created by any of them
      const made = await env()
        .db.selectFrom('regions')
        .select('code')
        .where('name', '=', '东城街道第六网格')
        .executeTakeFirst();
      expect(made).toBeUndefined();
    });

    it('odd input on every 网格管理 route: NUL bytes, codes and ids past int4 and 2^63, wrong types, deep nesting — a 400 in Chinese', async () => {
      let deep: unknown = '东城街道第六网格';
      for (let i = 0; i < 200; i++) deep = { name: deep };
      const cases: Array<[string, string, unknown?]> = [
        ['GET', '/api/grid-admin/towns/371702%00001'],
        ['GET', `/api/grid-admin/towns/${'9'.repeat(30)}`],
        ['POST', `/api/grid-admin/towns/${DC}/grids`, deep],
        ['POST', `/api/grid-admin/towns/${DC}/grids`, { name: 12345 }],
        ['POST', `/api/grid-admin/towns/${DC}/grids`, ['东城街道第六网格']],
        ['PATCH', `/api/grid-admin/grids/${DC1}`, { name: '改名\u0000' }],
        ['PATCH', `/api/grid-admin/grids/${DC1}`, deep],
        ['PATCH', '/api/grid-admin/grids/3717020011%0001', { name: '改名' }],
        ['PUT', `/api/grid-admin/grids/${DC1}/workers`, { userIds: [2 ** 31] }],
        ['PUT', `/api/grid-admin/grids/${DC1}/workers`, { userIds: [2 ** 63] }],
        ['PUT', `/api/grid-admin/grids/${DC1}/workers`, { userIds: 'grid_dc' }],
        ['PUT', `/api/grid-admin/grids/${DC1}/workers`, { userIds: [{ id: 1 }] }],
        ['GET', `/api/grid-admin/grids/${'9'.repeat(25)}/history`],
      ];
      for (const [method, url, body] of cases) {
        const r = await managerDc.request(method as 'GET', url, body);
        expect(r.status, `${method} ${url}`).toBe(400);
        expect((r.body as { error: { message: string } }).error.message, `${method} ${url}`).toMatch(/[\u4e00-\u9fff]/);
      }
      // none of them changed the grid
      const dc1 = expectStatus<TownGrids>(await managerDc.get(`/api/grid-admin/towns/${DC}`), 200).grids.find(
        (g) => g.code === DC1,
      );
      expect(dc1).toMatchObject({ name: '东城街道第一网格', workers: [{ id: user('grid_dc') }] });
    });
  });

  describe('第二十九条 网格视图 map figures', () => {
    it('each grid carries its point and its open and overdue counts of the period', async () => {
      env().clock.set('2025-03-10T09:00:00+08:00');
      await createTicket(env(), c.agent, { regionCode: DC1 });
      await createTicket(env(), c.agent, { regionCode: DC1 });
      env().clock.set('2025-03-11T09:00:00+08:00');
      await rollupAnalytics(env().db, env().clock.now(), { lagMs: 0 });
      const f = expectStatus<{
        grids: Array<{
          code: string;
          count: number;
          open: number;
          overdue: number;
          centre: { lng: number; lat: number } | null;
          retired: boolean;
        }>;
      }>(await handlerDc.get(`/api/towns/${DC}/figures?from=2025-03-01&to=2025-03-31`), 200);
      const dc1 = f.grids.find((g) => g.code === DC1)!;
      expect(dc1).toMatchObject({ count: 2, open: 2, overdue: 0, retired: false });
      expect(dc1.centre).toEqual({ lng: 115.56, lat: 35.3 });
      expect(f.grids.find((g) => g.code === '371702001001')!.centre).toBeNull();
    });
  });
});

import { beforeAll, expect, it } from 'vitest';
import { expectStatus, type ApiResponse } from './helpers/api.js';
import { createTicket, loginAll, type Clients } from './helpers/factories.js';
import { describeEachDb, type TestEnv } from './helpers/test-env.js';

/** Signs in with any username/password through the real login route; returns a tiny cookie-carrying client. */
async function signIn(env: TestEnv, username: string, password: string) {
  const res = await env.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
  if (res.statusCode !== 200) return { status: res.statusCode, client: null };
  const set = res.headers['set-cookie'];
  const cookie = (Array.isArray(set) ? set[0]! : set!).split(';')[0]!;
  const request = async (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown): Promise<ApiResponse> => {
    const r = await env.app.inject({ method, url, payload: payload as never, headers: { cookie } });
    return { status: r.statusCode, body: r.body ? JSON.parse(r.body) : r.body };
  };
  return {
    status: 200,
    client: {
      get: (url: string) => request('GET', url),
      post: (url: string, p: unknown = {}) => request('POST', url, p),
    },
  };
}

const issueMessages = (body: any): string[] =>
  (body?.error?.details?.issues ?? []).map((i: any) => i.message as string);

describeEachDb('admin create/edit of users, units and categories', (env) => {
  let c: Clients;
  beforeAll(async () => {
    c = await loginAll(env());
  });

  it('creates a user who can sign in; edits, role changes and deactivation take effect; all audited', async () => {
    const e = env();
    const created = expectStatus(
      await c.admin.post('/api/users', {
        username: 'new_clerk',
        displayName: '冯新人',
        password: 'Welcome2025x',
        unitId: e.ids.units['centre'],
        roles: ['analyst'],
        scope: 'region',
      }),
      201,
    );
    expect(created).toMatchObject({
      username: 'new_clerk',
      display_name: '冯新人',
      roles: ['analyst'],
      scope: 'region',
      active: true,
    });
    expect(created).not.toHaveProperty('password_hash');

    const s = await signIn(e, 'new_clerk', 'Welcome2025x');
    expect(s.status).toBe(200);
    const me = s.client!;
    expect((await me.get('/api/users')).status).toBe(403); // analysts may not list users

    // role change: the same session gets the new role on its next request
    expectStatus(
      await c.admin.request('PATCH', `/api/users/${created.id}`, { roles: ['auditor'], displayName: '冯审计' }),
      200,
    );
    expect((await me.get('/api/users')).status).toBe(200);
    expect(expectStatus(await me.get('/api/auth/me'), 200)).toMatchObject({
      displayName: '冯审计',
      roles: ['auditor'],
    });

    // password reset: the old password stops working, the new one works
    expect((await c.admin.post(`/api/users/${created.id}/password`, { password: 'short1' })).status).toBe(400);
    expectStatus(await c.admin.post(`/api/users/${created.id}/password`, { password: 'Another2025y' }), 200);
    expect((await signIn(e, 'new_clerk', 'Welcome2025x')).status).toBe(401);
    const s2 = await signIn(e, 'new_clerk', 'Another2025y');
    expect(s2.status).toBe(200);

    // deactivation ends every session and refuses new sign-ins
    expectStatus(await c.admin.request('PATCH', `/api/users/${created.id}`, { active: false }), 200);
    expect((await s2.client!.get('/api/auth/me')).status).toBe(401);
    expect((await signIn(e, 'new_clerk', 'Another2025y')).status).toBe(401);
    expect(
      await e.db.selectFrom('sessions').select('token_hash').where('user_id', '=', created.id).execute(),
    ).toHaveLength(0);

    const audit = await e.db
      .selectFrom('admin_audit')
      .selectAll()
      .where('entity', '=', 'user')
      .where('entity_id', '=', String(created.id))
      .orderBy('id')
      .execute();
    // the new user's own sign-ins are audited alongside what the admin did to the account
    expect(audit.map((a) => a.action)).toContain('login');
    const adminActions = audit.filter((a) => a.action !== 'login' && a.action !== 'login_failed');
    expect(adminActions.map((a) => a.action)).toEqual(['create', 'update', 'reset_password', 'deactivate']);
    expect(JSON.stringify(audit)).not.toMatch(/password_hash|\$argon2/);
    expect(adminActions[1]!.before).toMatchObject({ roles: ['analyst'] });
    expect(adminActions[1]!.after).toMatchObject({ roles: ['auditor'] });
  });

  it('refuses non-admins, duplicates, bad input (in Chinese), unknown ids and self-lockout', async () => {
    const e = env();
    const body = {
      username: 'dup_user',
      displayName: '重复',
      password: 'Welcome2025x',
      unitId: e.ids.units['centre'],
      roles: ['agent'],
      scope: 'region',
    };
    expect((await c.agent.post('/api/users', body)).status).toBe(403);
    expect(
      (
        await c.auditor.post('/api/units', {
          code: 'x-unit',
          name: 'X',
          kind: 'other',
          tier: 'city',
          is24x7: false,
          regionCodes: [],
        })
      ).status,
    ).toBe(403);
    expect((await c.supervisor.post('/api/categories', { code: 'X-Y', name: 'X' })).status).toBe(403);
    expectStatus(await c.admin.post('/api/users', body), 201);
    const dup = await c.admin.post('/api/users', { ...body, displayName: '又一个' });
    expect(dup.status).toBe(409);
    expect(dup.body.error.message).toContain('已被占用');
    expect((await c.admin.post('/api/users', { ...body, username: 'admin' })).status).toBe(409);

    const bad = await c.admin.post('/api/users', {
      username: 'Bad Name',
      displayName: '',
      password: 'onlyletters',
      unitId: e.ids.units['centre'],
      roles: [],
      scope: 'region',
    });
    expect(bad.status).toBe(400);
    const msgs = issueMessages(bad.body);
    expect(msgs).toEqual(
      expect.arrayContaining([
        '用户名只能包含小写字母、数字和下划线',
        '请填写姓名',
        '密码须包含大写字母、小写字母、数字、符号中的至少三类',
        '请至少选择一个角色',
      ]),
    );
    for (const m of msgs) expect(m).toMatch(/[\u4e00-\u9fa5]/);
    const missing = await c.admin.post('/api/users', {});
    expect(missing.status).toBe(400);
    expect(issueMessages(missing.body)).toEqual(expect.arrayContaining(['请填写用户名', '请填写密码']));
    expect((await c.admin.post('/api/users', { ...body, username: 'role_x', roles: ['wizard'] })).status).toBe(400);
    expect((await c.admin.post('/api/users', { ...body, username: 'unit_x', unitId: 999999 })).status).toBe(400);

    expect((await c.admin.request('PATCH', '/api/users/999999', { active: false })).status).toBe(404);
    expect((await c.admin.post('/api/users/999999/password', { password: 'Welcome2025x' })).status).toBe(404);
    expect((await c.admin.request('PATCH', '/api/units/999999', { name: '无' })).status).toBe(404);
    expect((await c.admin.request('PATCH', '/api/categories/999999', { name: '无' })).status).toBe(404);

    const admin = expectStatus(await c.admin.get('/api/auth/me'), 200);
    const self1 = await c.admin.request('PATCH', `/api/users/${admin.userId}`, { active: false });
    expect(self1.status).toBe(409);
    expect(self1.body.error.message).toBe('不能停用自己的账号');
    expect((await c.admin.request('PATCH', `/api/users/${admin.userId}`, { roles: ['auditor'] })).status).toBe(409);
    expect((await c.admin.request('PATCH', `/api/users/${admin.userId}`, { roles: ['admin', 'auditor'] })).status).toBe(
      200,
    );
    expectStatus(await c.admin.request('PATCH', `/api/users/${admin.userId}`, { roles: ['admin'] }), 200);
  });

  it('creates a 24×7 unit with regions that tickets can be dispatched to; edits regions and refuses cycles', async () => {
    const e = env();
    const badRegion = await c.admin.post('/api/units', {
      code: 'water-dm',
      name: '东明县供水公司',
      kind: 'utility',
      tier: 'county',
      is24x7: true,
      regionCodes: ['371728', '999999'],
    });
    expect(badRegion.status).toBe(400);
    expect(badRegion.body.error.message).toContain('999999');
    const unit = expectStatus(
      await c.admin.post('/api/units', {
        code: 'water-md',
        name: '牡丹区供水公司',
        kind: 'utility',
        tier: 'county',
        parentId: e.ids.units['water'],
        is24x7: true,
        regionCodes: ['371702', '371702001'],
      }),
      201,
    );
    expect(unit).toMatchObject({
      code: 'water-md',
      is_24x7: true,
      active: true,
      parent_id: e.ids.units['water'],
      region_codes: ['371702', '371702001'],
    });
    expect(
      (
        await c.admin.post('/api/units', {
          code: 'water-md',
          name: '重复',
          kind: 'utility',
          tier: 'county',
          is24x7: false,
          regionCodes: [],
        })
      ).status,
    ).toBe(409);

    const listed = expectStatus(await c.agent.get('/api/units'), 200).find((u: any) => u.id === unit.id);
    expect(listed.region_codes.sort()).toEqual(['371702', '371702001']);

    const t = await createTicket(e, c.agent);
    const d = expectStatus(
      await c.dispatcher.post(`/api/tickets/${t.id}/dispatch`, { leadUnitId: unit.id, assistUnitIds: [] }),
      200,
    );
    expect(d.leadUnitId).toBe(unit.id);

    // a handler created in the new unit sees the ticket
    expectStatus(
      await c.admin.post('/api/users', {
        username: 'water_md_1',
        displayName: '褚承办',
        password: 'Water2025ab',
        unitId: unit.id,
        roles: ['handler'],
        scope: 'unit',
      }),
      201,
    );
    const h = (await signIn(e, 'water_md_1', 'Water2025ab')).client!;
    expect((await h.get(`/api/tickets/${t.id}`)).status).toBe(200);

    const edited = expectStatus(
      await c.admin.request('PATCH', `/api/units/${unit.id}`, {
        name: '牡丹区供水有限公司',
        regionCodes: ['371702003'],
        is24x7: false,
      }),
      200,
    );
    expect(edited).toMatchObject({ name: '牡丹区供水有限公司', is_24x7: false, region_codes: ['371702003'] });
    expect((await c.admin.request('PATCH', `/api/units/${unit.id}`, { regionCodes: ['123'] })).status).toBe(400);
    // water is water-md's parent: making water-md water's parent (or its own) would be a cycle
    expect((await c.admin.request('PATCH', `/api/units/${e.ids.units['water']}`, { parentId: unit.id })).status).toBe(
      400,
    );
    expect((await c.admin.request('PATCH', `/api/units/${unit.id}`, { parentId: unit.id })).status).toBe(400);
    expect((await c.admin.request('PATCH', `/api/units/${unit.id}`, {})).status).toBe(400);

    const audit = await e.db
      .selectFrom('admin_audit')
      .selectAll()
      .where('entity', '=', 'unit')
      .where('entity_id', '=', String(unit.id))
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['create', 'update']);
    expect((audit[1]!.before as any).region_codes).toEqual(['371702', '371702001']);
    expect((audit[1]!.after as any).region_codes).toEqual(['371702003']);
  });

  it('adds a sub-category under a parent, renames and deactivates it', async () => {
    const e = env();
    const all = expectStatus(await c.agent.get('/api/categories'), 200) as any[];
    const leaf = all.find((x) => x.id === e.ids.categories['CX-SZ']);
    const parent = all.find((x) => x.id === leaf.parent_id);
    const child = expectStatus(
      await c.admin.post('/api/categories', { code: 'CX-LD', name: '路灯', parentId: parent.id }),
      201,
    );
    expect(child).toMatchObject({ parent_id: parent.id, level: parent.level + 1, active: true });
    expect((await c.admin.post('/api/categories', { code: 'CX-LD', name: '路灯2', parentId: parent.id })).status).toBe(
      409,
    );
    expect((await c.admin.post('/api/categories', { code: 'CX-ZZ', name: '无', parentId: 999999 })).status).toBe(400);
    const bad = await c.admin.post('/api/categories', { code: '路灯', name: '' });
    expect(bad.status).toBe(400);
    expect(issueMessages(bad.body)).toEqual(expect.arrayContaining(['请填写分类名称']));

    expect(
      expectStatus(await c.agent.get('/api/categories'), 200).some((x: any) => x.id === child.id && x.name === '路灯'),
    ).toBe(true);
    expectStatus(await c.admin.request('PATCH', `/api/categories/${child.id}`, { name: '路灯照明' }), 200);
    expect(expectStatus(await c.agent.get('/api/categories'), 200).find((x: any) => x.id === child.id).name).toBe(
      '路灯照明',
    );
    expectStatus(await c.admin.request('PATCH', `/api/categories/${child.id}`, { active: false }), 200);
    expect(expectStatus(await c.agent.get('/api/categories'), 200).some((x: any) => x.id === child.id)).toBe(false);

    const audit = await e.db
      .selectFrom('admin_audit')
      .selectAll()
      .where('entity', '=', 'category')
      .where('entity_id', '=', String(child.id))
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['create', 'update', 'deactivate']);
    expect(audit.every((a) => a.user_id !== null)).toBe(true);
  });
});

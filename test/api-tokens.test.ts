import { expect, it } from 'vitest';
import { describeEachDb } from './helpers/test-env.js';
import { ApiClient, expectStatus } from './helpers/api.js';

// 第三十条 and 等保 身份鉴别 (issue 14: admins issue gateway and partner tokens in the UI): a token is issued only
// for a machine account and every issue is in the admin audit; a person cannot be given a token that would skip
// their password and second factor.
describeEachDb('第三十条 接入令牌：只为机器账号签发，并记入操作审计', (env) => {
  it('issues for a gateway or partner account with an audit row, refuses people and unknown accounts', async () => {
    const e = env();
    const admin = await ApiClient.login(e, 'admin');
    const issued = expectStatus<{ token: string; id: number }>(
      await admin.post('/api/auth/tokens', { userId: e.ids.users.gateway, name: '短信网关（测试）' }),
      201,
    );
    const works = await e.app.inject({
      method: 'GET',
      url: '/api/channels/cti/agents',
      headers: { authorization: `Bearer ${issued.token}` },
    });
    expect(works.statusCode).toBe(200);
    const audit = await e.db
      .selectFrom('admin_audit')
      .select(['entity', 'entity_id', 'action', 'after'])
      .where('entity', '=', 'api_token')
      .where('entity_id', '=', String(issued.id))
      .executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ action: 'issue', after: { userId: e.ids.users.gateway, name: '短信网关（测试）' } });
    expect(JSON.stringify(audit)).not.toContain(issued.token);

    for (const person of ['agent', 'admin', 'handler_md']) {
      const res = await admin.post('/api/auth/tokens', { userId: e.ids.users[person], name: 'x' });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain('只能为渠道网关或对接系统账号签发令牌');
    }
    expect((await admin.post('/api/auth/tokens', { userId: 999999, name: 'x' })).status).toBe(404);
    const count = await e.db
      .selectFrom('api_tokens')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('user_id', 'in', [e.ids.users.agent!, e.ids.users.admin!, e.ids.users.handler_md!])
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(0);
  });
});

import { beforeAll, expect, it } from 'vitest';
import { expectStatus } from './helpers/api.js';
import { createTicket, loginAll, PHONE, type Clients } from './helpers/factories.js';
import { describeEachDb } from './helpers/test-env.js';

// 第九条: a requester calling about progress is found by ticket number or by the phone they call from; staff
// find a matter by its words. Personal data stays masked and a look-up by phone is audited (第六条).
describeEachDb('第九条 工单查询：工单号、来电号码、关键词', (env) => {
  let c: Clients;
  let lamp: { id: number; number: string };
  let noise: { id: number; number: string };
  let county: { id: number; number: string };
  const search = (client: Clients[keyof Clients], q: string, limit?: number) =>
    client.post('/api/tickets/search', { q, limit });

  beforeAll(async () => {
    const e = env();
    c = await loginAll(e);
    lamp = await createTicket(e, c.agent); // 和平路路灯, requester PHONE
    noise = await createTicket(e, c.agent, {
      categoryId: e.ids.categories['CX-SZ'],
      title: '广场舞音响声音太大',
      content: '每天晚上八点以后和平路广场跳舞音响声音很大，影响休息。',
      requester: { name: '王先生', phone: '13905309999' },
    });
    county = await createTicket(e, c.agent, {
      regionCode: '371721001',
      title: '曹县路灯不亮',
      content: '曹县倪集街道路灯不亮已经三天。',
      requester: { name: '赵女士', phone: PHONE },
    });
  });

  it('finds a ticket by its number, typed the way a citizen reads it out', async () => {
    const r = expectStatus(await search(c.agent, ` ${lamp.number.toLowerCase()} `), 200);
    expect(r.kind).toBe('number');
    expect(r.items.map((t: any) => t.id)).toEqual([lamp.id]);
    expect(r.items[0]).toMatchObject({
      number: lamp.number,
      title: '和平路路灯连续一周不亮',
      excerpt: expect.stringContaining('路灯'),
    });
    expect(r.items[0]).not.toHaveProperty('content');
    expect(r.items[0].address).not.toContain('东50米'); // masked like every list
  });

  it("finds a caller's tickets by the number they call from, newest first, and audits the look-up", async () => {
    const e = env();
    const before = await e.db.selectFrom('pii_access_log').select('id').execute();
    const r = expectStatus(await search(c.agent, '139 0530 1234'), 200);
    expect(r.kind).toBe('phone');
    expect(r.items.map((t: any) => t.id)).toEqual([county.id, lamp.id]);
    const log = await e.db
      .selectFrom('pii_access_log')
      .selectAll()
      .where('id', 'not in', before.length ? before.map((x) => x.id) : [0])
      .execute();
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ user_id: e.ids.users['agent'], fields: ['phone'], purpose: '按来电号码查询工单' });
    expect(log[0]!.requester_id).not.toBeNull();
    // a number nobody has called from finds nothing, and is audited too
    expect(expectStatus(await search(c.agent, '13700000000'), 200).items).toEqual([]);
    expect(await e.db.selectFrom('pii_access_log').select('id').execute()).toHaveLength(before.length + 2);
  });

  it('finds a matter by its words: every word must be there', async () => {
    const both = expectStatus(await search(c.agent, '和平路'), 200);
    expect(both.kind).toBe('text');
    expect(both.items.map((t: any) => t.id)).toEqual([noise.id, lamp.id]);
    expect(expectStatus(await search(c.agent, '和平路 路灯'), 200).items.map((t: any) => t.id)).toEqual([lamp.id]);
    expect(expectStatus(await search(c.agent, '路灯不亮'), 200).items.map((t: any) => t.id)).toEqual([
      county.id,
      lamp.id,
    ]);
    expect(expectStatus(await search(c.agent, '音响 路灯'), 200).items).toEqual([]);
  });

  it("stays within the centre's regions", async () => {
    const cx = expectStatus(await search(c.agentCx, '路灯不亮'), 200);
    expect(cx.items.map((t: any) => t.id)).toEqual([county.id]);
    expect(expectStatus(await search(c.agentCx, lamp.number), 200).items).toEqual([]);
  });

  it('pages by limit and says when there is more', async () => {
    const r = expectStatus(await search(c.agent, '路灯', 1), 200);
    expect(r.items).toHaveLength(1);
    expect(r.more).toBe(true);
  });

  it('is for centre staff, and refuses empty or meaningless input with a clear error', async () => {
    expect((await search(c.handlerMd, lamp.number)).status).toBe(403);
    const empty = await search(c.agent, '   ');
    expect(empty.status).toBe(400);
    const dots = await search(c.agent, '，。');
    expect(dots.status).toBe(400);
    expect(dots.body.error).toMatchObject({
      code: 'bad_request',
      message: '请输入工单号、留言编号、来电号码或至少两个字的关键词',
    });
    expect((await search(c.agent, 'x'.repeat(101))).status).toBe(400);
    expect((await c.agent.post('/api/tickets/search', { q: '路灯', limit: 500 })).status).toBe(400);
  });
});

import { expect, it } from 'vitest';
import { describeEachDb } from './helpers/test-env.js';
import { expectStatus } from './helpers/api.js';
import { createTicket, loginAll } from './helpers/factories.js';

// Issue 14, the agents' day (第十二、十三条): the address a caller gave is kept with the contact and reaches the
// ticket without anyone revealing and retyping it; duplicates are found from the words alone; a message is
// answered in the words of a message.

describeEachDb('第十二条 受理台：地址随来电进入工单、仅凭内容提示重复诉求、留言的规范用语', (env) => {
  it('an address taken down during a call is kept (masked, encrypted) and carried into the ticket when left blank', async () => {
    const e = env();
    const { agent } = await loginAll(e);
    const rec = expectStatus<{ id: number }>(
      await agent.post('/api/contacts', {
        channel: 'phone',
        content: '中华路菜市场门口下水道堵塞，污水漫到路面上。',
        address: '牡丹区中华路菜市场北门',
        // a client cannot write encrypted fields or a clear address into meta
        meta: { addressEnc: 'forged', address: '明文地址', callee: '12345' },
      }),
      201,
    );
    const row = await e.db.selectFrom('contacts').select('meta').where('id', '=', rec.id).executeTakeFirstOrThrow();
    const meta = row.meta as Record<string, string>;
    expect(meta.address).not.toContain('菜市场北门');
    expect(meta.address).toMatch(/^牡丹区/);
    expect(meta.callee).toBe('12345');
    expect(e.cipher.decrypt(meta.addressEnc!)).toBe('牡丹区中华路菜市场北门');
    // reopened later: what the agent sees is the masked address, and the server keeps the real one
    const inbox = expectStatus<{ items: Array<{ id: number; meta: Record<string, unknown> }> }>(
      await agent.get('/api/contacts?limit=200'),
      200,
    );
    const seen = inbox.items.find((c) => c.id === rec.id)!;
    expect(seen.meta).toEqual({ address: meta.address, callee: '12345' });

    const d = expectStatus<{ ticketId: number }>(
      await agent.post(`/api/contacts/${rec.id}/disposition`, {
        disposition: 'dispatched',
        requestType: 'complaint',
        categoryId: e.ids.categories['CX-SZ'],
        regionCode: '371702001',
        title: '中华路下水道堵塞',
      }),
      200,
    );
    const t = await e.db
      .selectFrom('tickets')
      .select('address_enc')
      .where('id', '=', d.ticketId)
      .executeTakeFirstOrThrow();
    expect(e.cipher.decrypt(t.address_enc)).toBe('牡丹区中华路菜市场北门');

    // an address typed in the ticket form wins
    const other = expectStatus<{ id: number }>(
      await agent.post('/api/contacts', { channel: 'phone', content: '路灯不亮。', address: '旧地址' }),
      201,
    );
    const d2 = expectStatus<{ ticketId: number }>(
      await agent.post(`/api/contacts/${other.id}/disposition`, {
        disposition: 'dispatched',
        requestType: 'complaint',
        categoryId: e.ids.categories['CX-SZ'],
        regionCode: '371702001',
        title: '路灯不亮',
        address: '牡丹区和平路12号',
      }),
      200,
    );
    const t2 = await e.db
      .selectFrom('tickets')
      .select('address_enc')
      .where('id', '=', d2.ticketId)
      .executeTakeFirstOrThrow();
    expect(e.cipher.decrypt(t2.address_enc)).toBe('牡丹区和平路12号');
  });

  it('第十三条第三项: a similar open ticket is suggested from the words alone, before category and region', async () => {
    const e = env();
    const c = await loginAll(e);
    const t = await createTicket(e, c.agent, {
      title: '青年路小区供暖不热',
      content: '青年路小区3号楼暖气一直不热，室温只有十二度，老人孩子受不了，请供热公司尽快处理。',
      requester: { name: '王强', phone: '13905306666' },
    });
    const rec = expectStatus<{ id: number }>(
      await c.agent.post('/api/contacts', {
        channel: 'phone',
        content: '青年路小区暖气不热，室温很低，请供热公司处理。',
      }),
      201,
    );
    const dups = expectStatus<Array<{ id: number; reasons: string[] }>>(
      await c.agent.get(`/api/contacts/${rec.id}/duplicates`),
      200,
    );
    expect(dups.map((d) => d.id)).toContain(t.id);
    expect(dups.find((d) => d.id === t.id)!.reasons.join()).toContain('内容相似度');
  });

  it('a portal message answered directly is thanked for writing and, with a mobile number, answered by SMS', async () => {
    const e = env();
    const { agent } = await loginAll(e);
    const rec = expectStatus<{ id: number }>(
      await agent.post('/api/contacts', {
        channel: 'web',
        content: '请问居住证在哪里办理？',
        requester: { name: '孙丽', phone: '13905307777' },
      }),
      201,
    );
    const d = expectStatus<{ replyText: string; channel: string }>(
      await agent.post(`/api/contacts/${rec.id}/disposition`, {
        disposition: 'answered',
        answer: '请到户籍所在地派出所办理。',
      }),
      200,
    );
    expect(d.channel).toBe('web');
    expect(d.replyText).toBe('您好，关于您咨询的问题，答复如下：请到户籍所在地派出所办理。感谢您的留言。');
    const sms = await e.db
      .selectFrom('outbound_messages')
      .select(['channel', 'body', 'to_enc'])
      .where('contact_id', '=', rec.id)
      .execute();
    expect(sms).toHaveLength(1);
    expect(sms[0]!.channel).toBe('sms');
    expect(sms[0]!.body).toBe(`【菏泽12345】${d.replyText}`);
    expect(e.cipher.decrypt(sms[0]!.to_enc)).toBe('13905307777');
  });
});

import { beforeAll, expect, it } from 'vitest';
import { expectStatus } from './helpers/api.js';
import { loginAll, type Clients } from './helpers/factories.js';
import { describeEachDb } from './helpers/test-env.js';

describeEachDb('第十一、三十四条 滥用热线', (env) => {
  let c: Clients;
  beforeAll(async () => {
    c = await loginAll(env());
  });

  let n = 0;
  const record = async (content: string, phone: string) =>
    expectStatus(await c.agent.post('/api/contacts', { channel: 'phone', externalId: `abuse-${++n}-${Date.now()}`, requester: { phone }, content }), 201) as { id: number; requesterId: number; emergency: any };

  it('repeated contacts without new content raise one flag; an admin warns and the warning is recorded and sent', async () => {
    const e = env();
    e.clock.set('2025-06-02T09:00:00+08:00');
    const phone = '13911110000';
    let last!: { id: number; requesterId: number };
    for (let i = 0; i < 5; i++) {
      last = await record('我要求你们马上把隔壁楼拆了', phone);
      e.clock.advanceHours(1);
    }
    const flags = await e.db.selectFrom('requester_flags').selectAll().where('requester_id', '=', last.requesterId).execute();
    expect(flags).toHaveLength(1); // raised once, not on every call
    expect(flags[0]).toMatchObject({ kind: 'repeated_contacts', source: 'automatic', status: 'open' });
    // a different matter from the same caller raises nothing new
    await record('咨询一下公积金提取流程', phone);
    expect(await e.db.selectFrom('requester_flags').select('id').where('requester_id', '=', last.requesterId).execute()).toHaveLength(1);

    const pop = expectStatus(await c.agent.get(`/api/contacts/${last.id}/screen-pop`), 200);
    expect(pop.flags[0].kind).toBe('repeated_contacts');
    expect(pop.history.contacts.length).toBeGreaterThanOrEqual(4);

    expect((await c.agent.post(`/api/requester-flags/${flags[0]!.id}/review`, { decision: 'warn' })).status).toBe(403);
    const open = expectStatus(await c.admin.get('/api/requester-flags'), 200);
    expect(open.map((f: any) => f.id)).toContain(flags[0]!.id);
    const reviewed = expectStatus(await c.admin.post(`/api/requester-flags/${flags[0]!.id}/review`, { decision: 'warn', note: '多次无新情况反复来电' }), 200);
    expect(reviewed.status).toBe('warned');
    expect(reviewed.warning_text).toContain('第三十四条');
    const sms = await e.db.selectFrom('outbound_messages').selectAll().where('purpose', '=', 'abuse_warning').execute();
    expect(sms.map((m) => e.cipher.decrypt(m.to_enc))).toContain(phone);
  });

  it('an agent records harassment of staff', async () => {
    const k = await record('（来电人辱骂话务员）', '13922220000');
    const f = expectStatus(await c.agent.post(`/api/requesters/${k.requesterId}/flags`, { kind: 'harassment', detail: '来电辱骂、威胁话务员', contactId: k.id }), 201);
    expect(f).toMatchObject({ kind: 'harassment', source: 'agent', status: 'open' });
    expect((await c.handlerMd.post(`/api/requesters/${k.requesterId}/flags`, { kind: 'harassment', detail: 'x' })).status).toBe(403);
  });

  it('a flagged and warned caller’s emergency is suggested and transferred exactly as anyone’s', async () => {
    const e = env();
    const phone = '13933330000';
    for (let i = 0; i < 4; i++) await record('反复要求退还物业费', phone);
    const flag = await e.db.selectFrom('requester_flags').selectAll().innerJoin('requesters', 'requesters.id', 'requester_flags.requester_id')
      .where('requesters.phone_hash', '=', e.cipher.phoneHash(phone)).select('requester_flags.id as fid').executeTakeFirstOrThrow();
    expectStatus(await c.admin.post(`/api/requester-flags/${flag.fid}/review`, { decision: 'warn' }), 200);

    const emergency = await record('楼道里有人晕倒了，快不行了', phone);
    expect(emergency.emergency).toMatchObject({ line: '120' });
    const r = expectStatus(await c.agent.post(`/api/contacts/${emergency.id}/disposition`, { disposition: 'transferred', hotline: '120' }), 200);
    expect(r.replyText).toContain('120');
  });
});

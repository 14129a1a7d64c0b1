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
    expectStatus(
      await c.agent.post('/api/contacts', {
        channel: 'phone',
        externalId: `abuse-${++n}-${Date.now()}`,
        requester: { phone },
        content,
      }),
      201,
    ) as { id: number; requesterId: number; emergency: any };

  it('repeated contacts without new content raise one flag; an admin warns and the warning is recorded and sent', async () => {
    const e = env();
    e.clock.set('2025-06-02T09:00:00+08:00');
    const phone = '13911110000';
    let last!: { id: number; requesterId: number };
    for (let i = 0; i < 5; i++) {
      last = await record('我要求你们马上把隔壁楼拆了', phone);
      e.clock.advanceHours(1);
    }
    const flags = await e.db
      .selectFrom('requester_flags')
      .selectAll()
      .where('requester_id', '=', last.requesterId)
      .execute();
    expect(flags).toHaveLength(1); // raised once, not on every call
    expect(flags[0]).toMatchObject({ kind: 'repeated_contacts', source: 'automatic', status: 'open' });
    // a different matter from the same caller raises nothing new
    await record('咨询一下公积金提取流程', phone);
    expect(
      await e.db.selectFrom('requester_flags').select('id').where('requester_id', '=', last.requesterId).execute(),
    ).toHaveLength(1);

    const pop = expectStatus(await c.agent.get(`/api/contacts/${last.id}/screen-pop`), 200);
    expect(pop.flags[0].kind).toBe('repeated_contacts');
    expect(pop.history.contacts.length).toBeGreaterThanOrEqual(4);

    expect((await c.agent.post(`/api/requester-flags/${flags[0]!.id}/review`, { decision: 'warn' })).status).toBe(403);
    const open = expectStatus(await c.admin.get('/api/requester-flags'), 200);
    expect(open.items.map((f: any) => f.id)).toContain(flags[0]!.id);
    const reviewed = expectStatus(
      await c.admin.post(`/api/requester-flags/${flags[0]!.id}/review`, {
        decision: 'warn',
        note: '多次无新情况反复来电',
      }),
      200,
    );
    expect(reviewed.status).toBe('warned');
    expect(reviewed.warning_text).toContain('第三十四条');
    const sms = await e.db.selectFrom('outbound_messages').selectAll().where('purpose', '=', 'abuse_warning').execute();
    expect(sms.map((m) => e.cipher.decrypt(m.to_enc))).toContain(phone);
  });

  it('an admin reviews a flag with the requester masked, the contact that set it off and the contacts around it', async () => {
    const e = env();
    e.clock.set('2025-07-07T09:00:00+08:00');
    const phone = '13955550000';
    const before = await record('咨询社保卡补办需要什么材料', phone);
    e.clock.advanceHours(30);
    const k = await record('（来电人辱骂话务员，称要到单位堵门）', phone);
    e.clock.advanceHours(1);
    const flag = expectStatus(
      await c.agent.post(`/api/requesters/${k.requesterId}/flags`, {
        kind: 'harassment',
        detail: '辱骂并威胁话务员',
        contactId: k.id,
      }),
      201,
    );

    // the list: who (masked), what set it off, by whom; never the clear number
    const list = expectStatus(await c.admin.get('/api/requester-flags?status=open&limit=200'), 200);
    const row = list.items.find((f: any) => f.id === flag.id);
    expect(row).toMatchObject({
      kind: 'harassment',
      source: 'agent',
      status: 'open',
      raisedBy: expect.any(String),
      review: null,
      requester: { id: k.requesterId, label: '139****0000', masked: true, warnedBefore: 0, flagsTotal: 1 },
      contact: { id: k.id, channel: 'phone', excerpt: '（来电人辱骂话务员，称要到单位堵门）', callSeconds: null },
    });
    expect(JSON.stringify(list)).not.toContain(phone);

    // the detail: the requester's contacts of the 7 days before (and the day after), the flagged one marked
    const detail = expectStatus(await c.admin.get(`/api/requester-flags/${flag.id}`), 200);
    expect(detail.evidence.map((x: any) => [x.id, x.isFlagged])).toEqual([
      [k.id, true],
      [before.id, false],
    ]);
    expect(JSON.stringify(detail)).not.toContain(phone);
    expect((await c.agent.get(`/api/requester-flags/${flag.id}`)).status).toBe(403);
    expect((await c.handlerMd.get('/api/requester-flags')).status).toBe(403);
    expectStatus(await c.admin.get('/api/requester-flags/99999999'), 404);
    expectStatus(await c.admin.get('/api/requester-flags?status=closed'), 400);

    // reviewed flags move to their own list, newest first, with who reviewed and why; a later flag of the
    // same requester shows the warning on record
    expectStatus(
      await c.admin.post(`/api/requester-flags/${flag.id}/review`, { decision: 'warn', note: '录音核实' }),
      200,
    );
    expect(
      expectStatus(await c.admin.get('/api/requester-flags?limit=200'), 200).items.map((f: any) => f.id),
    ).not.toContain(flag.id);
    const warned = expectStatus(await c.admin.get('/api/requester-flags?status=warned&limit=200'), 200);
    expect(warned.items[0]).toMatchObject({
      id: flag.id,
      status: 'warned',
      review: { by: expect.any(String), note: '录音核实' },
    });
    const again = expectStatus(
      await c.agent.post(`/api/requesters/${k.requesterId}/flags`, { kind: 'harassment', detail: '再次辱骂' }),
      201,
    );
    const open2 = expectStatus(await c.admin.get(`/api/requester-flags/${again.id}`), 200);
    expect(open2.requester).toMatchObject({ warnedBefore: 1, flagsTotal: 2 });
    expect(open2.contact).toBeNull();
  });

  it('the review lists page by keyset without gaps or repeats', async () => {
    const k = await record('（来电人无故长时间不挂机）', '13966660000');
    const ids: number[] = [];
    for (let i = 0; i < 5; i++)
      ids.push(
        expectStatus(
          await c.agent.post(`/api/requesters/${k.requesterId}/flags`, {
            kind: 'long_occupation',
            detail: `第 ${i + 1} 次`,
          }),
          201,
        ).id,
      );
    for (const id of ids.slice(0, 3))
      expectStatus(await c.admin.post(`/api/requester-flags/${id}/review`, { decision: 'dismiss' }), 200);
    const walk = async (status: string, cursorName: string) => {
      const seen: number[] = [];
      let cursor: number | null = null;
      do {
        const page: { items: Array<{ id: number }>; next: number | null } = expectStatus(
          await c.admin.get(`/api/requester-flags?status=${status}&limit=2${cursor ? `&${cursorName}=${cursor}` : ''}`),
          200,
        );
        expect(page.items.length).toBeLessThanOrEqual(2);
        seen.push(...page.items.map((f) => f.id));
        cursor = page.next;
      } while (cursor);
      return seen;
    };
    const open = await walk('open', 'after');
    expect(open).toEqual([...open].sort((a, b) => a - b)); // oldest first
    expect(open).toEqual(expect.arrayContaining(ids.slice(3)));
    const dismissed = await walk('dismissed', 'before');
    expect(dismissed).toEqual([...dismissed].sort((a, b) => b - a)); // newest first
    expect(dismissed.slice(0, 3)).toEqual(ids.slice(0, 3).reverse());
    expect(new Set([...open, ...dismissed]).size).toBe(open.length + dismissed.length);
  });

  it('an agent records harassment of staff', async () => {
    const k = await record('（来电人辱骂话务员）', '13922220000');
    const f = expectStatus(
      await c.agent.post(`/api/requesters/${k.requesterId}/flags`, {
        kind: 'harassment',
        detail: '来电辱骂、威胁话务员',
        contactId: k.id,
      }),
      201,
    );
    expect(f).toMatchObject({ kind: 'harassment', source: 'agent', status: 'open' });
    expect(
      (await c.handlerMd.post(`/api/requesters/${k.requesterId}/flags`, { kind: 'harassment', detail: 'x' })).status,
    ).toBe(403);
  });

  it('a flagged and warned caller’s emergency is suggested and transferred exactly as anyone’s', async () => {
    const e = env();
    const phone = '13933330000';
    for (let i = 0; i < 4; i++) await record('反复要求退还物业费', phone);
    const flag = await e.db
      .selectFrom('requester_flags')
      .selectAll()
      .innerJoin('requesters', 'requesters.id', 'requester_flags.requester_id')
      .where('requesters.phone_hash', '=', e.cipher.phoneHash(phone))
      .select('requester_flags.id as fid')
      .executeTakeFirstOrThrow();
    expectStatus(await c.admin.post(`/api/requester-flags/${flag.fid}/review`, { decision: 'warn' }), 200);

    const emergency = await record('楼道里有人晕倒了，快不行了', phone);
    expect(emergency.emergency).toMatchObject({ line: '120' });
    const r = expectStatus(
      await c.agent.post(`/api/contacts/${emergency.id}/disposition`, { disposition: 'transferred', hotline: '120' }),
      200,
    );
    expect(r.replyText).toContain('120');
  });
});

import { beforeAll, expect, it } from 'vitest';
import { ApiClient, expectStatus } from './helpers/api.js';
import { dispatchedTicket, eventKinds, loginAll, type Clients } from './helpers/factories.js';
import { describeEachDb, type TestEnv } from './helpers/test-env.js';
import { hashPassword } from '../src/server/modules/auth/auth.service.js';
import { DEMO_PASSWORD } from '../src/server/seed/heze-organisation.js';

// 二级派单 (issue 14): 牡丹区人民政府, the lead unit of an accepted ticket, passes it to 东城街道 and stays the lead.
// Monday 2025-03-03: the reply deadline is Monday 03-10 (5 working days), the default sub-deadline a working day
// before it (Friday 03-07), the sub-unit's return window 2 working days (Wednesday 03-05).
const eod = (date: string) => new Date(`${date}T23:59:59.999+08:00`).toISOString();

/** A ticket of 东城街道's area that 牡丹区人民政府 has accepted, at Monday 09:00. */
async function acceptedByMd(e: TestEnv, c: Clients) {
  e.clock.set('2025-03-03T09:00:00+08:00');
  const id = await dispatchedTicket(e, c, 'gov-md');
  expectStatus(await c.handlerMd.post(`/api/tickets/${id}/accept`, {}), 200);
  return id;
}

async function passDown(e: TestEnv, c: Clients, id: number, unit = 'jd-dc', over: Record<string, unknown> = {}) {
  return expectStatus(
    await c.handlerMd.post(`/api/tickets/${id}/sub-dispatches`, {
      unitId: e.ids.units[unit],
      instructions: '请东城街道核实现场并组织维修',
      ...over,
    }),
    201,
  );
}

describeEachDb('第十四条 二级派单：主办单位转派下级单位，首接负责不变', (env) => {
  let c: Clients;
  let handlerXc: ApiClient;
  beforeAll(async () => {
    const e = env();
    c = await loginAll(e);
    // a handler of 西城街道, another town of 牡丹区
    await e.db
      .insertInto('users')
      .values({
        username: 'handler_xc_test',
        display_name: '西城承办',
        password_hash: await hashPassword(DEMO_PASSWORD),
        unit_id: e.ids.units['jd-xc']!,
        roles: ['handler'],
        scope: 'unit',
        created_at: e.clock.now(),
      })
      .execute();
    handlerXc = await ApiClient.login(e, 'handler_xc_test');
  });

  it('第十四条 the district government passes an accepted ticket to 东城街道, which signs for it; 牡丹区 stays the lead', async () => {
    const e = env();
    const id = await acceptedByMd(e, c);
    const opts = expectStatus(await c.handlerMd.get(`/api/tickets/${id}/sub-dispatch-options`), 200);
    expect(opts.subUnits.map((u: { name: string }) => u.name)).toEqual(
      expect.arrayContaining(['牡丹区东城街道办事处', '牡丹区西城街道办事处', '牡丹区南城街道办事处']),
    );
    expect(opts.parentDueAt).toBe(eod('2025-03-10'));
    expect(opts.defaultDueAt).toBe(eod('2025-03-07'));

    const s = await passDown(e, c, id);
    expect(s).toMatchObject({
      status: 'pending',
      unitName: '牡丹区东城街道办事处',
      parentUnitName: '牡丹区人民政府',
      dueAt: eod('2025-03-07'),
      acceptDueAt: eod('2025-03-04'),
      returnUntil: eod('2025-03-05'),
      overdue: false,
    });
    // the sub-unit reads the ticket, personal data masked as for any unit, and finds it in its queue
    const seen = expectStatus(await c.handlerDc.get(`/api/tickets/${id}`), 200);
    expect(JSON.stringify(seen.requester)).not.toContain('13905301234');
    const received = expectStatus(await c.handlerDc.get('/api/sub-dispatches?view=received'), 200);
    expect(received.items.map((i: { id: number }) => i.id)).toContain(s.id);
    expect(received.items.find((i: { id: number }) => i.id === s.id).dueAt).toBe(eod('2025-03-07'));

    e.clock.set('2025-03-03T15:00:00+08:00');
    expectStatus(await c.handlerDc.post(`/api/sub-dispatches/${s.id}/accept`, {}), 200);
    const sent = expectStatus(await c.handlerMd.get('/api/sub-dispatches?view=sent'), 200);
    expect(sent.items.find((i: { id: number }) => i.id === s.id)).toMatchObject({ status: 'accepted', overdue: false });

    // 第十四条 首接负责: the ticket is still 牡丹区's, its deadlines are 牡丹区's, the centre sees the chain
    const v = expectStatus(await c.dispatcher.get(`/api/tickets/${id}`), 200);
    expect(v.leadUnitId).toBe(e.ids.units['gov-md']);
    expect(v.status).toBe('in_progress');
    expect(v.deadlines.every((d: { unitId: number }) => d.unitId === e.ids.units['gov-md'])).toBe(true);
    expect(v.events.map((x: { kind: string }) => x.kind)).toEqual(
      expect.arrayContaining(['sub_dispatched', 'sub_accepted']),
    );
    const chain = expectStatus(await c.dispatcher.get(`/api/tickets/${id}/sub-dispatches`), 200);
    expect(chain.items).toHaveLength(1);
    expect(chain.items[0]).toMatchObject({ unitName: '牡丹区东城街道办事处', status: 'accepted' });
    // the sub-unit acts only as the sub-unit: it cannot reply to the centre for the lead unit
    expect((await c.handlerDc.post(`/api/tickets/${id}/reply`, { result: '已修复', solved: true })).status).toBe(403);
  });

  it('第十四条 the sub-unit returns it to the lead unit (not the centre) within the return window', async () => {
    const e = env();
    const id = await acceptedByMd(e, c);
    const s = await passDown(e, c, id);
    expectStatus(await c.handlerDc.post(`/api/sub-dispatches/${s.id}/accept`, {}), 200);
    e.clock.set('2025-03-05T16:00:00+08:00');
    const r = expectStatus(
      await c.handlerDc.post(`/api/sub-dispatches/${s.id}/return`, { reason: '该路段属西城街道辖区' }),
      200,
    );
    expect(r.status).toBe('returned');
    // back with 牡丹区, not with the centre: no application, the ticket still in progress with its lead
    const v = expectStatus(await c.handlerMd.get(`/api/tickets/${id}`), 200);
    expect(v.status).toBe('in_progress');
    expect(v.applications).toEqual([]);
    const ev = v.events.find((x: { kind: string }) => x.kind === 'sub_returned');
    expect(ev.reason).toBe('该路段属西城街道辖区');
    expect((await c.handlerDc.get(`/api/tickets/${id}`)).status).toBe(404);
    // and 牡丹区 passes it to the right town
    const again = await passDown(e, c, id, 'jd-xc');
    expect(again.unitName).toBe('牡丹区西城街道办事处');
    expectStatus(await handlerXc.get(`/api/tickets/${id}`), 200);
  });

  it('第十四条 after the return window the sub-unit may not return it (409)', async () => {
    const e = env();
    const id = await acceptedByMd(e, c);
    const s = await passDown(e, c, id);
    expectStatus(await c.handlerDc.post(`/api/sub-dispatches/${s.id}/accept`, {}), 200);
    e.clock.set('2025-03-06T09:00:00+08:00');
    const r = await c.handlerDc.post(`/api/sub-dispatches/${s.id}/return`, { reason: '不属于本街道' });
    expect(r.status).toBe(409);
    expect(r.body.error.message).toContain('已超过退回期限');
    const chain = expectStatus(await c.handlerMd.get(`/api/tickets/${id}/sub-dispatches`), 200);
    expect(chain.items[0].status).toBe('accepted');
  });

  it('第十四条 other towns, other units and other counties do not see it (404); the centre sees, but does not act', async () => {
    const e = env();
    const id = await acceptedByMd(e, c);
    const s = await passDown(e, c, id);
    for (const who of [handlerXc, c.handlerCg, c.handlerCx]) {
      expect((await who.get(`/api/tickets/${id}`)).status).toBe(404);
      expect((await who.get(`/api/tickets/${id}/sub-dispatches`)).status).toBe(404);
      expect((await who.post(`/api/sub-dispatches/${s.id}/accept`, {})).status).toBe(404);
      const q = expectStatus(await who.get('/api/sub-dispatches?view=received'), 200);
      expect(q.items.map((i: { id: number }) => i.id)).not.toContain(s.id);
    }
    expect((await c.dispatcher.post(`/api/sub-dispatches/${s.id}/accept`, {})).status).toBe(403);
    // the lead unit's own steps are not the sub-unit's, nor the other way round
    expect((await c.handlerMd.post(`/api/sub-dispatches/${s.id}/accept`, {})).status).toBe(403);
    expect((await c.handlerDc.post(`/api/sub-dispatches/${s.id}/recall`, { reason: '误派' })).status).toBe(403);
  });

  it('第十四条 the lead unit recalls a sub-dispatch before the sub-unit signs for it, not after', async () => {
    const e = env();
    const id = await acceptedByMd(e, c);
    const s = await passDown(e, c, id);
    const r = expectStatus(
      await c.handlerMd.post(`/api/sub-dispatches/${s.id}/recall`, { reason: '改由本单位直接办理' }),
      200,
    );
    expect(r.status).toBe('recalled');
    expect((await c.handlerDc.get(`/api/tickets/${id}`)).status).toBe(404);
    expect(await eventKinds(c.handlerMd, id)).toContain('sub_dispatch_recalled');
    const s2 = await passDown(e, c, id);
    expectStatus(await c.handlerDc.post(`/api/sub-dispatches/${s2.id}/accept`, {}), 200);
    const late = await c.handlerMd.post(`/api/sub-dispatches/${s2.id}/recall`, { reason: '改由本单位直接办理' });
    expect(late.status).toBe(409);
    expect(late.body.error.message).toContain('已签收');
    // one live sub-dispatch at a time
    expect(
      (
        await c.handlerMd.post(`/api/tickets/${id}/sub-dispatches`, {
          unitId: e.ids.units['jd-nc'],
          instructions: '请南城街道办理',
        })
      ).status,
    ).toBe(409);
  });

  it('第十五条 a sub-deadline after the lead unit’s own deadline is refused (400); only own sub-units; only accepted tickets', async () => {
    const e = env();
    const id = await acceptedByMd(e, c);
    const after = await c.handlerMd.post(`/api/tickets/${id}/sub-dispatches`, {
      unitId: e.ids.units['jd-dc'],
      instructions: '请核实',
      dueAt: '2025-03-11T12:00:00+08:00',
    });
    expect(after.status).toBe(400);
    expect(after.body.error.message).toContain('不得晚于本单位的办理时限');
    const past = await c.handlerMd.post(`/api/tickets/${id}/sub-dispatches`, {
      unitId: e.ids.units['jd-dc'],
      instructions: '请核实',
      dueAt: '2025-03-03T08:00:00+08:00',
    });
    expect(past.status).toBe(400);
    const notMine = await c.handlerMd.post(`/api/tickets/${id}/sub-dispatches`, {
      unitId: e.ids.units['jd-nj'],
      instructions: '请核实',
    });
    expect(notMine.status).toBe(400);
    expect(notMine.body.error.message).toContain('下级单位');
    // the lead unit's own deadline is allowed exactly
    const s = await passDown(e, c, id, 'jd-dc', { dueAt: eod('2025-03-10') });
    expect(s.dueAt).toBe(eod('2025-03-10'));
    // a ticket the unit has not accepted cannot be passed down
    const other = await dispatchedTicket(e, c, 'gov-md');
    expect(
      (
        await c.handlerMd.post(`/api/tickets/${other}/sub-dispatches`, {
          unitId: e.ids.units['jd-dc'],
          instructions: '请核实',
        })
      ).status,
    ).toBe(409);
  });

  it('第十四、十五条 the sub-unit replies up; the lead unit reviews, then answers the centre as before', async () => {
    const e = env();
    const id = await acceptedByMd(e, c);
    const s = await passDown(e, c, id);
    expectStatus(await c.handlerDc.post(`/api/sub-dispatches/${s.id}/accept`, {}), 200);
    expectStatus(
      await c.handlerMd.post(`/api/tickets/${id}/contacts`, { method: 'phone', reached: true, note: '已联系诉求人' }),
      200,
    );
    e.clock.set('2025-03-05T10:00:00+08:00');
    expectStatus(
      await c.handlerDc.post(`/api/sub-dispatches/${s.id}/reply`, { result: '已更换灯具', solved: true }),
      200,
    );
    // while its review is pending the lead unit does not answer the centre
    const early = await c.handlerMd.post(`/api/tickets/${id}/reply`, { result: '已修复', solved: true });
    expect(early.status).toBe(409);
    expect(early.body.error.message).toContain('审核');
    // sent back once, then adopted
    expectStatus(
      await c.handlerMd.post(`/api/sub-dispatches/${s.id}/review`, { decision: 'return', note: '请附现场照片说明' }),
      200,
    );
    expectStatus(
      await c.handlerDc.post(`/api/sub-dispatches/${s.id}/reply`, {
        result: '已更换灯具，现场已恢复照明',
        solved: true,
      }),
      200,
    );
    expectStatus(await c.handlerMd.post(`/api/sub-dispatches/${s.id}/review`, { decision: 'approve' }), 200);
    const t = expectStatus(
      await c.handlerMd.post(`/api/tickets/${id}/reply`, {
        result: '经东城街道核实，已更换灯具，恢复照明',
        solved: true,
      }),
      200,
    );
    expect(t.status).toBe('replied');
    const chain = expectStatus(await c.dispatcher.get(`/api/tickets/${id}/sub-dispatches`), 200);
    expect(chain.items[0]).toMatchObject({
      status: 'approved',
      lateReply: false,
      result: '已更换灯具，现场已恢复照明',
    });
    expect(await eventKinds(c.dispatcher, id)).toEqual(
      expect.arrayContaining(['sub_replied', 'sub_reply_returned', 'sub_reply_approved', 'replied']),
    );
  });

  it('第十四条 a sub-unit past its sub-deadline is overdue for the lead unit; the centre’s deadlines stay the lead unit’s', async () => {
    const e = env();
    const id = await acceptedByMd(e, c);
    const s = await passDown(e, c, id);
    expectStatus(await c.handlerDc.post(`/api/sub-dispatches/${s.id}/accept`, {}), 200);
    e.clock.set('2025-03-08T10:00:00+08:00');
    const sent = expectStatus(await c.handlerMd.get('/api/sub-dispatches?view=sent'), 200);
    expect(sent.items.find((i: { id: number }) => i.id === s.id).overdue).toBe(true);
    expectStatus(await c.handlerDc.post(`/api/sub-dispatches/${s.id}/reply`, { result: '已修复', solved: true }), 200);
    const chain = expectStatus(await c.handlerMd.get(`/api/tickets/${id}/sub-dispatches`), 200);
    expect(chain.items[0]).toMatchObject({ lateReply: true, overdue: true });
    const v = expectStatus(await c.dispatcher.get(`/api/tickets/${id}`), 200);
    expect(v.deadlines.filter((d: { unitId: number }) => d.unitId === e.ids.units['jd-dc'])).toEqual([]);
  });

  it('第十四条 when the centre takes the ticket from the lead unit, the sub-unit loses it too', async () => {
    const e = env();
    const id = await acceptedByMd(e, c);
    await passDown(e, c, id);
    const app = expectStatus(
      await c.handlerMd.post(`/api/tickets/${id}/return-applications`, {
        reason: '不属于本单位职责',
        materials: [{ name: '职责依据', description: '三定方案' }],
      }),
      201,
    );
    expectStatus(await c.dispatcher.post(`/api/applications/${app.id}/review`, { decision: 'approve' }), 200);
    expect((await c.handlerDc.get(`/api/tickets/${id}`)).status).toBe(404);
    const chain = expectStatus(await c.dispatcher.get(`/api/tickets/${id}/sub-dispatches`), 200);
    expect(chain.items[0].status).toBe('ended');
  });
});

describeEachDb('第十六条 下级单位延期：不超过上级单位时限，超出部分由上级单位向热线工作机构申请', (env) => {
  let c: Clients;
  beforeAll(async () => {
    c = await loginAll(env());
  });

  it('第十六条 a sub-unit’s extension is bounded by the lead unit’s deadline; the lead unit asks the centre for more', async () => {
    const e = env();
    const id = await acceptedByMd(e, c);
    const s = await passDown(e, c, id);
    expectStatus(await c.handlerDc.post(`/api/sub-dispatches/${s.id}/accept`, {}), 200);
    e.clock.set('2025-03-06T10:00:00+08:00');
    // one working day more reaches 牡丹区's own deadline exactly: allowed
    const x1 = expectStatus(
      await c.handlerDc.post(`/api/sub-dispatches/${s.id}/extensions`, {
        reason: '需协调供电公司停电施工',
        progress: '已现场勘查，灯具已订购',
        days: 1,
      }),
      201,
    );
    // while it is pending the sub-unit does not reply
    expect(
      (await c.handlerDc.post(`/api/sub-dispatches/${s.id}/reply`, { result: '已修复', solved: true })).status,
    ).toBe(409);
    const ok = expectStatus(
      await c.handlerMd.post(`/api/sub-dispatch-extensions/${x1.id}/review`, { decision: 'approve' }),
      200,
    );
    expect(ok.dueAt).toBe(eod('2025-03-10'));
    // one more would pass it: refused, with the way out named
    const over = await c.handlerDc.post(`/api/sub-dispatches/${s.id}/extensions`, {
      reason: '材料未到',
      progress: '等待灯具到货',
      days: 1,
    });
    expect(over.status).toBe(400);
    expect(over.body.error.message).toContain('上级单位向热线工作机构申请延期');
    // 第十六条: the lead unit applies to the centre, which extends its deadline by 3 working days (to 03-13)
    const app = expectStatus(
      await c.handlerMd.post(`/api/tickets/${id}/extension-applications`, {
        reason: '下级单位需协调停电施工',
        days: 3,
        progress: '东城街道已订购灯具',
      }),
      201,
    );
    expectStatus(await c.dispatcher.post(`/api/applications/${app.id}/review`, { decision: 'approve' }), 200);
    const x2 = expectStatus(
      await c.handlerDc.post(`/api/sub-dispatches/${s.id}/extensions`, {
        reason: '材料未到',
        progress: '等待灯具到货',
        days: 2,
      }),
      201,
    );
    const moved = expectStatus(
      await c.handlerMd.post(`/api/sub-dispatch-extensions/${x2.id}/review`, { decision: 'approve', note: '同意' }),
      200,
    );
    expect(moved.dueAt).toBe(eod('2025-03-12'));
    const chain = expectStatus(await c.handlerDc.get(`/api/tickets/${id}/sub-dispatches`), 200);
    expect(chain.items[0].extensions.map((x: { status: string }) => x.status)).toEqual(['approved', 'approved']);
    expect(chain.items[0].originalDueAt).toBe(eod('2025-03-07'));
    // the sub-unit's extension is the lead unit's to decide, not its own nor the centre's
    const x3 = expectStatus(
      await c.handlerDc.post(`/api/sub-dispatches/${s.id}/extensions`, { reason: '再延', progress: '施工中', days: 1 }),
      201,
    );
    expect(
      (await c.handlerDc.post(`/api/sub-dispatch-extensions/${x3.id}/review`, { decision: 'approve' })).status,
    ).toBe(403);
    expect(
      (await c.dispatcher.post(`/api/sub-dispatch-extensions/${x3.id}/review`, { decision: 'approve' })).status,
    ).toBe(403);
    expectStatus(
      await c.handlerMd.post(`/api/sub-dispatch-extensions/${x3.id}/review`, {
        decision: 'reject',
        note: '请按期办结',
      }),
      200,
    );
  });
});

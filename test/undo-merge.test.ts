import { beforeAll, expect, it } from 'vitest';
import { fanOut } from '../src/server/jobs/unit-feed.js';
import { DEMO_PASSWORD } from '../src/server/seed/heze-organisation.js';
import { ApiClient, expectStatus } from './helpers/api.js';
import { createTicket, loginAll, type Clients } from './helpers/factories.js';
import { describeEachDb } from './helpers/test-env.js';

// issue 14 "undo where the law allows it": 撤销并单 (第十三条第三项 并单). Within 24 hours of the merge and before the
// surviving ticket is answered, the centre takes the merged ticket back out; it returns as the merge found it.
describeEachDb('第十三条第三项 撤销并单', (env) => {
  let c: Clients;
  beforeAll(async () => {
    c = await loginAll(env());
  });

  const requestersOf = async (ticketId: number) =>
    (
      await env()
        .db.selectFrom('ticket_requesters')
        .select('requester_id')
        .where('ticket_id', '=', ticketId)
        .orderBy('requester_id')
        .execute()
    ).map((r) => r.requester_id);

  it('brings an accepted ticket back with its status, unit, deadlines and requester, with an event on each ticket', async () => {
    const e = env();
    e.clock.set('2025-05-12T09:00:00+08:00');
    const main = await createTicket(e, c.agent, { requester: { name: '甲某', phone: '13710000001' } });
    const dup = await createTicket(e, c.agent, { requester: { name: '乙某', phone: '13710000002' } });
    expectStatus(
      await c.dispatcher.post(`/api/tickets/${dup.id}/dispatch`, {
        leadUnitId: e.ids.units['gov-md'],
        assistUnitIds: [e.ids.units['cgj']],
      }),
      200,
    );
    expectStatus(await c.handlerMd.post(`/api/tickets/${dup.id}/accept`, {}), 200);
    const before = expectStatus(await c.dispatcher.get(`/api/tickets/${dup.id}`), 200);
    const mainRequestersBefore = await requestersOf(main.id);

    e.clock.set('2025-05-12T10:00:00+08:00');
    expectStatus(await c.dispatcher.post(`/api/tickets/${dup.id}/merge`, { intoTicketId: main.id, note: '误并' }), 200);
    expect(await requestersOf(main.id)).toHaveLength(2);
    // the unit no longer reads the merged ticket
    expect((await c.handlerMd.get(`/api/tickets/${dup.id}`)).status).toBe(404);

    e.clock.set('2025-05-12T15:00:00+08:00');
    const back = expectStatus(await c.dispatcher.post(`/api/tickets/${dup.id}/unmerge`, { note: '并非同一诉求' }), 200);
    expect(back).toMatchObject({ status: 'in_progress', mergedIntoId: null, leadUnitId: e.ids.units['gov-md'] });

    const after = expectStatus(await c.dispatcher.get(`/api/tickets/${dup.id}`), 200);
    expect(after.closedAt).toBeNull();
    expect(after.dueAt).toBe(before.dueAt);
    // the same assignments, live again; the same deadlines, open again with their due times unchanged
    const live = (v: any) =>
      v.assignments.map((a: any) => ({ unitId: a.unitId, role: a.role, status: a.status, endedAt: a.endedAt ?? null }));
    expect(live(after)).toEqual(live(before));
    const open = (v: any) =>
      v.deadlines
        .filter((d: any) => !d.metAt && !d.cancelledAt)
        .map((d: any) => ({ kind: d.kind, unitId: d.unitId, dueAt: d.dueAt }));
    expect(open(after)).toEqual(open(before));
    expect(open(after).length).toBeGreaterThan(0);
    // the unit is told it has the ticket back (its bell), and reads and works on it again
    await fanOut(e.db, e.clock);
    const bell = expectStatus(await c.handlerMd.get('/api/notifications'), 200);
    expect(bell.items[0]).toMatchObject({ ticketId: dup.id, kind: 'unmerged', text: '撤销并单，工单恢复办理' });
    expectStatus(await c.handlerMd.get(`/api/tickets/${dup.id}`), 200);
    expectStatus(
      await c.handlerMd.post(`/api/tickets/${dup.id}/contacts`, { method: 'phone', reached: true, note: '已联系' }),
      200,
    );

    // the requester link moved back: the surviving ticket has only its own requester again
    expect(await requestersOf(main.id)).toEqual(mainRequestersBefore);
    expect(expectStatus(await c.callback.get(`/api/tickets/${main.id}`), 200).coRequesters).toEqual([]);

    // an event on each ticket, by the dispatcher, in the history
    const ev = after.events.find((x: any) => x.kind === 'unmerged');
    expect(ev).toMatchObject({
      fromStatus: 'closed',
      toStatus: 'in_progress',
      reason: '并非同一诉求',
      data: { fromTicketId: main.id, fromNumber: main.number, restored: 'exact' },
    });
    const mv = expectStatus(await c.dispatcher.get(`/api/tickets/${main.id}`), 200);
    expect(mv.events.at(-1)).toMatchObject({
      kind: 'unmerged_from',
      data: { ticketId: dup.id, number: dup.number, requestersRemoved: 1 },
    });
    // the public tracking page follows the ticket's own history again
    const track = expectStatus(
      await c.agent.get(`/api/public/tracking?number=${dup.number}&code=${(dup as any).trackingCode}`),
      200,
    );
    expect(JSON.stringify(track)).toContain('已撤销合并，恢复单独办理');
    // undone once: a second undo finds nothing merged
    const again = await c.dispatcher.post(`/api/tickets/${dup.id}/unmerge`, {});
    expect(again.status).toBe(409);
    expect(again.body.error.message).toBe('该工单未被并单，无需撤销');
  });

  it('a ticket merged while 待派单 comes back 待派单 and can be dispatched; it may be merged again', async () => {
    const e = env();
    e.clock.set('2025-05-13T09:00:00+08:00');
    const main = await createTicket(e, c.agent, { requester: { phone: '13710000011' } });
    const dup = await createTicket(e, c.agent, { requester: { phone: '13710000012' } });
    const before = expectStatus(await c.dispatcher.get(`/api/tickets/${dup.id}`), 200);
    expectStatus(await c.dispatcher.post(`/api/tickets/${dup.id}/merge`, { intoTicketId: main.id }), 200);
    const back = expectStatus(await c.dispatcher.post(`/api/tickets/${dup.id}/unmerge`, {}), 200);
    expect(back).toMatchObject({ status: 'pending_dispatch', mergedIntoId: null });
    expect(back.dueAt).toBe(before.dueAt);
    expectStatus(
      await c.dispatcher.post(`/api/tickets/${dup.id}/dispatch`, { leadUnitId: e.ids.units['gov-md'] }),
      200,
    );
    // merged again after the undo, then undone again: one requester row, counted once
    expectStatus(await c.dispatcher.post(`/api/tickets/${dup.id}/merge`, { intoTicketId: main.id }), 200);
    expect(await requestersOf(main.id)).toHaveLength(2);
    expect(expectStatus(await c.dispatcher.post(`/api/tickets/${dup.id}/unmerge`, {}), 200).status).toBe('dispatched');
    expect(await requestersOf(main.id)).toHaveLength(1);
  });

  it('outside the window, or once the surviving ticket is answered, the undo is refused with 409 and changes nothing', async () => {
    const e = env();
    e.clock.set('2025-05-14T09:00:00+08:00');
    const main = await createTicket(e, c.agent, { requester: { phone: '13710000021' } });
    const dup = await createTicket(e, c.agent, { requester: { phone: '13710000022' } });
    expectStatus(await c.dispatcher.post(`/api/tickets/${dup.id}/merge`, { intoTicketId: main.id }), 200);
    e.clock.set('2025-05-15T09:00:01+08:00'); // 24 hours and a second later
    const late = await c.dispatcher.post(`/api/tickets/${dup.id}/unmerge`, {});
    expect(late.status).toBe(409);
    expect(late.body.error.message).toContain('并单已超过 24 小时，不能撤销');
    expect(late.body.error.details).toMatchObject({ reason: 'window_passed' });
    expect(expectStatus(await c.dispatcher.get(`/api/tickets/${dup.id}`), 200)).toMatchObject({
      status: 'closed',
      mergedIntoId: main.id,
    });

    // answered: the result went to the requester the merge brought — no undo, even within the window
    const main2 = await createTicket(e, c.agent, { requester: { phone: '13710000023' } });
    const dup2 = await createTicket(e, c.agent, { requester: { phone: '13710000024' } });
    expectStatus(await c.dispatcher.post(`/api/tickets/${dup2.id}/merge`, { intoTicketId: main2.id }), 200);
    expectStatus(
      await c.dispatcher.post(`/api/tickets/${main2.id}/dispatch`, { leadUnitId: e.ids.units['gov-md'] }),
      200,
    );
    expectStatus(await c.handlerMd.post(`/api/tickets/${main2.id}/accept`, {}), 200);
    expectStatus(
      await c.handlerMd.post(`/api/tickets/${main2.id}/contacts`, { method: 'phone', reached: true, note: '已联系' }),
      200,
    );
    expectStatus(await c.handlerMd.post(`/api/tickets/${main2.id}/reply`, { result: '已修复', solved: true }), 200);
    const answered = await c.dispatcher.post(`/api/tickets/${dup2.id}/unmerge`, {});
    expect(answered.status).toBe(409);
    expect(answered.body.error.message).toBe('主工单已答复，办理结果已告知并单的诉求人，不能撤销并单');
    expect(await requestersOf(main2.id)).toHaveLength(2);

    // a ticket that was never merged
    const plain = await createTicket(e, c.agent);
    expect((await c.dispatcher.post(`/api/tickets/${plain.id}/unmerge`, {})).status).toBe(409);
  });

  it('only the dispatcher of a centre that serves the region: others 403, another centre 404, bad input 400', async () => {
    const e = env();
    e.clock.set('2025-05-16T09:00:00+08:00');
    const main = await createTicket(e, c.agent, { requester: { phone: '13710000031' } });
    const dup = await createTicket(e, c.agent, { requester: { phone: '13710000032' } });
    expectStatus(await c.dispatcher.post(`/api/tickets/${dup.id}/merge`, { intoTicketId: main.id }), 200);
    expect((await c.agent.post(`/api/tickets/${dup.id}/unmerge`, {})).status).toBe(403);
    expect((await c.handlerMd.post(`/api/tickets/${dup.id}/unmerge`, {})).status).toBe(403);
    expectStatus(
      await c.admin.post('/api/users', {
        username: 'dispatcher_cx_undo',
        displayName: '曹县派单员',
        password: DEMO_PASSWORD,
        unitId: e.ids.units['centre-cx'],
        roles: ['dispatcher'],
        scope: 'region',
      }),
      201,
    );
    const dcx = await ApiClient.login(e, 'dispatcher_cx_undo');
    const other = await dcx.post(`/api/tickets/${dup.id}/unmerge`, {});
    expect(other.status).toBe(404);
    expect((await c.dispatcher.post(`/api/tickets/abc/unmerge`, {})).status).toBe(400);
    expect((await c.dispatcher.post(`/api/tickets/${dup.id}/unmerge`, { note: 'x'.repeat(2001) })).status).toBe(400);
    expect((await c.dispatcher.post(`/api/tickets/${dup.id}/unmerge`, { expectedVersion: 'x' })).status).toBe(400);
    // odd input: an id past int4 and past 2^63, a NUL byte, deep nesting — a 400, never a 500
    expect((await c.dispatcher.post(`/api/tickets/2147483648/unmerge`, {})).status).toBe(400);
    expect((await c.dispatcher.post(`/api/tickets/99999999999999999999/unmerge`, {})).status).toBe(400);
    expect((await c.dispatcher.post(`/api/tickets/${dup.id}/unmerge`, { note: '并非\u0000同一诉求' })).status).toBe(
      400,
    );
    let deep: unknown = 'x';
    for (let i = 0; i < 200; i++) deep = { note: deep };
    expect((await c.dispatcher.post(`/api/tickets/${dup.id}/unmerge`, deep)).status).toBe(400);
    // the version the dispatcher saw is checked
    const seen = expectStatus(await c.dispatcher.get(`/api/tickets/${dup.id}`), 200);
    expect(
      (await c.dispatcher.post(`/api/tickets/${dup.id}/unmerge`, { expectedVersion: seen.version + 1 })).status,
    ).toBe(409);
    expectStatus(await c.dispatcher.post(`/api/tickets/${dup.id}/unmerge`, { expectedVersion: seen.version }), 200);
  });

  it('a merge recorded without a snapshot (before undo existed) comes back 待派单 without its old unit', async () => {
    const e = env();
    e.clock.set('2025-05-19T09:00:00+08:00');
    const main = await createTicket(e, c.agent, { requester: { phone: '13710000041' } });
    const dup = await createTicket(e, c.agent, { requester: { phone: '13710000042' } });
    expectStatus(
      await c.dispatcher.post(`/api/tickets/${dup.id}/dispatch`, { leadUnitId: e.ids.units['gov-md'] }),
      200,
    );
    // an old merge: the same rows the merge writes, but its event carries no 'restore'
    await e.db.transaction().execute(async (trx) => {
      const at = e.clock.now();
      await trx
        .updateTable('ticket_assignments')
        .set({ status: 'ended', ended_at: at })
        .where('ticket_id', '=', dup.id)
        .execute();
      await trx
        .updateTable('deadlines')
        .set({ cancelled_at: at })
        .where('ticket_id', '=', dup.id)
        .where('cancelled_at', 'is', null)
        .execute();
      await trx
        .insertInto('ticket_events')
        .values({
          ticket_id: dup.id,
          kind: 'merged_into',
          at,
          from_status: 'dispatched',
          to_status: 'closed',
          data: JSON.stringify({ intoTicketId: main.id, intoNumber: main.number }),
        })
        .execute();
      await trx
        .updateTable('tickets')
        .set({ status: 'closed', merged_into_id: main.id, closed_at: at })
        .where('id', '=', dup.id)
        .execute();
    });
    const back = expectStatus(await c.dispatcher.post(`/api/tickets/${dup.id}/unmerge`, {}), 200);
    expect(back).toMatchObject({ status: 'pending_dispatch', leadUnitId: null, mergedIntoId: null });
    const v = expectStatus(await c.dispatcher.get(`/api/tickets/${dup.id}`), 200);
    expect(v.events.at(-1)).toMatchObject({ kind: 'unmerged', data: { restored: 'pending_dispatch' } });
    expect(v.assignments.every((a: any) => a.status === 'ended')).toBe(true);
    expect((await c.handlerMd.get(`/api/tickets/${dup.id}`)).status).toBe(404);
  });
});

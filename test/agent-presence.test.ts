import { expect, it } from 'vitest';
import { describeEachDb } from './helpers/test-env.js';
import { ApiClient, expectStatus } from './helpers/api.js';
import { tokenFor } from './helpers/factories.js';

// 坐席状态 and the agent's own shift figures (issue 14): 示闲/示忙/小休 set by the agent, offered calls only when
// available with a live console (the CTI gateway asks), offline on signing out, the time in each state and the
// contacts disposed in the shift, the supervisors' board of their own centre.

interface Presence {
  state: string;
  label: string;
  reason: string | null;
}
interface Routing {
  agentUsername: string;
  state: string;
  available: boolean;
}

describeEachDb('第十二条 坐席状态：示闲、示忙、小休与本班次工作量', (env) => {
  const later = (min: number) => env().clock.set(new Date(env().clock.now().getTime() + min * 60_000));
  const routing = async (token: string) => {
    const res = await env().app.inject({
      method: 'GET',
      url: '/api/channels/cti/agents',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.statusCode).toBe(200);
    return res.json() as Routing[];
  };

  it('an agent is offered calls only while 示闲 with a live console; 小休 needs a reason; signing out ends it', async () => {
    const e = env();
    const agent = await ApiClient.login(e, 'agent');
    const gateway = await tokenFor(e, await ApiClient.login(e, 'admin'), 'gateway');
    expect(expectStatus<Presence>(await agent.get('/api/presence/me'), 200).state).toBe('offline');

    expect(expectStatus<Presence>(await agent.put('/api/presence/me', { state: 'available' }), 200)).toMatchObject({
      state: 'available',
      label: '示闲',
      reason: null,
    });
    expect((await routing(gateway)).find((a) => a.agentUsername === 'agent')).toMatchObject({ available: true });

    // 小休 without a reason, with an unknown one, a reason for 示忙, or a state nobody may set: 400, nothing changes
    for (const body of [
      { state: 'break' },
      { state: 'break', reason: '打游戏' },
      { state: 'busy', reason: '就餐' },
      { state: 'offline' },
      { state: 'available', reason: 7 },
      {},
    ]) {
      const res = await agent.put('/api/presence/me', body);
      expect(res.status).toBe(400);
      expect(typeof res.body.error.message).toBe('string');
    }
    expect(expectStatus<Presence>(await agent.get('/api/presence/me'), 200).state).toBe('available');

    expect(
      expectStatus<Presence>(await agent.put('/api/presence/me', { state: 'break', reason: '就餐' }), 200),
    ).toMatchObject({ state: 'break', label: '小休', reason: '就餐' });
    expect((await routing(gateway)).find((a) => a.agentUsername === 'agent')).toMatchObject({
      state: 'break',
      available: false,
    });

    // a console that falls silent (closed tab) is offline for routing; its next beat brings it back
    expectStatus(await agent.put('/api/presence/me', { state: 'available' }), 200);
    later(4);
    expect((await routing(gateway)).find((a) => a.agentUsername === 'agent')).toMatchObject({
      state: 'offline',
      available: false,
    });
    expect(expectStatus<Presence>(await agent.get('/api/presence/me'), 200).state).toBe('available');
    expect((await routing(gateway)).find((a) => a.agentUsername === 'agent')?.available).toBe(true);

    expectStatus(await agent.post('/api/auth/logout', {}), 200);
    expect((await routing(gateway)).find((a) => a.agentUsername === 'agent')).toMatchObject({ state: 'offline' });
    const log = await e.db
      .selectFrom('agent_presence_log')
      .select(['state', 'reason'])
      .where('user_id', '=', e.ids.users.agent!)
      .orderBy('id')
      .execute();
    expect(log).toEqual([
      { state: 'available', reason: null },
      { state: 'break', reason: '就餐' },
      { state: 'available', reason: null },
      { state: 'offline', reason: null },
    ]);
  });

  it('the shift figures count what the agent disposed and the minutes in each state, and nothing of others', async () => {
    const e = env();
    const agent = await ApiClient.login(e, 'agent_cx');
    const other = await ApiClient.login(e, 'agent');
    const start = e.clock.now();
    expectStatus(await agent.put('/api/presence/me', { state: 'available' }), 200);
    const answer = async (who: ApiClient, content: string) => {
      const c = expectStatus<{ id: number }>(await who.post('/api/contacts', { channel: 'phone', content }), 201);
      later(3);
      expectStatus(
        await who.post(`/api/contacts/${c.id}/disposition`, { disposition: 'answered', answer: '已为您解答。' }),
        200,
      );
    };
    await answer(agent, '咨询居住证办理地点');
    await answer(agent, '咨询公积金提取');
    await answer(other, '别人的来电');
    later(21); // 30 minutes 示闲 in all (3 × 3 minutes of calls, this agent's and the other's, then 21)
    expectStatus(await agent.put('/api/presence/me', { state: 'break', reason: '小休' }), 200);
    later(10);
    expectStatus(await agent.put('/api/presence/me', { state: 'busy' }), 200);
    later(5);

    const shift = expectStatus<{
      disposed: number;
      byDisposition: Record<string, number>;
      calls: number;
      avgCallSeconds: number | null;
      minutes: { available: number; busy: number; break: number };
      from: string;
    }>(await agent.get('/api/presence/me/shift?hours=2'), 200);
    expect(shift.disposed).toBe(2);
    expect(shift.byDisposition).toEqual({ answered: 2 });
    expect(shift.calls).toBe(2);
    expect(shift.avgCallSeconds).toBe(180);
    expect(shift.minutes).toEqual({ available: 30, break: 10, busy: 5 });
    expect(new Date(shift.from).getTime()).toBeLessThan(start.getTime());

    for (const q of ['hours=0', 'hours=25', 'hours=abc', 'hours=1e400'])
      expect((await agent.get(`/api/presence/me/shift?${q}`)).status).toBe(400);
  });

  it('a supervisor sees the agents of their own centre with their state; agents of another centre are not there', async () => {
    const e = env();
    const supervisor = await ApiClient.login(e, 'supervisor');
    const agent = await ApiClient.login(e, 'agent');
    const countyAgent = await ApiClient.login(e, 'agent_cx');
    expectStatus(await agent.put('/api/presence/me', { state: 'busy' }), 200);
    expectStatus(await countyAgent.put('/api/presence/me', { state: 'available' }), 200);
    const board = expectStatus<Array<{ userId: number; name: string; state: string; label: string }>>(
      await supervisor.get('/api/presence'),
      200,
    );
    const me = board.find((b) => b.userId === e.ids.users.agent);
    expect(me).toMatchObject({ state: 'busy', label: '示忙' });
    expect(me!.name).not.toBe('agent');
    expect(board.some((b) => b.userId === e.ids.users.agent_cx)).toBe(false);
  });
});

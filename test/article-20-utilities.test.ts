import { beforeAll, expect, it } from 'vitest';
import { expectStatus } from './helpers/api.js';
import { dispatchedTicket, loginAll, type Clients } from './helpers/factories.js';
import { describeEachDb } from './helpers/test-env.js';

describeEachDb('第二十条 水电气热网络 全天候服务', (env) => {
  let c: Clients;
  beforeAll(async () => {
    c = await loginAll(env());
  });

  it('a 24×7 utility runs on clock hours even on a public holiday', async () => {
    const e = env();
    e.clock.set('2025-10-02T20:00:00+08:00'); // National Day holiday, evening
    const id = await dispatchedTicket(e, c, 'water', {
      categoryId: e.ids.categories['CX-GS'],
      title: '小区停水',
      content: '丹阳社区3号楼从下午开始停水',
    });
    const v = expectStatus(await c.handlerWater.get(`/api/tickets/${id}`), 200);
    const accept = v.deadlines.find((d: any) => d.kind === 'accept');
    const reply = v.deadlines.find((d: any) => d.kind === 'reply');
    expect(new Date(accept.dueAt).toISOString()).toBe('2025-10-02T13:00:00.000Z'); // +1 clock hour
    expect(new Date(reply.dueAt).toISOString()).toBe('2025-10-03T12:00:00.000Z'); // +24 clock hours
    e.clock.set('2025-10-02T20:30:00+08:00');
    expectStatus(await c.handlerWater.post(`/api/tickets/${id}/accept`, {}), 200);
    const after = expectStatus(await c.handlerWater.get(`/api/tickets/${id}`), 200);
    expect(new Date(after.deadlines.find((d: any) => d.kind === 'first_contact').dueAt).toISOString()).toBe(
      '2025-10-02T14:30:00.000Z',
    ); // +2 h
  });

  it('the same ticket to an ordinary department waits for working days after the holiday', async () => {
    const e = env();
    e.clock.set('2025-10-02T20:00:00+08:00');
    const id = await dispatchedTicket(e, c, 'gov-md');
    const v = expectStatus(await c.handlerMd.get(`/api/tickets/${id}`), 200);
    // holidays 10-01..10-08; 10-09 (Thu) is the first working day → accept due end of 10-09
    expect(new Date(v.deadlines.find((d: any) => d.kind === 'accept').dueAt).toISOString()).toBe(
      '2025-10-09T15:59:59.999Z',
    );
    // 5 working days: 10-09, 10-10, 10-11 (Saturday make-up day), 10-13, 10-14
    expect(new Date(v.deadlines.find((d: any) => d.kind === 'reply').dueAt).toISOString()).toBe(
      '2025-10-14T15:59:59.999Z',
    );
  });

  it('an urgent ticket runs on clock hours for any unit', async () => {
    const e = env();
    e.clock.set('2025-03-08T10:00:00+08:00'); // Saturday
    const id = await dispatchedTicket(e, c, 'gov-md', { urgency: 'urgent' });
    const v = expectStatus(await c.handlerMd.get(`/api/tickets/${id}`), 200);
    expect(new Date(v.deadlines.find((d: any) => d.kind === 'reply').dueAt).toISOString()).toBe(
      '2025-03-09T02:00:00.000Z',
    );
  });

  it('the catalogue sends water matters to the water company by statutory duty', async () => {
    const e = env();
    const r = expectStatus(
      await c.dispatcher.post('/api/catalogue/resolve', {
        categoryId: e.ids.categories['CX-GS'],
        regionCode: '371702001',
      }),
      200,
    );
    expect(r.leadUnitId).toBe(e.ids.units['water']);
    expect(r.rule.basis).toBe('statutory');
    expect(r.explanation).toContain('职权法定');
  });
});

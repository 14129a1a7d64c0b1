import { beforeAll, expect, it } from 'vitest';
import { expectStatus } from './helpers/api.js';
import { dispatchedTicket, loginAll, type Clients } from './helpers/factories.js';
import { describeEachDb } from './helpers/test-env.js';

describeEachDb('reference data: calendar, time limits, dispatch catalogue', (env) => {
  let c: Clients;
  beforeAll(async () => {
    c = await loginAll(env());
  });

  it('工作日历 seeded with 2025 and 2026 holidays and 调休 make-up days', async () => {
    const y2025 = expectStatus(await c.agent.get('/api/calendar/2025'), 200);
    const byDate = Object.fromEntries(y2025.overrides.map((d: any) => [d.date, d.kind]));
    expect(byDate['2025-01-26']).toBe('workday'); // Sunday make-up day before the Spring Festival
    expect(byDate['2025-02-08']).toBe('workday'); // Saturday make-up day after it
    expect(byDate['2025-01-29']).toBe('holiday');
    expect(byDate['2025-10-11']).toBe('workday');
    expect(y2025.workingDays).toBe(248);
    const y2026 = expectStatus(await c.agent.get('/api/calendar/2026'), 200);
    const d26 = Object.fromEntries(y2026.overrides.map((d: any) => [d.date, d.kind]));
    expect(d26['2026-10-01']).toBe('holiday');
    expect(d26['2026-09-20']).toBe('workday');
    expect(d26['2026-10-10']).toBe('workday');
  });

  it('an admin edit of the calendar changes deadlines computed afterwards and is audited', async () => {
    const e = env();
    expect((await c.agent.put('/api/calendar/days/2025-04-14', { kind: 'holiday' })).status).toBe(403);
    expect((await c.admin.put('/api/calendar/days/2025-02-30', { kind: 'holiday' })).status).toBe(400); // no such date
    expectStatus(await c.admin.put('/api/calendar/days/2025-04-14', { kind: 'holiday', name: '防汛停休调整' }), 200);
    e.clock.set('2025-04-11T10:00:00+08:00'); // Friday
    const id = await dispatchedTicket(e, c, 'gov-md');
    const v = expectStatus(await c.handlerMd.get(`/api/tickets/${id}`), 200);
    // Monday 04-14 is now a holiday → accept due at the end of Tuesday 04-15
    expect(new Date(v.deadlines.find((d: any) => d.kind === 'accept').dueAt).toISOString()).toBe(
      '2025-04-15T15:59:59.999Z',
    );
    const audit = await e.db
      .selectFrom('admin_audit')
      .selectAll()
      .where('entity', '=', 'calendar_day')
      .where('entity_id', '=', '2025-04-14')
      .execute();
    expect(audit).toHaveLength(1);
    expectStatus(await c.admin.request('DELETE', '/api/calendar/days/2025-04-14'), 200);
  });

  it('time limits are data: a category-specific reply limit applies to new dispatches', async () => {
    const e = env();
    const bad = await c.admin.put('/api/time-limits', {
      step: 'reply',
      categoryId: null,
      urgency: null,
      clock: null,
      amount: 2.5,
      unit: 'working_days',
    });
    expect(bad.status).toBe(400);
    expectStatus(
      await c.admin.put('/api/time-limits', {
        step: 'reply',
        categoryId: e.ids.categories['LD-QX'],
        urgency: null,
        clock: null,
        amount: 3,
        unit: 'working_days',
      }),
      200,
    );
    e.clock.set('2025-03-03T09:00:00+08:00');
    const id = await dispatchedTicket(e, c, 'rsj', {
      categoryId: e.ids.categories['LD-QX'],
      title: '工地拖欠农民工工资',
      content: '某工地拖欠工资三个月',
    });
    const v = expectStatus(await c.dispatcher.get(`/api/tickets/${id}`), 200);
    expect(new Date(v.deadlines.find((d: any) => d.kind === 'reply').dueAt).toISOString()).toBe(
      '2025-03-06T15:59:59.999Z',
    );
  });

  it('第十二条 the catalogue returns the unit and the rule that chose it; admins can add and disable rules', async () => {
    const e = env();
    const r = expectStatus(
      await c.dispatcher.post('/api/catalogue/resolve', {
        categoryId: e.ids.categories['CX-WY'],
        regionCode: '371702001001',
      }),
      200,
    );
    expect(r.leadUnitId).toBe(e.ids.units['jd-dc']);
    expect(r.rule.basis).toBe('territorial');
    const county = expectStatus(
      await c.dispatcher.post('/api/catalogue/resolve', {
        categoryId: e.ids.categories['JY-ZS'],
        regionCode: '371721001',
      }),
      200,
    );
    expect(county.leadUnitId).toBe(e.ids.units['gov-cx']);
    const city = expectStatus(
      await c.dispatcher.post('/api/catalogue/resolve', {
        categoryId: e.ids.categories['JY-ZS'],
        regionCode: '371700',
      }),
      200,
    );
    expect(city.leadUnitId).toBe(e.ids.units['jyj']);
    expect(city.rule.basis).toBe('tiered');

    const rule = expectStatus(
      await c.admin.post('/api/catalogue-rules', {
        categoryId: e.ids.categories['JY-ZS'],
        regionCode: null,
        tier: 'city',
        basis: 'statutory',
        leadUnitId: e.ids.units['jyj'],
      }),
      201,
    );
    const now = expectStatus(
      await c.dispatcher.post('/api/catalogue/resolve', {
        categoryId: e.ids.categories['JY-ZS'],
        regionCode: '371721001',
      }),
      200,
    );
    expect(now.rule.id).toBe(rule.id);
    expectStatus(await c.admin.request('PATCH', `/api/catalogue-rules/${rule.id}`, { active: false }), 200);
    const back = expectStatus(
      await c.dispatcher.post('/api/catalogue/resolve', {
        categoryId: e.ids.categories['JY-ZS'],
        regionCode: '371721001',
      }),
      200,
    );
    expect(back.leadUnitId).toBe(e.ids.units['gov-cx']);
  });

  it('dispatch by the catalogue records the rule on the ticket and in the event', async () => {
    const e = env();
    e.clock.set('2025-03-03T09:00:00+08:00');
    const t = expectStatus(
      await c.agent.post('/api/tickets', {
        requestType: 'complaint',
        categoryId: e.ids.categories['HB-ZS'],
        regionCode: '371702003',
        title: '夜间施工噪声扰民',
        content: '南城街道某工地夜间十一点后仍在施工',
      }),
      201,
    );
    const d = expectStatus(await c.dispatcher.post(`/api/tickets/${t.id}/dispatch`, {}), 200);
    expect(d.leadUnitId).toBe(e.ids.units['sthjj']);
    expect(d.dispatchRuleId).toBeTruthy();
    const v = expectStatus(await c.dispatcher.get(`/api/tickets/${t.id}`), 200);
    expect(v.events[1].data).toMatchObject({ ruleId: d.dispatchRuleId, assistUnitIds: [e.ids.units['cgj']] });
    expect(v.assignments.map((a: any) => a.role)).toEqual(['lead', 'assist']);
  });
});

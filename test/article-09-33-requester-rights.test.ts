import { beforeAll, expect, it } from 'vitest';
import { expectStatus } from './helpers/api.js';
import { loginAll, type Clients } from './helpers/factories.js';
import { describeEachDb } from './helpers/test-env.js';

describeEachDb('第九、三十三条 诉求人的知情权、评价权和举报人保护', (env) => {
  let c: Clients;
  beforeAll(async () => {
    c = await loginAll(env());
  });

  let n = 0;
  async function ticketVia(body: Record<string, unknown>, phone = '15800000001') {
    const k = expectStatus(await c.agent.post('/api/contacts', { channel: 'phone', externalId: `r-${++n}-${Date.now()}`, requester: { name: '欧阳先生', phone }, content: String(body.title) }), 201);
    return expectStatus(await c.agent.post(`/api/contacts/${k.id}/disposition`, { disposition: 'dispatched', requestType: 'complaint', urgency: 'normal', regionCode: '371702001', ...body }), 200) as { ticketId: number; ticketNumber: string; trackingCode: string };
  }

  it('第九条 tracks progress and result with number and code, without an account, then evaluates once', async () => {
    const e = env();
    e.clock.set('2025-03-03T09:00:00+08:00');
    const t = await ticketVia({ categoryId: e.ids.categories['CX-SZ'], title: '丹阳路井盖缺失' });
    const anon = (url: string, method: 'GET' | 'POST' = 'GET', payload?: unknown) => e.app.inject({ method, url, payload: payload as never });
    expect((await anon(`/api/public/tracking?number=${t.ticketNumber}&code=WRONGCODE`)).statusCode).toBe(404);
    let p = JSON.parse((await anon(`/api/public/tracking?number=${t.ticketNumber}&code=${t.trackingCode.toLowerCase()}`)).body);
    expect(p).toMatchObject({ number: t.ticketNumber, statusLabel: '待派单', canEvaluate: false });
    expect(p.timeline.map((x: any) => x.label)).toEqual(['诉求已受理']);
    expect(JSON.stringify(p)).not.toContain('15800000001');

    expectStatus(await c.dispatcher.post(`/api/tickets/${t.ticketId}/dispatch`, { leadUnitId: e.ids.units['gov-md'] }), 200);
    expectStatus(await c.handlerMd.post(`/api/tickets/${t.ticketId}/accept`, {}), 200);
    expectStatus(await c.handlerMd.post(`/api/tickets/${t.ticketId}/contacts`, { method: 'phone', reached: true, note: '已联系' }), 200);
    expectStatus(await c.handlerMd.post(`/api/tickets/${t.ticketId}/reply`, { result: '已补装井盖', solved: true }), 200);
    p = JSON.parse((await anon(`/api/public/tracking?number=${t.ticketNumber}&code=${t.trackingCode}`)).body);
    expect(p.handlingUnit).toBe('牡丹区人民政府');
    expect(p.reply.result).toBe('已补装井盖');
    expect(p.canEvaluate).toBe(true);
    expect(p.timeline.map((x: any) => x.label)).toContain('承办单位已答复');
    expect(JSON.stringify(p)).not.toContain('陈承办'); // no staff names

    const ev = await anon('/api/public/tracking/evaluate', 'POST', { number: t.ticketNumber, code: t.trackingCode, satisfaction: 'basically_satisfied', comment: '处理较快' });
    expect(ev.statusCode).toBe(200);
    expect((await anon('/api/public/tracking/evaluate', 'POST', { number: t.ticketNumber, code: t.trackingCode, satisfaction: 'satisfied' })).statusCode).toBe(409);
    const bad = await anon('/api/public/tracking/evaluate', 'POST', { number: 'abc', code: 'x' });
    expect(bad.statusCode).toBe(400);
  });

  it('第九条 a complaint about staff goes to supervision', async () => {
    const e = env();
    const t = await ticketVia({ categoryId: e.ids.categories['CX-SZ'], title: '投诉处理人员态度' });
    const res = await e.app.inject({ method: 'POST', url: '/api/public/tracking/complaint', payload: { number: t.ticketNumber, code: t.trackingCode, content: '承办人员电话里态度粗暴，直接挂断电话', againstStaff: '自称姓陈的工作人员' } });
    expect(res.statusCode).toBe(201);
    const list = expectStatus(await c.supervisor.get('/api/staff-complaints'), 200);
    expect(list.some((x: any) => x.ticket_id === t.ticketId && x.content.includes('态度粗暴'))).toBe(true);
    expect((await c.handlerMd.get('/api/staff-complaints')).status).toBe(403);
  });

  it('第三十三条 the unit a 举报 is about never sees who reported it', async () => {
    const e = env();
    e.clock.set('2025-03-03T09:00:00+08:00');
    // a report about the district government's own staff, handled by the district government
    const t = await ticketVia({ requestType: 'report', categoryId: e.ids.categories['QT-QT'], regionCode: '371702', title: '举报某工作人员吃拿卡要', reportedUnitId: e.ids.units['gov-md'] }, '15800000009');
    expectStatus(await c.dispatcher.post(`/api/tickets/${t.ticketId}/dispatch`, { leadUnitId: e.ids.units['gov-md'], assistUnitIds: [e.ids.units['cgj']] }), 200);
    const asReported = expectStatus(await c.handlerMd.get(`/api/tickets/${t.ticketId}`), 200);
    expect(asReported.requester).toBeNull();
    expect(asReported.identityWithheld).toBe(true);
    expect(JSON.stringify(asReported)).not.toContain('欧');
    expect(JSON.stringify(asReported)).not.toContain('0009');
    const reveal = await c.handlerMd.post(`/api/tickets/${t.ticketId}/requester/reveal`, { purpose: '联系举报人' });
    expect(reveal.status).toBe(403);
    expect(reveal.body.error.message).toContain('第三十三条');
    // another unit on the same ticket, and the centre, still see the (masked) requester
    const asOther = expectStatus(await c.handlerCg.get(`/api/tickets/${t.ticketId}`), 200);
    expect(asOther.requester.phone).toBe('158****0009');
    expect(expectStatus(await c.dispatcher.get(`/api/tickets/${t.ticketId}`), 200).identityWithheld).toBe(false);
  });
});

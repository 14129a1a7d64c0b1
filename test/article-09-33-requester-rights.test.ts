import { beforeAll, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../src/server/seed/heze-organisation.js';
import { ApiClient, expectStatus } from './helpers/api.js';
import { loginAll, type Clients } from './helpers/factories.js';
import { describeEachDb } from './helpers/test-env.js';

describeEachDb('第九、三十三条 诉求人的知情权、评价权和举报人保护', (env) => {
  let c: Clients;
  beforeAll(async () => {
    c = await loginAll(env());
  });

  let n = 0;
  async function ticketVia(body: Record<string, unknown>, phone = '15800000001') {
    const k = expectStatus(
      await c.agent.post('/api/contacts', {
        channel: 'phone',
        externalId: `r-${++n}-${Date.now()}`,
        requester: { name: '欧阳先生', phone },
        content: String(body.title),
      }),
      201,
    );
    return expectStatus(
      await c.agent.post(`/api/contacts/${k.id}/disposition`, {
        disposition: 'dispatched',
        requestType: 'complaint',
        urgency: 'normal',
        regionCode: '371702001',
        ...body,
      }),
      200,
    ) as { ticketId: number; ticketNumber: string; trackingCode: string };
  }

  it('第九条 tracks progress and result with number and code, without an account, then evaluates once', async () => {
    const e = env();
    e.clock.set('2025-03-03T09:00:00+08:00');
    const t = await ticketVia({ categoryId: e.ids.categories['CX-SZ'], title: '丹阳路井盖缺失' });
    const anon = (url: string, method: 'GET' | 'POST' = 'GET', payload?: unknown) =>
      e.app.inject({ method, url, payload: payload as never });
    expect((await anon(`/api/public/tracking?number=${t.ticketNumber}&code=WRONGCODE`)).statusCode).toBe(404);
    let p = JSON.parse(
      (await anon(`/api/public/tracking?number=${t.ticketNumber}&code=${t.trackingCode.toLowerCase()}`)).body,
    );
    expect(p).toMatchObject({ number: t.ticketNumber, statusLabel: '待派单', canEvaluate: false });
    expect(p.timeline.map((x: any) => x.label)).toEqual(['诉求已受理']);
    expect(JSON.stringify(p)).not.toContain('15800000001');

    expectStatus(
      await c.dispatcher.post(`/api/tickets/${t.ticketId}/dispatch`, { leadUnitId: e.ids.units['gov-md'] }),
      200,
    );
    expectStatus(await c.handlerMd.post(`/api/tickets/${t.ticketId}/accept`, {}), 200);
    expectStatus(
      await c.handlerMd.post(`/api/tickets/${t.ticketId}/contacts`, { method: 'phone', reached: true, note: '已联系' }),
      200,
    );
    expectStatus(
      await c.handlerMd.post(`/api/tickets/${t.ticketId}/reply`, { result: '已补装井盖', solved: true }),
      200,
    );
    p = JSON.parse((await anon(`/api/public/tracking?number=${t.ticketNumber}&code=${t.trackingCode}`)).body);
    expect(p.handlingUnit).toBe('牡丹区人民政府');
    expect(p.reply.result).toBe('已补装井盖');
    expect(p.canEvaluate).toBe(true);
    expect(p.timeline.map((x: any) => x.label)).toContain('承办单位已答复');
    expect(JSON.stringify(p)).not.toContain('陈承办'); // no staff names

    const ev = await anon('/api/public/tracking/evaluate', 'POST', {
      number: t.ticketNumber,
      code: t.trackingCode,
      satisfaction: 'basically_satisfied',
      comment: '处理较快',
    });
    expect(ev.statusCode).toBe(200);
    expect(
      (
        await anon('/api/public/tracking/evaluate', 'POST', {
          number: t.ticketNumber,
          code: t.trackingCode,
          satisfaction: 'satisfied',
        })
      ).statusCode,
    ).toBe(409);
    const bad = await anon('/api/public/tracking/evaluate', 'POST', { number: 'abc', code: 'x' });
    expect(bad.statusCode).toBe(400);
  });

  it('第九条 a complaint about staff goes to supervision', async () => {
    const e = env();
    const t = await ticketVia({ categoryId: e.ids.categories['CX-SZ'], title: '投诉处理人员态度' });
    const res = await e.app.inject({
      method: 'POST',
      url: '/api/public/tracking/complaint',
      payload: {
        number: t.ticketNumber,
        code: t.trackingCode,
        content: '承办人员电话里态度粗暴，直接挂断电话',
        againstStaff: '自称姓陈的工作人员',
      },
    });
    expect(res.statusCode).toBe(201);
    const list = expectStatus(await c.supervisor.get('/api/staff-complaints'), 200);
    expect(list.some((x: any) => x.ticket_id === t.ticketId && x.content.includes('态度粗暴'))).toBe(true);
    expect((await c.handlerMd.get('/api/staff-complaints')).status).toBe(403);
  });

  it('第三十条 a county supervisor reads only the complaints about its county’s tickets', async () => {
    const e = env();
    const complain = async (t: { ticketNumber: string; trackingCode: string }) =>
      expect(
        (
          await e.app.inject({
            method: 'POST',
            url: '/api/public/tracking/complaint',
            payload: { number: t.ticketNumber, code: t.trackingCode, content: '工作人员推诿，不接电话' },
          })
        ).statusCode,
      ).toBe(201);
    const city = await ticketVia({ categoryId: e.ids.categories['CX-SZ'], title: '牡丹区的工单' });
    const county = await ticketVia({
      categoryId: e.ids.categories['CX-SZ'],
      title: '曹县的工单',
      regionCode: '371721001',
    });
    await complain(city);
    await complain(county);
    expectStatus(
      await c.admin.post('/api/users', {
        username: 'supervisor_cx',
        displayName: '曹县督办',
        password: DEMO_PASSWORD,
        unitId: e.ids.units['centre-cx'],
        roles: ['supervisor'],
        scope: 'region',
      }),
      201,
    );
    const scx = await ApiClient.login(e, 'supervisor_cx');
    const mine = expectStatus(await scx.get('/api/staff-complaints'), 200) as Array<{ ticket_id: number }>;
    expect(mine.map((x) => x.ticket_id)).toContain(county.ticketId);
    expect(mine.map((x) => x.ticket_id)).not.toContain(city.ticketId);
    const all = expectStatus(await c.supervisor.get('/api/staff-complaints'), 200) as Array<{ ticket_id: number }>;
    expect(all.map((x) => x.ticket_id)).toEqual(expect.arrayContaining([city.ticketId, county.ticketId]));
  });

  it('第三十三条 the unit a 举报 is about never sees who reported it', async () => {
    const e = env();
    e.clock.set('2025-03-03T09:00:00+08:00');
    // a report about the district government's own staff, handled by the district government
    const t = await ticketVia(
      {
        requestType: 'report',
        categoryId: e.ids.categories['QT-QT'],
        regionCode: '371702',
        title: '举报某工作人员吃拿卡要',
        reportedUnitId: e.ids.units['gov-md'],
        unitText: '反映区政府某窗口工作人员办事时吃拿卡要',
      },
      '15800000009',
    );
    expectStatus(
      await c.dispatcher.post(`/api/tickets/${t.ticketId}/dispatch`, {
        leadUnitId: e.ids.units['gov-md'],
        assistUnitIds: [e.ids.units['cgj']],
      }),
      200,
    );
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

  it('第三十三条 the reported unit reads only the text the agent wrote for it: not the requester’s words, numbers or files', async () => {
    const e = env();
    e.clock.set('2025-03-04T09:00:00+08:00');
    const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
    const words =
      '我叫王建国，电话13905301234，住在和平小区3号楼。我举报牡丹区政府行政审批窗口的工作人员办营业执照时向我索要好处费。';
    const unitText = '反映区政府行政审批窗口工作人员在办理营业执照时索要好处费，请核查。';
    const k = expectStatus(
      await c.agent.post('/api/contacts', {
        channel: 'phone',
        externalId: `r33-${Date.now()}`,
        requester: { name: '王建国', phone: '13905301234' },
        content: words,
        files: [{ name: '收据.png', dataBase64: PNG }],
      }),
      201,
    );
    const body = {
      disposition: 'dispatched',
      requestType: 'report',
      categoryId: e.ids.categories['QT-QT'],
      urgency: 'normal',
      regionCode: '371702',
      title: words.slice(0, 30),
      reportedUnitId: e.ids.units['gov-md'],
    };
    // (the title the console proposes is the start of the message: "我叫王建国，电话…")
    // a 举报 needs the text for the units, and that text may hold no number, not even masked
    const missing = await c.agent.post(`/api/contacts/${k.id}/disposition`, body);
    expect(missing.status).toBe(400);
    expect(missing.body.error.details.field).toBe('unitText');
    const withPhone = await c.agent.post(`/api/contacts/${k.id}/disposition`, {
      ...body,
      unitText: '举报人电话139****1234，反映窗口索要好处费',
    });
    expect(withPhone.status).toBe(400);
    // nor the reporter's name: the one they gave, or one introduced as theirs (a name after 先生 is the one reported on)
    for (const named of ['王建国反映窗口工作人员索要好处费', '举报人：李四海，反映窗口工作人员索要好处费']) {
      const r = await c.agent.post(`/api/contacts/${k.id}/disposition`, { ...body, unitText: named });
      expect(r.status).toBe(400);
      expect(r.body.error.message).toBe('转述内容不得包含举报人姓名（第三十三条）');
      expect(r.body.error.details.field).toBe('unitText');
    }
    const direct = await c.agent.post('/api/tickets', {
      requestType: 'report',
      categoryId: e.ids.categories['QT-QT'],
      regionCode: '371702',
      title: '举报',
      content: words,
    });
    expect(direct.status).toBe(400);
    const t = expectStatus(
      await c.agent.post<{ ticketId: number }>(`/api/contacts/${k.id}/disposition`, { ...body, unitText }),
      200,
    );
    expectStatus(
      await c.dispatcher.post(`/api/tickets/${t.ticketId}/dispatch`, {
        leadUnitId: e.ids.units['gov-md'],
        assistUnitIds: [e.ids.units['cgj']],
      }),
      200,
    );

    // any part of the number (the hotline's own name holds "12345", so the tail is checked with its zero)
    const leaks = (x: unknown) => {
      const j = JSON.stringify(x);
      return ['王建国', '建国', '我叫', '13905301234', '01234', '1390', '****', '和平小区', '住在'].filter((w) =>
        j.includes(w),
      );
    };
    for (const reported of [c.handlerMd, c.managerMd]) {
      const view = expectStatus(await reported.get(`/api/tickets/${t.ticketId}`), 200);
      expect(view.content).toBe(unitText);
      expect(view.title).toBe('反映区政府行政审批窗口工作人员在办理营业执照时索要好处费，请…');
      expect(view.unitText).toBeNull();
      expect(view.attachments).toEqual([]);
      expect(view.textMasked).toBe(false);
      expect(leaks(view)).toEqual([]);
      const queue = expectStatus(await reported.get('/api/tickets?view=lead&limit=200'), 200);
      const item = queue.items.find((x: any) => x.id === t.ticketId);
      expect(item.excerpt).toBe(unitText);
      expect(leaks(queue.items.filter((x: any) => x.id === t.ticketId))).toEqual([]);
      const att = (await c.dispatcher.get(`/api/tickets/${t.ticketId}`)).body.attachments[0];
      expect((await reported.bytes(`/api/attachments/${att.id}`)).status).toBe(404);
    }
    // the answer to the unit's own action is shaped for it too
    const accepted = expectStatus(await c.handlerMd.post(`/api/tickets/${t.ticketId}/accept`, {}), 200);
    expect(accepted.content).toBe(unitText);
    expect(leaks(accepted)).toEqual([]);
    // the assisting unit (not reported) and the centre read the request as it came (numbers masked); the centre sees the unit text too
    const centre = expectStatus(await c.dispatcher.get(`/api/tickets/${t.ticketId}`), 200);
    expect(centre.content).toContain('139****1234');
    expect(centre.unitText).toBe(unitText);
    expect(centre.attachments).toHaveLength(1);
    expect(expectStatus(await c.handlerCg.get(`/api/tickets/${t.ticketId}`), 200).content).toContain('好处费');
    expect((await c.handlerCg.bytes(`/api/attachments/${centre.attachments[0].id}`)).status).toBe(200);
  });
});

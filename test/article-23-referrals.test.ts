import { beforeAll, describe, expect, it } from 'vitest';
import { sweepDeadlines } from '../src/server/jobs/deadline-sweeper.js';
import { fanOut } from '../src/server/jobs/unit-feed.js';
import { seedDemoAccountability } from '../src/server/demo/accountability-demo.js';
import { DEMO_PASSWORD } from '../src/server/seed/heze-organisation.js';
import {
  ARTICLE_23_CONDUCTS,
  ARTICLE_32_CASES,
  CONDUCT_LABELS,
  REFERRAL_CONDUCTS,
} from '../src/shared/domain/referrals.js';
import { ApiClient, expectStatus } from './helpers/api.js';
import { createTicket, loginAll, PHONE, type Clients } from './helpers/factories.js';
import { describeEachDb, type TestEnv } from './helpers/test-env.js';

// 第二十三条 (问题线索移交纪检监察机关), 第三十二条 (the cases of 法律责任) and 第九条 (complaints about staff get handled).
describeEachDb('第二十三、三十二、九条 问责移送与投诉办理', (env) => {
  let c: Clients;
  beforeAll(async () => {
    c = await loginAll(env());
  });

  /**
   * A real lifecycle at 牡丹区人民政府: a return refused as unfounded, the reply deadline missed (swept by the
   * scheduler), a late reply, and an unsatisfied callback.
   */
  async function troubledTicket(e: TestEnv, title = '小区门口污水外溢多日无人处理') {
    e.clock.set('2025-03-03T09:00:00+08:00');
    const t = await createTicket(e, c.agent, { title });
    expectStatus(await c.dispatcher.post(`/api/tickets/${t.id}/dispatch`, { leadUnitId: e.ids.units['gov-md'] }), 200);
    expectStatus(await c.handlerMd.post(`/api/tickets/${t.id}/accept`, {}), 200);
    const ret = expectStatus(
      await c.handlerMd.post(`/api/tickets/${t.id}/return-applications`, {
        reason: '污水管网不归区政府管',
        materials: [{ name: '说明.pdf' }],
      }),
      201,
    );
    expectStatus(
      await c.dispatcher.post(`/api/applications/${ret.id}/review`, { decision: 'reject', note: '属于属地职责' }),
      200,
    );
    expectStatus(
      await c.handlerMd.post(`/api/tickets/${t.id}/contacts`, { method: 'phone', reached: true, note: '已联系' }),
      200,
    );
    e.clock.set('2025-03-17T09:00:00+08:00');
    expect((await sweepDeadlines(e.db, e.clock)).breached).toBeGreaterThanOrEqual(1);
    expectStatus(await c.handlerMd.post(`/api/tickets/${t.id}/reply`, { result: '已协调清掏', solved: true }), 200);
    e.clock.set('2025-03-18T10:00:00+08:00');
    expectStatus(
      await c.callback.post(`/api/tickets/${t.id}/callback`, {
        satisfaction: 'unsatisfied',
        resolved: false,
        reasonable: false,
        outcome: 'close',
        note: '诉求人称拖了两周才处理，电话13812345678反映过多次',
      }),
      200,
    );
    return t;
  }

  const referral = (ticketIds: number[], over: Record<string, unknown> = {}) => ({
    subjectKind: 'unit',
    unitId: env().ids.units['gov-md'],
    conducts: ['buck_passing', 'unhandled_after_supervision'],
    ticketIds,
    facts: '承办单位无正当理由申请退单被驳回后，仍超期办理，诉求人不满意。',
    bodyName: '菏泽市纪委监委',
    ...over,
  });

  describe('第三十二条 法律责任的情形', () => {
    it('第二十三条 第三十二条 the conducts are the regulation’s, word for word', () => {
      expect(ARTICLE_23_CONDUCTS.map((k) => CONDUCT_LABELS[k])).toEqual([
        '推诿扯皮',
        '弄虚作假',
        '不作为',
        '乱作为',
        '工作作风粗暴',
        '服务质量差',
      ]);
      expect(ARTICLE_32_CASES.map((k) => CONDUCT_LABELS[k])).toEqual([
        '对法定职责内的热线事项拒不接收的',
        '对受理的诉求事项应当办理而未办理，经督办仍未办理的',
        '对诉求人服务态度生硬、作风粗暴造成负面影响的',
        '违反规定泄露国家秘密、商业秘密、个人信息的',
        '其他滥用职权、玩忽职守、徇私舞弊的',
      ]);
      expect(REFERRAL_CONDUCTS).toHaveLength(11);
    });
  });

  describe('第二十三条 问责移送', () => {
    it('第二十三条 移交 → 受理 → 处理结果, each step audited with an event on the ticket; wrong steps are refused', async () => {
      const e = env();
      const t = await troubledTicket(e);
      e.clock.set('2025-03-19T09:00:00+08:00');
      const created = expectStatus(await c.supervisor.post('/api/referrals', referral([t.id])), 201);
      expect(created.status).toBe('transferred');
      const id = created.id as number;

      // 受理 before 移交 happened, or a 处理结果 before 受理: refused
      expect(
        (await c.supervisor.post(`/api/referrals/${id}/conclude`, { result: '诫勉谈话', resultOn: '2025-03-19' }))
          .status,
      ).toBe(409);
      expect((await c.supervisor.post(`/api/referrals/${id}/accept`, { acceptedOn: '2025-03-18' })).status).toBe(400);
      expect((await c.supervisor.post(`/api/referrals/${id}/accept`, { acceptedOn: '2025-03-20' })).status).toBe(400);
      e.clock.set('2025-03-21T09:00:00+08:00');
      const accepted = expectStatus(
        await c.supervisor.post(`/api/referrals/${id}/accept`, {
          acceptedOn: '2025-03-20',
          note: '立案审查',
          version: 1,
        }),
        200,
      );
      expect(accepted).toMatchObject({ status: 'accepted', version: 2 });
      expect((await c.supervisor.post(`/api/referrals/${id}/accept`, { acceptedOn: '2025-03-20' })).status).toBe(409);
      // a stale version is a conflict
      expect(
        (await c.supervisor.post(`/api/referrals/${id}/conclude`, { result: 'x', resultOn: '2025-03-21', version: 1 }))
          .status,
      ).toBe(409);
      expect(
        (await c.supervisor.post(`/api/referrals/${id}/conclude`, { result: '诫勉谈话', resultOn: '2025-03-19' }))
          .status,
      ).toBe(400);
      const done = expectStatus(
        await c.supervisor.post(`/api/referrals/${id}/conclude`, {
          result: '对直接责任人诫勉谈话',
          resultOn: '2025-03-21',
        }),
        200,
      );
      expect(done.status).toBe('concluded');
      expect(
        (await c.supervisor.post(`/api/referrals/${id}/conclude`, { result: 'x', resultOn: '2025-03-21' })).status,
      ).toBe(409);

      const view = expectStatus(await c.supervisor.get(`/api/referrals/${id}`), 200);
      expect(view).toMatchObject({
        status: 'concluded',
        acceptedOn: '2025-03-20',
        result: '对直接责任人诫勉谈话',
        resultOn: '2025-03-21',
        unitName: '牡丹区人民政府',
        allowedActions: [],
      });
      expect(view.events.map((x: any) => x.action)).toEqual(['transferred', 'accept', 'conclude']);
      expect(view.tickets.map((x: any) => x.id)).toEqual([t.id]);

      const audit = await e.db
        .selectFrom('admin_audit')
        .select(['action'])
        .where('entity', '=', 'referral')
        .where('entity_id', '=', String(id))
        .orderBy('id')
        .execute();
      expect(audit.map((a) => a.action)).toEqual(['create', 'accept', 'conclude']);
      const evs = await e.db
        .selectFrom('ticket_events')
        .select('kind')
        .where('ticket_id', '=', t.id)
        .where('kind', 'like', 'referral%')
        .orderBy('id')
        .execute();
      expect(evs.map((x) => x.kind)).toEqual(['referral_transferred', 'referral_accepted', 'referral_concluded']);

      // the list, with its filters
      const list = expectStatus(await c.supervisor.get(`/api/referrals?status=concluded&conduct=buck_passing`), 200);
      expect(list.map((x: any) => x.id)).toContain(id);
      expect(
        expectStatus(await c.supervisor.get(`/api/referrals?conduct=leaked_secrets`), 200).map((x: any) => x.id),
      ).not.toContain(id);
      expect(
        expectStatus(await c.supervisor.get(`/api/referrals?from=2025-03-19&to=2025-03-19`), 200).map((x: any) => x.id),
      ).toContain(id);
      expect(
        expectStatus(await c.supervisor.get(`/api/referrals?from=2025-03-20`), 200).map((x: any) => x.id),
      ).not.toContain(id);
    });

    it('第二十三条 the evidence pack holds the return, the breach and the unsatisfied callback, masked; the PDF is valid', async () => {
      const e = env();
      const t = await troubledTicket(e, '证据材料测试工单');
      // 第二十二条: a supervision case about the ticket (when supervision, migration 0026, is installed)
      const supervised = await c.supervisor.post('/api/supervision/cases', {
        trigger: 'other',
        ticketIds: [t.id],
        reason: '退单被驳回后仍超期，督促办理',
        method: 'written',
        answerDays: 3,
      });
      const { id } = expectStatus(await c.supervisor.post('/api/referrals', referral([t.id])), 201);
      const pack = expectStatus(await c.supervisor.get(`/api/referrals/${id}/evidence`), 200);
      if (supervised.status === 201)
        expect(pack.supervisionCases).toEqual([
          expect.objectContaining({ trigger: '其他（第二十二条第六项）', reason: '退单被驳回后仍超期，督促办理' }),
        ]);
      const tk = pack.tickets[0];
      expect(tk.number).toBe(t.number);
      expect(tk.returns).toEqual([expect.objectContaining({ status: '已驳回', reason: '污水管网不归区政府管' })]);
      expect(tk.breaches.map((b: any) => b.kind)).toContain('办结答复时限');
      expect(tk.callbacks).toEqual([expect.objectContaining({ satisfaction: '不满意', resolved: false })]);
      expect(tk.timeline.map((x: any) => x.label)).toEqual(
        expect.arrayContaining(['受理登记', '派单', '申请退单', '驳回退单申请', '时限超期', '办结答复', '回访办结']),
      );
      // 第二十二条: supervision cases are listed when supervision is installed; otherwise the section is 无 (null)
      expect(pack.supervisionCases === null || Array.isArray(pack.supervisionCases)).toBe(true);
      expect(pack.referral.conducts[0]).toBe('推诿扯皮（第二十三条）');
      // 第六条: masked requester, and numbers inside free text masked too
      expect(tk.requester).toEqual({ name: '张**', phone: '139****1234' });
      const json = JSON.stringify(pack);
      expect(json).not.toContain('张秀英');
      expect(json).not.toContain(PHONE);
      expect(json).not.toContain('13812345678');

      const pdf = await c.supervisor.bytes(`/api/referrals/${id}/evidence.pdf`);
      expect(pdf.status).toBe(200);
      expect(pdf.type).toContain('application/pdf');
      expect(pdf.data.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      expect(pdf.data.subarray(-64).toString('latin1')).toContain('%%EOF');
      expect(pdf.data.length).toBeGreaterThan(2000);
      expect(pdf.data.toString('latin1')).not.toContain(PHONE);
      expect((await c.auditor.bytes(`/api/referrals/${id}/evidence.pdf`)).status).toBe(200);
    });

    it('第二十三条 a server without a CJK font answers the PDF with a clear 422 (not a 500), the pack itself still reads', async () => {
      const e = env();
      const t = await troubledTicket(e, '缺字体时的证据材料');
      const { id } = expectStatus(await c.supervisor.post('/api/referrals', referral([t.id])), 201);
      const before = process.env.PDF_FONT;
      process.env.PDF_FONT = '/nonexistent/font-for-this-test.ttf';
      try {
        const res = await c.supervisor.get(`/api/referrals/${id}/evidence.pdf`);
        expect(res.status).toBe(422);
        expect(res.body.error).toMatchObject({ code: 'unprocessable' });
        expect(res.body.error.message).toMatch(/中文字体.*证据材料页面/);
        expectStatus(await c.supervisor.get(`/api/referrals/${id}/evidence`), 200);
      } finally {
        if (before === undefined) delete process.env.PDF_FONT;
        else process.env.PDF_FONT = before;
      }
      expect((await c.supervisor.bytes(`/api/referrals/${id}/evidence.pdf`)).status).toBe(200);
    });

    it('第二十三条 scope: units never see a referral, not even about themselves; a county centre only its own', async () => {
      const e = env();
      const t = await troubledTicket(e, '范围测试工单');
      const { id } = expectStatus(await c.supervisor.post('/api/referrals', referral([t.id])), 201);
      for (const unit of [c.handlerMd, c.managerMd, c.handlerCg]) {
        expect((await unit.get(`/api/referrals/${id}`)).status).toBe(404);
        expect((await unit.bytes(`/api/referrals/${id}/evidence.pdf`)).status).toBe(404);
        expect((await unit.get(`/api/referrals/${id}/evidence`)).status).toBe(404);
        expect((await unit.get('/api/referrals')).status).toBe(403);
        expect((await unit.post('/api/referrals', referral([t.id]))).status).toBe(403);
      }
      // the unit's own ticket does not show the referral's events
      const unitView = expectStatus(await c.managerMd.get(`/api/tickets/${t.id}`), 200);
      expect(unitView.events.map((x: any) => x.kind).filter((k: string) => k.startsWith('referral'))).toEqual([]);
      // 第三十条 feed: the unit's feed and webhooks carry the ticket's other events, never the referral's
      await fanOut(e.db, e.clock);
      const fed = await e.db
        .selectFrom('unit_feed')
        .select('kind')
        .where('ticket_id', '=', t.id)
        .where('unit_id', '=', e.ids.units['gov-md']!)
        .execute();
      expect(fed.map((f) => f.kind)).toContain('dispatched');
      expect(fed.map((f) => f.kind).filter((k) => k.startsWith('referral'))).toEqual([]);
      const centreView = expectStatus(await c.dispatcher.get(`/api/tickets/${t.id}`), 200);
      expect(centreView.events.map((x: any) => x.kind)).toContain('referral_transferred');
      // auditors read, never write
      expectStatus(await c.auditor.get(`/api/referrals/${id}`), 200);
      expect((await c.auditor.post(`/api/referrals/${id}/accept`, { acceptedOn: '2025-03-18' })).status).toBe(403);
      expect((await c.auditor.post('/api/referrals', referral([t.id]))).status).toBe(403);
      expect((await c.agent.get(`/api/referrals/${id}`)).status).toBe(404);

      // 第三十条: a county centre's supervisor neither sees the city's referral nor links the city's tickets
      const exists = await e.db
        .selectFrom('users')
        .select('id')
        .where('username', '=', 'supervisor_cx2')
        .executeTakeFirst();
      if (!exists)
        expectStatus(
          await c.admin.post('/api/users', {
            username: 'supervisor_cx2',
            displayName: '曹县督办',
            password: DEMO_PASSWORD,
            unitId: e.ids.units['centre-cx'],
            roles: ['supervisor'],
            scope: 'region',
          }),
          201,
        );
      const scx = await ApiClient.login(e, 'supervisor_cx2');
      expect((await scx.get(`/api/referrals/${id}`)).status).toBe(404);
      expect(expectStatus(await scx.get('/api/referrals'), 200).map((x: any) => x.id)).not.toContain(id);
      expect((await scx.post('/api/referrals', referral([t.id]))).status).toBe(400);
      expect((await scx.post('/api/referrals', referral([], { ticketNumbers: [t.number] }))).status).toBe(400);
      // by number, as on screen
      const byNumber = expectStatus(
        await c.supervisor.post('/api/referrals', referral([], { ticketNumbers: [t.number.toLowerCase()] })),
        400,
      );
      expect(JSON.stringify(byNumber)).toContain('工单号格式不正确');
      const linked = expectStatus(
        await c.supervisor.post('/api/referrals', referral([t.id], { ticketNumbers: [t.number] })),
        201,
      );
      expect(
        expectStatus(await c.supervisor.get(`/api/referrals/${linked.id}`), 200).tickets.map((x: any) => x.id),
      ).toEqual([t.id]);
      expect((await scx.post(`/api/referrals/${id}/accept`, { acceptedOn: '2025-03-18' })).status).toBe(404);
      // the city sees the county's
      const own = expectStatus(
        await scx.post('/api/referrals', referral([], { unitId: e.ids.units['gov-cx'], bodyName: '曹县纪委监委' })),
        201,
      );
      expect(expectStatus(await c.supervisor.get('/api/referrals'), 200).map((x: any) => x.id)).toContain(own.id);
    });

    it('第二十三条 bad input answers 400, never 500', async () => {
      const e = env();
      const ok = referral([]);
      const bad = [
        { ...ok, conducts: ['nope'] },
        { ...ok, conducts: [] },
        { ...ok, conducts: ['inaction', 'inaction'] },
        { ...ok, subjectKind: 'staff' },
        { ...ok, facts: 'a\u0000b' },
        { ...ok, facts: '' },
        { ...ok, unitId: 2 ** 40 },
        { ...ok, unitId: 999_999 },
        { ...ok, ticketIds: [999_999] },
        { ...ok, ticketIds: ['1'] },
        { ...ok, complaintId: 999_999 },
        { ...ok, ticketNumbers: ['x'] },
        { ...ok, ticketNumbers: ['HZ20990101-000001'] },
        { ...ok, bodyName: 'x'.repeat(101) },
      ];
      for (const body of bad)
        expect((await c.supervisor.post('/api/referrals', body)).status, JSON.stringify(body)).toBe(400);
      for (const url of ['/api/referrals/abc', '/api/referrals/99999999999', '/api/referrals/0'])
        expect((await c.supervisor.get(url)).status).toBe(400);
      expect((await c.supervisor.get('/api/referrals/999999')).status).toBe(404);
      for (const q of ['status=x', 'conduct=x', 'from=2025-02-30', 'limit=0', 'unitId=-1'])
        expect((await c.supervisor.get(`/api/referrals?${q}`)).status, q).toBe(400);
      const { id } = expectStatus(await c.supervisor.post('/api/referrals', ok), 201);
      expect((await c.supervisor.post(`/api/referrals/${id}/accept`, { acceptedOn: '2025-13-01' })).status).toBe(400);
      expect((await c.supervisor.post(`/api/referrals/${id}/accept`, {})).status).toBe(400);
      // a staff member is named
      const staff = expectStatus(
        await c.supervisor.post('/api/referrals', { ...ok, subjectKind: 'staff', staff: '牡丹区某科室工作人员王某' }),
        201,
      );
      expect(expectStatus(await c.supervisor.get(`/api/referrals/${staff.id}`), 200).staff).toBe(
        '牡丹区某科室工作人员王某',
      );
      void e;
    });
  });

  describe('第九条 投诉办理', () => {
    // ---- 第九条 ---------------------------------------------------------------------------------------------------

    async function complaint(e: TestEnv, title: string, withPhone = true) {
      e.clock.set('2025-03-03T09:00:00+08:00');
      const t = await createTicket(e, c.agent, {
        title,
        requester: withPhone ? { name: '李建国', phone: '13905309999' } : { name: '李建国' },
      });
      expectStatus(
        await c.dispatcher.post(`/api/tickets/${t.id}/dispatch`, { leadUnitId: e.ids.units['gov-md'] }),
        200,
      );
      const res = await e.app.inject({
        method: 'POST',
        url: '/api/public/tracking/complaint',
        payload: {
          number: t.number,
          code: (t as any).trackingCode,
          content: '承办人员电话里态度粗暴',
          againstStaff: '王某',
        },
      });
      expect(res.statusCode).toBe(201);
      return { ticket: t, id: res.json().id as number };
    }

    it('第九条 a complaint is investigated, found, answered by SMS and closed; every step audited', async () => {
      const e = env();
      const { ticket, id } = await complaint(e, '投诉办理：短信答复');
      const before = expectStatus(await c.supervisor.get(`/api/staff-complaints/${id}`), 200);
      expect(before).toMatchObject({
        status: 'open',
        complainantPhone: '139****9999',
        allowedActions: ['investigate', 'escalate'],
      });
      expect(JSON.stringify(before)).not.toContain('13905309999');

      // out of order: refused
      expect((await c.supervisor.post(`/api/staff-complaints/${id}/reply`, { text: '已处理' })).status).toBe(409);
      expect((await c.supervisor.post(`/api/staff-complaints/${id}/close`, {})).status).toBe(409);
      // the investigator must be a supervisor
      expect(
        (
          await c.supervisor.post(`/api/staff-complaints/${id}/investigate`, {
            assigneeId: e.ids.users['handler_md'],
            note: '调取录音',
          })
        ).status,
      ).toBe(400);
      expectStatus(await c.supervisor.post(`/api/staff-complaints/${id}/investigate`, { note: '调取通话录音' }), 200);
      expectStatus(await c.supervisor.post(`/api/staff-complaints/${id}/notes`, { note: '录音显示语气生硬' }), 200);
      expect(
        (await c.supervisor.post(`/api/staff-complaints/${id}/conclude`, { finding: 'maybe', findingText: 'x' }))
          .status,
      ).toBe(400);
      expectStatus(
        await c.supervisor.post(`/api/staff-complaints/${id}/conclude`, {
          finding: 'partly_substantiated',
          findingText: '工作人员语气生硬，未挂断电话',
        }),
        200,
      );
      const replied = expectStatus(
        await c.supervisor.post(`/api/staff-complaints/${id}/reply`, {
          text: '经核实部分属实，已对相关人员批评教育。',
        }),
        200,
      );
      expect(replied.status).toBe('replied');
      const sms = await e.db
        .selectFrom('outbound_messages')
        .select(['body', 'to_enc', 'purpose'])
        .where('ticket_id', '=', ticket.id)
        .where('purpose', '=', 'complaint_reply')
        .execute();
      expect(sms).toHaveLength(1);
      expect(sms[0]!.body).toContain('已对相关人员批评教育');
      expect(e.cipher.decrypt(sms[0]!.to_enc)).toBe('13905309999');
      expectStatus(await c.supervisor.post(`/api/staff-complaints/${id}/close`, { note: '办结' }), 200);
      const after = expectStatus(await c.supervisor.get(`/api/staff-complaints/${id}`), 200);
      expect(after).toMatchObject({
        status: 'closed',
        finding: 'partly_substantiated',
        reply_sms: true,
        reply_text: '经核实部分属实，已对相关人员批评教育。',
      });
      expect(after.steps.map((s: any) => s.action)).toEqual(['investigate', 'note', 'conclude', 'reply', 'close']);
      const audit = await e.db
        .selectFrom('admin_audit')
        .select('action')
        .where('entity', '=', 'staff_complaint')
        .where('entity_id', '=', String(id))
        .orderBy('id')
        .execute();
      expect(audit.map((a) => a.action)).toEqual(['investigate', 'note', 'conclude', 'reply', 'close']);
      // the default list shows what is still being handled; closed ones on request
      expect(expectStatus(await c.supervisor.get('/api/staff-complaints'), 200).map((x: any) => x.id)).not.toContain(
        id,
      );
      expect(
        expectStatus(await c.supervisor.get('/api/staff-complaints?status=closed'), 200).map((x: any) => x.id),
      ).toContain(id);
      expect((await c.supervisor.get('/api/staff-complaints?status=bogus')).status).toBe(400);
      // units and other roles
      expect((await c.handlerMd.get(`/api/staff-complaints/${id}`)).status).toBe(403);
      expect((await c.handlerMd.post(`/api/staff-complaints/${id}/notes`, { note: 'x' })).status).toBe(403);
    });

    it('第九条 without a phone the reply is recorded, no SMS; an unfounded complaint cannot be escalated', async () => {
      const e = env();
      const { ticket, id } = await complaint(e, '投诉办理：无电话', false);
      expectStatus(await c.supervisor.post(`/api/staff-complaints/${id}/investigate`, { note: '核查' }), 200);
      expectStatus(
        await c.supervisor.post(`/api/staff-complaints/${id}/conclude`, {
          finding: 'unsubstantiated',
          findingText: '录音显示态度正常',
        }),
        200,
      );
      const d = expectStatus(await c.supervisor.get(`/api/staff-complaints/${id}`), 200);
      expect(d.allowedActions).toEqual(['reply']);
      expect(
        (await c.supervisor.post('/api/referrals', referral([], { complaintId: id, conducts: ['rude_conduct'] })))
          .status,
      ).toBe(409);
      const r = expectStatus(
        await c.supervisor.post(`/api/staff-complaints/${id}/reply`, { text: '经核实不属实' }),
        200,
      );
      expect(r.status).toBe('replied');
      const sms = await e.db
        .selectFrom('outbound_messages')
        .select('id')
        .where('ticket_id', '=', ticket.id)
        .where('purpose', '=', 'complaint_reply')
        .execute();
      expect(sms).toEqual([]);
      expect(expectStatus(await c.supervisor.get(`/api/staff-complaints/${id}`), 200).reply_sms).toBe(false);
    });

    it('第九条 第二十三条 a substantiated complaint escalates to a referral in one step', async () => {
      const e = env();
      const { ticket, id } = await complaint(e, '投诉升级移送');
      expectStatus(await c.supervisor.post(`/api/staff-complaints/${id}/investigate`, { note: '核查' }), 200);
      expectStatus(
        await c.supervisor.post(`/api/staff-complaints/${id}/conclude`, {
          finding: 'substantiated',
          findingText: '辱骂诉求人属实',
        }),
        200,
      );
      const ref = expectStatus(
        await c.supervisor.post(
          '/api/referrals',
          referral([], { complaintId: id, subjectKind: 'staff', staff: '王某', conducts: ['rude_negative_effect'] }),
        ),
        201,
      );
      const d = expectStatus(await c.supervisor.get(`/api/staff-complaints/${id}`), 200);
      expect(d).toMatchObject({ status: 'escalated', referral_id: ref.id, allowedActions: [] });
      const view = expectStatus(await c.supervisor.get(`/api/referrals/${ref.id}`), 200);
      expect(view.tickets.map((x: any) => x.id)).toEqual([ticket.id]); // the complaint's ticket is linked
      expect(view.complaint.id).toBe(id);
      // escalated once only
      expect((await c.supervisor.post('/api/referrals', referral([], { complaintId: id }))).status).toBe(409);
    });
  });
});

// The demo data of 工作人员投诉 and 问责移送 (main.ts after the demo history), on a database of its own.
describeEachDb('第二十三条 第九条 demo data', (env) => {
  it('writes complaints at each stage and referrals the screens can read, once', async () => {
    const e = env();
    const c = await loginAll(e);
    for (let i = 0; i < 3; i++) {
      e.clock.set('2025-03-03T09:00:00+08:00');
      const t = await createTicket(e, c.agent, { title: `演示工单${i}` });
      expectStatus(
        await c.dispatcher.post(`/api/tickets/${t.id}/dispatch`, { leadUnitId: e.ids.units['gov-md'] }),
        200,
      );
      expectStatus(await c.handlerMd.post(`/api/tickets/${t.id}/accept`, {}), 200);
      expectStatus(
        await c.handlerMd.post(`/api/tickets/${t.id}/contacts`, { method: 'phone', reached: true, note: '已联系' }),
        200,
      );
      e.clock.set('2025-03-17T09:00:00+08:00');
      await sweepDeadlines(e.db, e.clock);
      expectStatus(await c.handlerMd.post(`/api/tickets/${t.id}/reply`, { result: '已处理', solved: true }), 200);
      expectStatus(
        await c.callback.post(`/api/tickets/${t.id}/callback`, {
          satisfaction: 'unsatisfied',
          resolved: false,
          reasonable: false,
          outcome: 'close',
        }),
        200,
      );
    }
    e.clock.set('2025-05-20T09:00:00+08:00');
    expect(await seedDemoAccountability(e.db, e.clock.now())).toEqual({ skipped: false, referrals: 1 });
    expect((await seedDemoAccountability(e.db, e.clock.now())).skipped).toBe(true);
    const list = expectStatus(await c.supervisor.get('/api/referrals'), 200);
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ status: 'accepted', subject_kind: 'staff' });
    const view = expectStatus(await c.supervisor.get(`/api/referrals/${list[0].id}`), 200);
    expect(view.events.map((x: any) => x.action)).toEqual(['transferred', 'accept']);
    expect(view.complaint).not.toBeNull();
    expectStatus(await c.supervisor.get(`/api/referrals/${list[0].id}/evidence`), 200);
    const active = expectStatus(await c.supervisor.get('/api/staff-complaints'), 200);
    expect(active.map((x: any) => x.status).sort()).toEqual(['investigating', 'open']);
    const escalated = expectStatus(await c.supervisor.get('/api/staff-complaints?status=escalated'), 200);
    expect(escalated).toHaveLength(1);
    expect(
      expectStatus(await c.supervisor.get(`/api/staff-complaints/${escalated[0].id}`), 200).allowedActions,
    ).toEqual([]);
  });
});

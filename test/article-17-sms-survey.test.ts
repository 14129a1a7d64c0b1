import { beforeAll, expect, it } from 'vitest';
import { expectStatus } from './helpers/api.js';
import { dispatchedTicket, loginAll, PHONE, tokenFor, type Clients } from './helpers/factories.js';
import { describeEachDb, type TestEnv } from './helpers/test-env.js';
import { SURVEY_THANKS } from '../src/server/modules/public/sms-survey.service.js';

// 第九、十七条 短信回访: the reply notice asks the requester to answer with a digit; the answer, sent back through
// the SMS gateway, is the ticket's evaluation. Anything else stays a contact for the agents.
describeEachDb('第九、十七条 短信回访评价', (env, kind) => {
  let c: Clients;
  let gw: string;
  let n = 0;
  beforeAll(async () => {
    c = await loginAll(env());
    gw = await tokenFor(env(), c.admin, 'gateway');
  });

  const answer = async (text: string, from = PHONE) => {
    const res = await env().app.inject({
      method: 'POST',
      url: '/api/channels/sms/inbound',
      headers: { authorization: `Bearer ${gw}` },
      payload: {
        messageId: `survey-${++n}-${Date.now()}`,
        from,
        to: '106512345',
        text,
        receivedAt: env().clock.now().toISOString(),
      },
    });
    expect(res.statusCode).toBe(201);
    return res.json() as { contactId: number; survey: null | { ticketNumber: string; satisfaction: string } };
  };
  async function replied(e: TestEnv, phone = PHONE) {
    e.clock.set('2025-04-07T09:00:00+08:00');
    const id = await dispatchedTicket(e, c, 'gov-md', { requester: { name: '王建国', phone } });
    expectStatus(await c.handlerMd.post(`/api/tickets/${id}/accept`, {}), 200);
    expectStatus(
      await c.handlerMd.post(`/api/tickets/${id}/contacts`, { method: 'phone', reached: true, note: '已联系' }),
      200,
    );
    expectStatus(await c.handlerMd.post(`/api/tickets/${id}/reply`, { result: '路灯已更换', solved: true }), 200);
    e.clock.advanceHours(2);
    return id;
  }
  const sms = (e: TestEnv, ticketId: number, purpose: string) =>
    e.db
      .selectFrom('outbound_messages')
      .select(['body', 'to_enc'])
      .where('ticket_id', '=', ticketId)
      .where('purpose', '=', purpose)
      .execute();

  it('the reply notice asks for a digit; "1" becomes the evaluation, the contact is closed and thanked', async () => {
    const e = env();
    const id = await replied(e, '13905307001');
    const [notice] = await sms(e, id, 'reply_notice');
    expect(notice!.body).toContain('1满意，2基本满意，3不满意');
    expect(e.cipher.decrypt(notice!.to_enc)).toBe('13905307001');

    const r = await answer('１', '13905307001'); // full-width, as some input methods send it
    const v = expectStatus(await c.callback.get(`/api/tickets/${id}`), 200);
    expect(r.survey).toEqual({ ticketNumber: v.number, satisfaction: 'satisfied' });
    expect(v.evaluation).toMatchObject({ satisfaction: 'satisfied', via: 'sms' });
    expect(v.events.filter((x: any) => x.kind === 'requester_evaluated').map((x: any) => x.data)).toEqual([
      { satisfaction: 'satisfied', via: 'sms', contactId: r.contactId },
    ]);
    const contact = await e.db
      .selectFrom('contacts')
      .selectAll()
      .where('id', '=', r.contactId)
      .executeTakeFirstOrThrow();
    expect(contact).toMatchObject({
      status: 'disposed',
      disposition: 'answered',
      ticket_id: id,
      reply_text: SURVEY_THANKS,
    });
    expect((await sms(e, id, 'survey_ack')).map((m) => m.body)).toEqual([`【菏泽12345】${SURVEY_THANKS}`]);
    // not in the agents' inbox
    const inbox = expectStatus(await c.agent.get('/api/contacts?limit=200'), 200);
    expect(inbox.items.map((x: any) => x.id)).not.toContain(r.contactId);

    // the portal no longer offers a second evaluation, and a second digit is an ordinary message
    const again = await answer('3', '13905307001');
    expect(again.survey).toBeNull();
    expect(
      (await e.db.selectFrom('contacts').select('status').where('id', '=', again.contactId).executeTakeFirstOrThrow())
        .status,
    ).toBe('new');
    // the agent who opens that one sees the earlier answer in the history as a survey answer, not an agent's reply
    const pop = expectStatus(await c.agent.get(`/api/contacts/${again.contactId}/screen-pop`), 200);
    expect(pop.history.contacts.find((x: any) => x.id === r.contactId)).toMatchObject({
      disposition: 'answered',
      surveyAnswer: true,
    });
  });

  it('words count too, anything longer goes to an agent, and an answer after the survey window is an ordinary message', async () => {
    const e = env();
    const id = await replied(e, '13905307002');
    const long = await answer('不满意，路灯还是不亮', '13905307002');
    expect(long.survey).toBeNull(); // a person must read this one
    const r = await answer('不满意', '13905307002');
    expect(r.survey).toMatchObject({ satisfaction: 'unsatisfied' });
    // the callback agent sees it and starts from it (第十七条)
    const v = expectStatus(await c.callback.get(`/api/tickets/${id}`), 200);
    expect(v.evaluation.satisfaction).toBe('unsatisfied');

    const late = await replied(e, '13905307003');
    e.clock.advanceHours(8 * 24);
    expect((await answer('1', '13905307003')).survey).toBeNull();
    expect(expectStatus(await c.callback.get(`/api/tickets/${late}`), 200).evaluation).toBeNull();
  });

  it('two replied tickets: the answer goes to the newest survey; a portal evaluation ends the SMS survey', async () => {
    const e = env();
    const phone = '13905307004';
    const first = await replied(e, phone);
    e.clock.set('2025-04-08T09:00:00+08:00');
    const second = await dispatchedTicket(e, c, 'gov-md', { requester: { phone }, title: '和平路井盖缺失' });
    expectStatus(await c.handlerMd.post(`/api/tickets/${second}/accept`, {}), 200);
    expectStatus(
      await c.handlerMd.post(`/api/tickets/${second}/contacts`, { method: 'phone', reached: true, note: '已联系' }),
      200,
    );
    expectStatus(await c.handlerMd.post(`/api/tickets/${second}/reply`, { result: '井盖已补装', solved: true }), 200);
    const r = await answer('2', phone);
    const secondNumber = expectStatus(await c.callback.get(`/api/tickets/${second}`), 200).number;
    expect(r.survey).toMatchObject({ ticketNumber: secondNumber, satisfaction: 'basically_satisfied' });
    expect(expectStatus(await c.callback.get(`/api/tickets/${first}`), 200).evaluation).toBeNull();

    // the first ticket is then evaluated on the portal: its survey stops asking, so "3" finds nothing open
    const code = await e.db
      .selectFrom('outbound_messages')
      .select('body')
      .where('ticket_id', '=', first)
      .where('purpose', '=', 'receipt')
      .executeTakeFirstOrThrow();
    const trackingCode = /查询码([A-Z0-9]+)/.exec(code.body)![1]!;
    const num = expectStatus(await c.callback.get(`/api/tickets/${first}`), 200).number;
    const portal = await e.app.inject({
      method: 'POST',
      url: '/api/public/tracking/evaluate',
      payload: { number: num, code: trackingCode, satisfaction: 'satisfied' },
    });
    expect(portal.statusCode).toBe(200);
    expect((await answer('3', phone)).survey).toBeNull();
    expect(expectStatus(await c.callback.get(`/api/tickets/${first}`), 200).evaluation).toMatchObject({
      satisfaction: 'satisfied',
      via: 'portal',
    });
  });

  it('merged matter: every requester is asked; the first answer is the evaluation and ends the others’ surveys', async () => {
    const e = env();
    e.clock.set('2025-04-09T09:00:00+08:00');
    const id = await dispatchedTicket(e, c, 'gov-md', { requester: { phone: '13905307005' } });
    await e.db
      .insertInto('ticket_requesters')
      .values({
        ticket_id: id,
        requester_id: (
          await e.db
            .insertInto('requesters')
            .values({
              phone_enc: e.cipher.encrypt('13905307006'),
              phone_hash: e.cipher.phoneHash('13905307006'),
              created_at: e.clock.now(),
            })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id,
        added_at: e.clock.now(),
      })
      .execute();
    expectStatus(await c.handlerMd.post(`/api/tickets/${id}/accept`, {}), 200);
    expectStatus(
      await c.handlerMd.post(`/api/tickets/${id}/contacts`, { method: 'phone', reached: true, note: '已联系' }),
      200,
    );
    expectStatus(await c.handlerMd.post(`/api/tickets/${id}/reply`, { result: '已处理', solved: true }), 200);
    expect(await e.db.selectFrom('sms_surveys').select('status').where('ticket_id', '=', id).execute()).toHaveLength(2);
    expect((await answer('1', '13905307005')).survey).toMatchObject({ satisfaction: 'satisfied' });
    // one evaluation per matter, as on the portal: the other requester's "3" is an ordinary message for an agent
    const other = await answer('3', '13905307006');
    expect(other.survey).toBeNull();
    expect(
      (await e.db.selectFrom('contacts').select('status').where('id', '=', other.contactId).executeTakeFirstOrThrow())
        .status,
    ).toBe('new');
    const surveys = await e.db
      .selectFrom('sms_surveys')
      .select('status')
      .where('ticket_id', '=', id)
      .orderBy('id')
      .execute();
    expect(surveys.map((s) => s.status)).toEqual(['answered', 'superseded']);
  });

  it('a rework’s second reply asks again and only the new survey counts; answering never raises an abuse flag', async () => {
    const e = env();
    const phone = '13905307007';
    const id = await replied(e, phone);
    expectStatus(
      await c.callback.post(`/api/tickets/${id}/callback`, {
        satisfaction: 'unsatisfied',
        resolved: false,
        reasonable: true,
        outcome: 'rework',
        note: '仍未修好',
      }),
      200,
    );
    expectStatus(
      await c.handlerMd.post(`/api/tickets/${id}/reply`, { result: '已再次维修，现已正常', solved: true }),
      200,
    );
    const surveys = await e.db
      .selectFrom('sms_surveys')
      .select('status')
      .where('ticket_id', '=', id)
      .orderBy('id')
      .execute();
    expect(surveys.map((s) => s.status)).toEqual(['superseded', 'open']);
    expect((await answer('1', phone)).survey).toMatchObject({ satisfaction: 'satisfied' });
    for (let i = 0; i < 4; i++) await answer('1', phone);
    const requester = await e.db
      .selectFrom('requesters')
      .select('id')
      .where('phone_hash', '=', e.cipher.phoneHash(phone))
      .executeTakeFirstOrThrow();
    expect(
      await e.db.selectFrom('requester_flags').select('id').where('requester_id', '=', requester.id).execute(),
    ).toHaveLength(0);
  });

  it('an SMS answer and a portal evaluation at the same moment: one evaluation, no error', async () => {
    if (kind !== 'postgres') return; // PGlite has one connection, so nothing runs at the same moment
    const e = env();
    for (let round = 0; round < 5; round++) {
      const phone = `1390530710${round}`;
      const id = await replied(e, phone);
      const receipt = await e.db
        .selectFrom('outbound_messages')
        .select('body')
        .where('ticket_id', '=', id)
        .where('purpose', '=', 'receipt')
        .executeTakeFirstOrThrow();
      const code = /查询码([A-Z0-9]+)/.exec(receipt.body)![1]!;
      const number = expectStatus(await c.callback.get(`/api/tickets/${id}`), 200).number;
      const [portal, viaSms] = await Promise.all([
        e.app.inject({
          method: 'POST',
          url: '/api/public/tracking/evaluate',
          payload: { number, code, satisfaction: 'basically_satisfied' },
        }),
        answer('1', phone),
      ]);
      expect([200, 409]).toContain(portal.statusCode);
      expect(portal.statusCode === 200).toBe(viaSms.survey === null); // exactly one of them won
      expect(await e.db.selectFrom('evaluations').select('id').where('ticket_id', '=', id).execute()).toHaveLength(1);
    }
  });
});

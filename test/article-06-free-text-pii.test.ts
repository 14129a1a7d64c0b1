import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import { expectStatus } from './helpers/api.js';
import { form, partnerKey, streetLamp } from './fixtures/open311/support.js';
import { remaskStoredText } from '../src/server/ops/pii-text-remask.js';
import { loginAll, tokenFor, type Clients } from './helpers/factories.js';
import { describeEachDb, type TestEnv } from './helpers/test-env.js';
import { searchTokens } from '../src/server/domain/text-tokens.js';

// 第六条: a caller's words often carry numbers that identify people. They are masked in what is stored in clear,
// searched and shown; the original is kept only encrypted and comes back only through the audited reveal.
describeEachDb('第六条 自由文本中的个人信息', (env) => {
  let c: Clients;
  let gw: string;
  beforeAll(async () => {
    c = await loginAll(env());
    gw = await tokenFor(env(), c.admin, 'gateway');
  });

  const MESSAGE = '和平路井盖丢了，我不方便接电话，请联系我邻居王大姐13905308888，她身份证372901198807151234可以作证。';
  const MASKED = '和平路井盖丢了，我不方便接电话，请联系我邻居王大姐139****8888，她身份证3729**********1234可以作证。';

  it('an SMS is stored masked, the original encrypted; the ticket made from it too; only the audited reveal shows the numbers', async () => {
    const e = env();
    const inbound = await e.app.inject({
      method: 'POST',
      url: '/api/channels/sms/inbound',
      headers: { authorization: `Bearer ${gw}` },
      payload: {
        messageId: 'pii-text-1',
        from: '13705300001',
        to: '106512345',
        text: MESSAGE,
        receivedAt: '2025-05-06T10:00:00+08:00',
      },
    });
    expect(inbound.statusCode).toBe(201);
    const contactId = inbound.json().contactId as number;
    const row = await e.db
      .selectFrom('contacts')
      .select(['content', 'content_enc'])
      .where('id', '=', contactId)
      .executeTakeFirstOrThrow();
    expect(row.content).toBe(MASKED);
    expect(row.content_enc).not.toContain('13905308888');
    expect(e.cipher.decrypt(row.content_enc)).toBe(MESSAGE);
    // the agent's screen shows the masked words
    const pop = expectStatus(await c.agent.get(`/api/contacts/${contactId}/screen-pop`), 200);
    expect(JSON.stringify(pop)).not.toContain('13905308888');
    expect(pop.contact.content).toBe(MASKED);

    // the agent may reveal the contact itself (the caller's number, the words as written), audited with the contact
    expect(pop.contact.textMasked).toBe(true);
    expect((await c.handlerMd.post(`/api/contacts/${contactId}/reveal`, { purpose: '核实' })).status).toBe(403);
    expect((await c.agent.post(`/api/contacts/${contactId}/reveal`, {})).status).toBe(400); // a purpose is required
    const shown = expectStatus(
      await c.agent.post(`/api/contacts/${contactId}/reveal`, { purpose: '需联系诉求人所说的邻居' }),
      200,
    );
    expect(shown).toEqual({ name: null, phone: '13705300001', address: null, originalMessage: MESSAGE });
    const logged = await e.db
      .selectFrom('pii_access_log')
      .select(['contact_id', 'ticket_id', 'fields', 'purpose'])
      .where('contact_id', '=', contactId)
      .execute();
    expect(logged).toEqual([
      {
        contact_id: contactId,
        ticket_id: null,
        fields: ['name', 'phone', 'message'],
        purpose: '需联系诉求人所说的邻居',
      },
    ]);
    expectStatus(await c.agent.post('/api/contacts/99999999/reveal', { purpose: '核实' }), 404);

    // the agent dispatches it, keeping the message as the ticket's text and typing a number into the title
    const d = expectStatus(
      await c.agent.post(`/api/contacts/${contactId}/disposition`, {
        disposition: 'dispatched',
        requestType: 'complaint',
        categoryId: e.ids.categories['CX-SZ'],
        regionCode: '371702001',
        title: '和平路井盖丢失（联系人 0530-5558888）',
      }),
      200,
    );
    const ticket = await e.db
      .selectFrom('tickets')
      .select(['title', 'content', sql<string[]>`tsvector_to_array(search_vector)`.as('words'), 'original_enc'])
      .where('id', '=', d.ticketId)
      .executeTakeFirstOrThrow();
    expect(ticket.title).toBe('和平路井盖丢失（联系人 0530-*****88）');
    expect(ticket.content).toBe(MASKED);
    for (const digits of ['13905308888', '5558888', '372901198807151234']) {
      expect(ticket.words.join(' ')).not.toContain(digits);
    }
    expect(JSON.parse(e.cipher.decrypt(ticket.original_enc)!)).toEqual({
      title: '和平路井盖丢失（联系人 0530-5558888）',
      content: MASKED,
    });

    // views, queues and search show the masked text and say so
    expectStatus(
      await c.dispatcher.post(`/api/tickets/${d.ticketId}/dispatch`, { leadUnitId: e.ids.units['gov-md'] }),
      200,
    );
    const view = expectStatus(await c.handlerMd.get(`/api/tickets/${d.ticketId}`), 200);
    expect(view.textMasked).toBe(true);
    const queue = expectStatus(await c.handlerMd.get('/api/tickets?view=lead&limit=50'), 200);
    const found = expectStatus(await c.dispatcher.post('/api/tickets/search', { q: '井盖 作证' }), 200);
    for (const body of [view, queue, found]) {
      const json = JSON.stringify(body);
      for (const clear of ['13905308888', '5558888', '372901198807151234']) expect(json).not.toContain(clear);
    }
    expect(found.items.map((x: any) => x.id)).toContain(d.ticketId);

    // the handling unit needs to call the neighbour: the reveal shows the original words, and is audited
    const clear = expectStatus(
      await c.handlerMd.post(`/api/tickets/${d.ticketId}/requester/reveal`, { purpose: '联系诉求人所说的邻居核实' }),
      200,
    );
    expect(clear.originalText).toEqual({ title: '和平路井盖丢失（联系人 0530-5558888）', content: MASKED });
    expect(clear.originalMessage).toBe(MESSAGE);
    const audit = await e.db
      .selectFrom('pii_access_log')
      .select(['fields', 'purpose'])
      .where('ticket_id', '=', d.ticketId)
      .execute();
    expect(audit).toEqual([
      { fields: ['name', 'phone', 'address', 'text', 'message'], purpose: '联系诉求人所说的邻居核实' },
    ]);
  });

  it('an agent’s call record and a ticket typed by an agent are masked the same way', async () => {
    const e = env();
    // a ringing call as the CTI webhook leaves it: no text until the agent writes the call record
    const ring = await e.db
      .insertInto('contacts')
      .values({ channel: 'phone', external_id: 'pii-call-1', received_at: e.clock.now(), content: '', meta: '{}' })
      .returning('id')
      .executeTakeFirstOrThrow();
    expectStatus(
      await c.agent.post(`/api/contacts/${ring.id}/disposition`, {
        disposition: 'answered',
        answer: '已告知办理渠道',
        callRecord: '来电人咨询工资卡6222021234567890被冻结怎么办',
      }),
      200,
    );
    const rec = await e.db
      .selectFrom('contacts')
      .select(['content', 'content_enc'])
      .where('id', '=', ring.id)
      .executeTakeFirstOrThrow();
    expect(rec.content).toBe('来电人咨询工资卡************7890被冻结怎么办');
    expect(e.cipher.decrypt(rec.content_enc)).toBe('来电人咨询工资卡6222021234567890被冻结怎么办');

    const t = expectStatus(
      await c.agent.post('/api/tickets', {
        requestType: 'help',
        categoryId: e.ids.categories['CX-SZ'],
        urgency: 'normal',
        regionCode: '371702001',
        title: '小区路灯不亮',
        content: '路灯坏了，物业电话0530-5551234没人接',
        requester: { phone: '13705300003' },
      }),
      201,
    );
    const v = expectStatus(await c.agent.get(`/api/tickets/${t.id}`), 200);
    expect(v.content).toBe('路灯坏了，物业电话0530-*****34没人接');
    expect(v.textMasked).toBe(true);
    // text without such numbers is stored as written, with nothing encrypted beside it
    const plain = expectStatus(
      await c.agent.post('/api/tickets', {
        requestType: 'help',
        categoryId: e.ids.categories['CX-SZ'],
        urgency: 'normal',
        regionCode: '371702001',
        title: '和平路128号门前积水',
        content: '和平路128号3单元门前下雨积水，请尽快疏通。',
        requester: { phone: '13705300004' },
      }),
      201,
    );
    const row = await e.db
      .selectFrom('tickets')
      .select(['content', 'original_enc'])
      .where('id', '=', plain.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ content: '和平路128号3单元门前下雨积水，请尽快疏通。', original_enc: null });
    expect(expectStatus(await c.agent.get(`/api/tickets/${plain.id}`), 200).textMasked).toBe(false);
  });

  it('names and household addresses: the requester’s own name and a name introduced as one, a door down to the room — masked in what is stored, searched, shown and published; the reveal gives them back', async () => {
    const e = env();
    const said = '我叫赵铁柱，住幸福小区3号楼2单元501室，赵铁柱家暖气一直不热，联系人：钱秀兰。';
    const masked = '我叫赵**，住幸福小区*号楼*单元***室，赵**家暖气一直不热，联系人：钱**。';
    const t = expectStatus(
      await c.agent.post('/api/tickets', {
        requestType: 'complaint',
        categoryId: e.ids.categories['CX-GN'],
        urgency: 'normal',
        regionCode: '371702001',
        title: '赵铁柱家暖气不热',
        content: said,
        requester: { name: '赵铁柱', phone: '13705300011' },
      }),
      201,
    );
    const row = await e.db
      .selectFrom('tickets')
      .select(['title', 'content', 'original_enc', sql<string[]>`tsvector_to_array(search_vector)`.as('words')])
      .where('id', '=', t.id)
      .executeTakeFirstOrThrow();
    expect(row.title).toBe('赵**家暖气不热');
    expect(row.content).toBe(masked);
    expect(JSON.parse(e.cipher.decrypt(row.original_enc)!)).toEqual({ title: '赵铁柱家暖气不热', content: said });
    for (const clear of ['铁柱', '秀兰', '501']) expect(row.words.join(' ')).not.toContain(clear);
    // the road, the compound and the building stay: a unit must find the place
    expect(row.words.join(' ')).toContain('幸福');
    const view = expectStatus(await c.agent.get(`/api/tickets/${t.id}`), 200);
    expect(view.textMasked).toBe(true);
    expect(JSON.stringify(view)).not.toMatch(/铁柱|秀兰|501/);
    const clear = expectStatus(
      await c.agent.post(`/api/tickets/${t.id}/requester/reveal`, { purpose: '上门核实需要门牌号' }),
      200,
    );
    expect(clear.originalText).toEqual({ title: '赵铁柱家暖气不热', content: said });
    expect(await e.db.selectFrom('pii_access_log').select(['fields']).where('ticket_id', '=', t.id).execute()).toEqual([
      { fields: ['name', 'phone', 'address', 'text'] },
    ]);

    // Open311: the partner's request names its sender; what the public reads back names no one
    const key = await partnerKey(e);
    const posted = await e.app.inject({
      method: 'POST',
      url: '/open311/v2/requests.json',
      payload: form({
        ...streetLamp,
        api_key: key,
        description: '张秀英反映：和平路5栋1202门口路灯不亮，本人张秀英每晚下班都经过。',
      }),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(posted.statusCode).toBe(200);
    const [created] = JSON.parse(posted.body);
    const [pub] = JSON.parse(
      (await e.app.inject({ method: 'GET', url: `/open311/v2/requests/${created.service_request_id}.json` })).body,
    );
    expect(pub.description).toContain('张**反映：和平路*栋****门口路灯不亮，本人张**每晚下班都经过。');
    expect(JSON.stringify(pub)).not.toMatch(/秀英|1202/);

    // an agent's call record: the caller's name, known from the requester, is masked as the agent wrote it
    const requester = await insertRequester(e, '孙德胜', '13705300012');
    const ring = await e.db
      .insertInto('contacts')
      .values({
        channel: 'phone',
        external_id: 'pii-call-names',
        received_at: e.clock.now(),
        content: '',
        meta: '{}',
        requester_id: requester.id,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const d = expectStatus(
      await c.agent.post(`/api/contacts/${ring.id}/disposition`, {
        disposition: 'dispatched',
        requestType: 'help',
        categoryId: e.ids.categories['CX-SZ'],
        regionCode: '371702001',
        title: '孙德胜家门口井盖丢失',
        callRecord: '孙德胜来电，李庄村3组15号门口井盖丢了，孙德胜说已经一周了。',
      }),
      200,
    );
    const rec = await e.db
      .selectFrom('contacts')
      .select(['content', 'content_enc'])
      .where('id', '=', ring.id)
      .executeTakeFirstOrThrow();
    expect(rec.content).toBe('孙**来电，李庄村*组**号门口井盖丢了，孙**说已经一周了。');
    expect(e.cipher.decrypt(rec.content_enc)).toBe('孙德胜来电，李庄村3组15号门口井盖丢了，孙德胜说已经一周了。');
    const ticket = expectStatus(await c.agent.get(`/api/tickets/${d.ticketId}`), 200);
    expect(ticket.title).toBe('孙**家门口井盖丢失');
    expect(ticket.content).toBe(rec.content);
  });

  it('texts stored before names and doors were masked are masked once by npm run pii:mask-text: originals kept, search words rewritten, audited, idempotent', async () => {
    const e = env();
    const requester = await insertRequester(e, '周大海', '13705300021');
    // written as intake stored them before: the clear text, its search words, no original kept
    const t = await createTicketWith(e, c, requester.id, '周大海家楼道漏水', '周大海反映幸福小区5栋1202楼上漏水。');
    // one stored with a number masked already: its original (the caller's words) is kept as it is
    const withNumber = await createTicketWith(e, c, null, '楼道灯不亮', '联系人：钱秀兰，电话13905309999。');
    const numberOriginal = (
      await e.db.selectFrom('tickets').select('original_enc').where('id', '=', withNumber).executeTakeFirstOrThrow()
    ).original_enc;
    await e.db
      .updateTable('tickets')
      .set({ content: '联系人：钱秀兰，电话139****9999。' })
      .where('id', '=', withNumber)
      .execute();
    const contact = await e.db
      .insertInto('contacts')
      .values({
        channel: 'sms',
        external_id: 'remask-1',
        received_at: e.clock.now(),
        content: '我叫周大海，住3号楼2单元501室',
        meta: '{}',
        requester_id: requester.id,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const words = async (id: number) =>
      (
        await e.db
          .selectFrom('tickets')
          .select(sql<string[]>`tsvector_to_array(search_vector)`.as('w'))
          .where('id', '=', id)
          .executeTakeFirstOrThrow()
      ).w.join(' ');
    expect(await words(t)).toContain('大海');

    const dry = await remaskStoredText(e.db, e.cipher, e.clock, { dryRun: true });
    expect(dry.tickets.masked).toBeGreaterThanOrEqual(2);
    expect((await e.db.selectFrom('tickets').select('title').where('id', '=', t).executeTakeFirstOrThrow()).title).toBe(
      '周大海家楼道漏水',
    );

    const first = await remaskStoredText(e.db, e.cipher, e.clock, { batch: 2 });
    expect(first.tickets.masked).toBe(dry.tickets.masked);
    const row = await e.db
      .selectFrom('tickets')
      .select(['title', 'content', 'original_enc'])
      .where('id', '=', t)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ title: '周**家楼道漏水', content: '周**反映幸福小区*栋****楼上漏水。' });
    expect(JSON.parse(e.cipher.decrypt(row.original_enc)!)).toEqual({
      title: '周大海家楼道漏水',
      content: '周大海反映幸福小区5栋1202楼上漏水。',
    });
    expect(await words(t)).not.toMatch(/大海|1202/);
    expect(await words(t)).toContain('幸福');
    const numbered = await e.db
      .selectFrom('tickets')
      .select(['content', 'original_enc'])
      .where('id', '=', withNumber)
      .executeTakeFirstOrThrow();
    expect(numbered).toEqual({ content: '联系人：钱**，电话139****9999。', original_enc: numberOriginal });
    const c2 = await e.db
      .selectFrom('contacts')
      .select(['content', 'content_enc'])
      .where('id', '=', contact.id)
      .executeTakeFirstOrThrow();
    expect(c2.content).toBe('我叫周**，住*号楼*单元***室');
    expect(e.cipher.decrypt(c2.content_enc)).toBe('我叫周大海，住3号楼2单元501室');
    // the audit says which rows and how many, never the text
    const audits = await e.db
      .selectFrom('admin_audit')
      .select(['entity_id', 'after'])
      .where('entity', '=', 'pii_text')
      .execute();
    expect(audits.length).toBeGreaterThan(0);
    expect(JSON.stringify(audits)).not.toMatch(/大海|秀兰/);

    const again = await remaskStoredText(e.db, e.cipher, e.clock);
    expect(again.tickets.masked + again.contacts.masked).toBe(0);
  });
});

/** A ticket as intake wrote it before names were masked: the text in clear and its search words. */
async function createTicketWith(
  e: TestEnv,
  c: Clients,
  requesterId: number | null,
  title: string,
  content: string,
): Promise<number> {
  const made = expectStatus(
    await c.agent.post('/api/tickets', {
      requestType: 'complaint',
      categoryId: e.ids.categories['CX-WY'],
      urgency: 'normal',
      regionCode: '371702001',
      title: '占位',
      content: '占位内容',
      requester: { phone: '13705300099' },
    }),
    201,
  );
  await e.db
    .updateTable('tickets')
    .set({
      title,
      content,
      requester_id: requesterId,
      original_enc: /\d{11}/.test(content) ? e.cipher.encrypt(JSON.stringify({ title, content })) : null,
      search_vector: sql<string>`to_tsvector('simple', ${searchTokens(title, content)}::text)`,
    })
    .where('id', '=', made.id)
    .execute();
  return made.id as number;
}

/** A requester as intake stores one: name and phone encrypted, the phone's keyed hash for look-ups. */
function insertRequester(e: TestEnv, name: string, phone: string) {
  return e.db
    .insertInto('requesters')
    .values({
      name_enc: e.cipher.encrypt(name),
      phone_enc: e.cipher.encrypt(phone),
      phone_hash: e.cipher.phoneHash(phone),
      key_version: e.cipher.currentVersion,
      created_at: e.clock.now(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
}

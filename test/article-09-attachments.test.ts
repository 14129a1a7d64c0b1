import { readdirSync, statSync } from 'node:fs';
import { beforeAll, expect, it } from 'vitest';
import { expectStatus } from './helpers/api.js';
import { loginAll, type Clients } from './helpers/factories.js';
import { describeEachDb } from './helpers/test-env.js';

// A 1×1 PNG and the first bytes of an MP3 with an ID3 header: real magic numbers, as sniffing needs.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);
const MP3 = Buffer.concat([Buffer.from('ID3'), Buffer.from([3, 0, 0, 0, 0, 0, 0]), Buffer.alloc(64, 0xff)]);

describeEachDb('第九条 语音、图片、视频等形式 attachments', (env) => {
  let c: Clients;
  beforeAll(async () => {
    c = await loginAll(env());
  });

  const filesUnder = (dir: string): number =>
    readdirSync(dir, { recursive: true }).filter((f) => statSync(`${dir}/${String(f)}`).isFile()).length;

  it('stores pictures and voice sniffed from their bytes, served only to those who may see the ticket', async () => {
    const e = env();
    const rec = await e.services.contacts.record({
      channel: 'wechat',
      externalId: `att-${Date.now()}`,
      requester: { wechatOpenId: 'o6_bmjrPTlm6_2sgVt7hMZOPfL2M' },
      content: '小区门口垃圾堆积，见图',
      files: [
        { data: PNG, name: '现场.jpg' },
        { data: MP3, name: 'voice.amr' },
      ],
    });
    const atts = await e.db
      .selectFrom('attachments')
      .selectAll()
      .where('contact_id', '=', rec.id)
      .orderBy('id')
      .execute();
    expect(atts.map((a) => [a.kind, a.mime])).toEqual([
      ['image', 'image/png'],
      ['audio', 'audio/mpeg'],
    ]); // the name said .jpg; the bytes say PNG

    // before a ticket exists only centre staff may fetch it
    expect((await c.agent.get(`/api/attachments/${atts[0]!.id}`)).status).toBe(200);
    expect((await c.handlerMd.get(`/api/attachments/${atts[0]!.id}`)).status).toBe(404);

    const d = expectStatus(
      await c.agent.post(`/api/contacts/${rec.id}/disposition`, {
        disposition: 'dispatched',
        requestType: 'complaint',
        categoryId: e.ids.categories['HB-LJ'],
        regionCode: '371702001',
        title: '小区门口垃圾堆积',
      }),
      200,
    );
    expectStatus(
      await c.dispatcher.post(`/api/tickets/${d.ticketId}/dispatch`, { leadUnitId: e.ids.units['gov-md'] }),
      200,
    );
    const img = await e.app.inject({
      method: 'GET',
      url: `/api/attachments/${atts[0]!.id}`,
      headers: { cookie: await cookieOf(e, 'handler_md') },
    });
    expect(img.statusCode).toBe(200);
    expect(img.headers['content-type']).toBe('image/png');
    expect(img.rawPayload.equals(PNG)).toBe(true);
    expect((await c.handlerDc.get(`/api/attachments/${atts[0]!.id}`)).status).toBe(404);
    expect(img.headers['content-disposition']).toBe(`inline; filename*=UTF-8''${encodeURIComponent('现场.jpg')}`);

    // the screens list them: the agent's screen pop for the contact, the unit's ticket view
    const pop = expectStatus(await c.agent.get(`/api/contacts/${rec.id}/screen-pop`), 200);
    expect(pop.contact.attachments.map((a: any) => [a.id, a.kind, a.mime, a.name])).toEqual([
      [atts[0]!.id, 'image', 'image/png', '现场.jpg'],
      [atts[1]!.id, 'audio', 'audio/mpeg', 'voice.amr'],
    ]);
    const view = expectStatus(await c.handlerMd.get(`/api/tickets/${d.ticketId}`), 200);
    expect(view.attachments.map((a: any) => [a.id, a.kind, a.size])).toEqual([
      [atts[0]!.id, 'image', PNG.length],
      [atts[1]!.id, 'audio', MP3.length],
    ]);

    // a repeat caller's new picture, on a contact linked to the ticket, is part of the matter too
    const again = await e.services.contacts.record({
      channel: 'wechat',
      externalId: `att-again-${Date.now()}`,
      requester: { wechatOpenId: 'o6_bmjrPTlm6_2sgVt7hMZOPfL2M' },
      content: '又堆了，再拍一张',
      files: [{ data: PNG, name: '第二张.png' }],
    });
    expectStatus(
      await c.agent.post(`/api/contacts/${again.id}/disposition`, { disposition: 'repeat', ticketId: d.ticketId }),
      200,
    );
    const after = expectStatus(await c.handlerMd.get(`/api/tickets/${d.ticketId}`), 200);
    expect(after.attachments.map((a: any) => a.name)).toEqual(['现场.jpg', 'voice.amr', '第二张.png']);
    expect(after.attachments[2].contactId).toBe(again.id);
    expect((await c.handlerMd.get(`/api/attachments/${after.attachments[2].id}`)).status).toBe(200);
  });

  it('refuses a text file dressed as a picture, an empty file and an oversized picture — and writes nothing', async () => {
    const e = env();
    const dir = (e.services.storage as unknown as { root: string }).root;
    const before = {
      contacts: (await e.db.selectFrom('contacts').select('id').execute()).length,
      files: filesUnder(dir),
    };
    const attempts = [
      { data: Buffer.from('这不是图片'), name: 'photo.jpg' },
      { data: Buffer.alloc(0), name: 'empty.png' },
      { data: Buffer.concat([PNG, Buffer.alloc(11 * 1024 * 1024)]), name: 'huge.png' },
    ];
    for (const f of attempts) {
      await expect(
        e.services.contacts.record({ channel: 'web', content: '反映问题', files: [{ data: PNG, name: 'ok.png' }, f] }),
      ).rejects.toMatchObject({ code: 'bad_request' });
    }
    expect((await e.db.selectFrom('contacts').select('id').execute()).length).toBe(before.contacts);
    expect(filesUnder(dir)).toBe(before.files);
  });
});

async function cookieOf(e: ReturnType<Parameters<Parameters<typeof describeEachDb>[1]>[0]>, username: string) {
  const res = await e.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username, password: 'Heze12345!' },
  });
  return String(res.headers['set-cookie']).split(';')[0]!;
}

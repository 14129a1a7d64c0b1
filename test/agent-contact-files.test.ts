import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import { ApiClient, expectStatus } from './helpers/api.js';
import { describeEachDb, type TestEnv } from './helpers/test-env.js';

// A real 1×1 PNG, and a text file that only claims to be a picture.
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
const TEXT_AS_JPG = Buffer.from('这不是图片，只是一个改了扩展名的文本文件。').toString('base64');

async function counts(e: TestEnv) {
  return (
    await sql<{ contacts: number; attachments: number }>`SELECT (SELECT count(*)::int FROM contacts) AS contacts,
    (SELECT count(*)::int FROM attachments) AS attachments`.execute(e.db)
  ).rows[0]!;
}

describeEachDb('第九条 话务员记录来电时上传附件（POST /api/contacts files）', (env) => {
  let agent: ApiClient;
  let dispatcher: ApiClient;
  const body = (over: Record<string, unknown> = {}) => ({
    channel: 'phone',
    requester: { name: '刘芳', phone: '13705301234' },
    content: '和平路井盖丢失，来电人已把现场照片发到热线微信，见附件。',
    ...over,
  });
  beforeAll(async () => {
    agent = await ApiClient.login(env(), 'agent');
    dispatcher = await ApiClient.login(env(), 'dispatcher');
  });

  it('stores the sniffed files with the contact; they follow the ticket the contact becomes', async () => {
    const e = env();
    const before = await counts(e);
    const rec = expectStatus(
      await agent.post('/api/contacts', body({ files: [{ name: '现场.jpg', dataBase64: PNG }, { dataBase64: PNG }] })),
      201,
    );
    const after = await counts(e);
    expect(after.contacts - before.contacts).toBe(1);
    expect(after.attachments - before.attachments).toBe(2);
    const atts = await e.db
      .selectFrom('attachments')
      .select(['id', 'kind', 'mime', 'original_name', 'ticket_id'])
      .where('contact_id', '=', rec.id)
      .orderBy('id')
      .execute();
    // the name said .jpg; the bytes say PNG
    expect(atts.map((a) => [a.kind, a.mime, a.original_name])).toEqual([
      ['image', 'image/png', '现场.jpg'],
      ['image', 'image/png', null],
    ]);

    const d = expectStatus(
      await agent.post(`/api/contacts/${rec.id}/disposition`, {
        disposition: 'dispatched',
        requestType: 'complaint',
        categoryId: e.ids.categories['CX-SZ'],
        regionCode: '371702001',
        title: '和平路井盖丢失',
      }),
      200,
    );
    const linked = await e.db.selectFrom('attachments').select('ticket_id').where('contact_id', '=', rec.id).execute();
    expect(linked.every((a) => a.ticket_id === d.ticketId)).toBe(true);
    const img = await dispatcher.get(`/api/attachments/${atts[0]!.id}`);
    expect(img.status).toBe(200);
  });

  it('without files it records as before', async () => {
    const e = env();
    const before = await counts(e);
    expectStatus(await agent.post('/api/contacts', body()), 201);
    expect((await counts(e)).attachments).toBe(before.attachments);
  });

  it('refuses a mistyped file, bad base64, more than five files or a huge body in Chinese, and writes nothing', async () => {
    const e = env();
    const before = await counts(e);
    const typed = await agent.post(
      '/api/contacts',
      body({ files: [{ dataBase64: PNG }, { name: 'photo.jpg', dataBase64: TEXT_AS_JPG }] }),
    );
    expect(typed.status).toBe(400);
    expect(typed.body.error.message).toContain('不支持的附件类型');
    const bad = await agent.post('/api/contacts', body({ files: [{ name: 'x.png', dataBase64: '!!!not base64!!!' }] }));
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('base64');
    const six = await agent.post(
      '/api/contacts',
      body({ files: Array.from({ length: 6 }, () => ({ dataBase64: PNG })) }),
    );
    expect(six.status).toBe(400);
    expect(JSON.stringify(six.body.error)).toContain('附件最多 5 个');
    const huge = await agent.post(
      '/api/contacts',
      body({ files: [{ dataBase64: 'A'.repeat(21_000_000) }, { dataBase64: 'A'.repeat(21_000_000) }] }),
    );
    expect(huge.status).toBe(413);
    expect(huge.body.error.message).toContain('附件过大');
    expect(await counts(e)).toEqual(before);
  });

  it('only an agent may record a contact with files', async () => {
    expect((await dispatcher.post('/api/contacts', body({ files: [{ dataBase64: PNG }] }))).status).toBe(403);
  });
});

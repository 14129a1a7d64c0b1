import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { beforeAll, expect, it } from 'vitest';
import { ApiClient, expectStatus } from './helpers/api.js';
import { form, partnerKey, streetLamp } from './fixtures/open311/support.js';
import { createTicket } from './helpers/factories.js';
import { describeEachDb } from './helpers/test-env.js';

// Open311 GeoReport v2 over the real routes: what a partner may post, what the public may read, and that
// every refusal is in the spec's error format and leaves no row behind.

const W3C = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/;
const xml = new XMLParser({ parseTagValue: false });

describeEachDb('Open311 GeoReport v2', (env) => {
  let key: string;
  const get = (url: string) => env().app.inject({ method: 'GET', url });
  const post = (url: string, fields: Record<string, string | string[]>) =>
    env().app.inject({
      method: 'POST',
      url,
      payload: form(fields),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
  const counts = async () => {
    const e = env();
    const [t, c, r] = await Promise.all(
      ['tickets', 'contacts', 'requesters'].map((tb) =>
        e.db
          .selectFrom(tb as 'tickets')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .executeTakeFirstOrThrow(),
      ),
    );
    return [t!.n, c!.n, r!.n].map(Number);
  };

  beforeAll(async () => {
    key = await partnerKey(env());
  });

  it('discovery, services and service definitions', async () => {
    const disc = JSON.parse((await get('/open311/discovery.json')).body);
    expect(disc.endpoints[0]).toMatchObject({
      specification: 'http://wiki.open311.org/GeoReport_v2',
      type: 'production',
      formats: ['text/xml', 'application/json'],
    });
    expect(disc.endpoints[0].url).toMatch(/\/open311\/v2$/); // no trailing slash: clients append "/services.xml"
    const services = JSON.parse((await get('/open311/v2/services.json?jurisdiction_id=heze.gov.cn')).body);
    expect(services.find((s: any) => s.service_code === 'CX-SZ')).toEqual({
      service_code: 'CX-SZ',
      service_name: '市政设施',
      description: '城乡建设 - 市政设施',
      metadata: true,
      type: 'realtime',
      keywords: '城乡建设, 市政设施',
      group: '城乡建设',
    });
    expect(services.map((s: any) => s.service_code)).not.toContain('CX'); // groups are not services
    const def = JSON.parse((await get('/open311/v2/services/CX-SZ.json')).body);
    expect(def.attributes.map((a: any) => [a.code, a.datatype, a.required, a.order])).toEqual([
      ['region', 'singlevaluelist', false, 1],
      ['request_type', 'singlevaluelist', false, 2],
      ['facility', 'singlevaluelist', true, 3],
    ]);
    expect(def.attributes[0].values).toContainEqual({ key: '371702001', name: '牡丹区东城街道' });
    const res = await get('/open311/v2/services/NOPE.xml');
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(/^text\/xml/);
    expect(xml.parse(res.body).errors.error).toEqual({ code: '404', description: 'service_code 不存在：NOPE' });
    const docs = JSON.parse((await get('/api/docs/json')).body); // the routes are in the API documentation
    expect(Object.keys(docs.paths)).toContain('/open311/v2/services/{service_code}.{format}');
  });

  it('another jurisdiction, an unknown path or format is a 404 in the spec’s error format', async () => {
    const other = await get('/open311/v2/services.json?jurisdiction_id=dc.gov');
    expect(other.statusCode).toBe(404);
    expect(JSON.parse(other.body)).toEqual([{ code: 404, description: 'jurisdiction_id 不存在：dc.gov' }]);
    expect(JSON.parse((await get('/open311/v2/nothing.json')).body)[0].code).toBe(404);
    const html = await get('/open311/v2/services.html');
    expect(html.statusCode).toBe(404);
    expect(html.body).toContain('<errors><error><code>404</code>');
  });

  it('POST without a valid partner api_key is 403 and writes nothing', async () => {
    const before = await counts();
    const missing = await post('/open311/v2/requests.json', streetLamp);
    expect(missing.statusCode).toBe(403);
    expect(JSON.parse(missing.body)).toEqual([{ code: 403, description: 'api_key 未提供' }]);
    expect((await post('/open311/v2/requests.xml', { ...streetLamp, api_key: 'hz_wrong' })).statusCode).toBe(403);
    const gateway = await partnerKey(env(), 'gateway'); // a real token, but not a partner system's
    expect((await post('/open311/v2/requests.json', { ...streetLamp, api_key: gateway })).statusCode).toBe(403);
    expect(await counts()).toEqual(before);
  });

  it('bad input is a 400 naming the problem, and writes nothing', async () => {
    const before = await counts();
    const cases: Array<[Record<string, string>, string]> = [
      [{ description: '' }, 'description'],
      [{ lat: '', long: '', address_string: '' }, '须提供位置'],
      [{ long: '' }, 'lat 和 long 须同时提供'],
      [{ lat: '北纬' }, 'lat 必须是数字'],
      [{ 'attribute[facility]': 'bridge' }, 'attribute[facility]（损坏的设施）不是可选值之一：bridge'],
      [{ 'attribute[facility]': '' }, 'attribute[facility]（损坏的设施）必须填写'],
      [{ 'attribute[region]': '999999' }, 'attribute[region]'],
      [{ 'attribute[request_type]': 'report' }, 'attribute[request_type]'],
      [{ email: 'not-an-email' }, 'email'],
      [{ media_url: 'javascript:alert(1)' }, 'media_url'],
    ];
    for (const [change, message] of cases) {
      const res = await post('/open311/v2/requests.json', { ...streetLamp, ...change, api_key: key });
      expect(res.statusCode, JSON.stringify(change)).toBe(400);
      expect(JSON.parse(res.body)[0].description).toContain(message);
    }
    expect(await counts()).toEqual(before);
  });

  it('a request becomes a contact and a ticket waiting for dispatch; GET shows no personal data', async () => {
    const e = env();
    const res = await post('/open311/v2/requests.xml?jurisdiction_id=heze.gov.cn', {
      ...streetLamp,
      api_key: key,
      'attribute[request_type]': 'complaint',
    });
    expect(res.statusCode).toBe(200);
    const created = xml.parse(res.body).service_requests.request;
    expect(created.service_request_id).toMatch(/^HZ20250303-\d{6}$/);
    expect(created.service_notice).toMatch(/查询码[2-9A-Z]{8}/);
    const ticket = await e.db
      .selectFrom('tickets')
      .selectAll()
      .where('number', '=', created.service_request_id)
      .executeTakeFirstOrThrow();
    expect(ticket).toMatchObject({
      status: 'pending_dispatch',
      channel: 'open311',
      region_code: '371702001',
      request_type: 'complaint',
      lat: 35.246531,
      long: 115.441312,
      created_by: e.ids.users.partner,
    });
    expect(ticket.content).toContain('损坏的设施：路灯');
    expect(created.token).toBeUndefined(); // GeoReport v2: token only when no service_request_id is returned
    const contact = await e.db
      .selectFrom('contacts')
      .selectAll()
      .where('ticket_id', '=', ticket.id)
      .executeTakeFirstOrThrow();
    expect(contact).toMatchObject({
      channel: 'open311',
      status: 'disposed',
      disposition: 'dispatched',
      ticket_id: ticket.id,
    });
    expect(JSON.stringify(contact.meta)).not.toContain('zhang@example.com'); // kept encrypted
    const requester = await e.db
      .selectFrom('requesters')
      .selectAll()
      .where('id', '=', ticket.requester_id!)
      .executeTakeFirstOrThrow();
    expect(e.cipher.decrypt(requester.name_enc)).toBe('张秀英');

    for (const url of [
      `/open311/v2/requests/${created.service_request_id}.json`,
      `/open311/v2/requests.json?service_request_id=${created.service_request_id}`,
    ]) {
      const [r] = JSON.parse((await get(url)).body);
      expect(r).toMatchObject({
        service_request_id: created.service_request_id,
        status: 'open',
        status_notes: '待派单',
        service_code: 'CX-SZ',
        service_name: '市政设施',
        lat: 35.247,
        long: 115.441,
      });
      expect(r.requested_datetime).toBe('2025-03-03T09:00:00+08:00');
      expect(r.address).toBe('牡丹区东城街****');
      const body = JSON.stringify(r);
      for (const secret of ['13905301234', '张秀英', '秀英', 'zhang@example.com', '和平路与中华路'])
        expect(body).not.toContain(secret);
    }
    // the tokens resource still resolves the contact id a client may hold from an earlier answer
    const tok = JSON.parse((await get(`/open311/v2/tokens/${contact.id}.json`)).body);
    expect(tok).toEqual([{ service_request_id: created.service_request_id, token: String(contact.id) }]);
    expect((await get('/open311/v2/tokens/999999.json')).statusCode).toBe(404);
  });

  it('an unknown service_code on POST is a 404 (GeoReport v2), in both formats, and writes nothing', async () => {
    const before = await counts();
    const json = await post('/open311/v2/requests.json', { ...streetLamp, service_code: 'XX-00', api_key: key });
    expect(json.statusCode).toBe(404);
    expect(JSON.parse(json.body)).toEqual([{ code: 404, description: 'service_code 不存在：XX-00' }]);
    const x = await post('/open311/v2/requests.xml', { ...streetLamp, service_code: 'CX', api_key: key }); // a group is not a service
    expect(x.statusCode).toBe(404);
    expect(xml.parse(x.body).errors.error).toEqual({ code: '404', description: 'service_code 不存在：CX' });
    expect(await counts()).toEqual(before);
  });

  it('the POST answer carries service_request_id and no token (token is for deferred creation)', async () => {
    const j = JSON.parse((await post('/open311/v2/requests.json', { ...streetLamp, api_key: key })).body);
    expect(Object.keys(j[0])).toEqual(['service_request_id', 'service_notice', 'account_id']);
    const x = (await post('/open311/v2/requests.xml', { ...streetLamp, api_key: key })).body;
    expect(x).toContain('<service_request_id>');
    expect(x).not.toContain('<token>');
  });

  it('a client joining the announced endpoint with a slash ("//services.xml") reaches the same routes', async () => {
    const disc = JSON.parse((await get('/open311/discovery.json')).body);
    const base = new URL(disc.endpoints[0].url).pathname;
    expect(base).toBe('/open311/v2');
    for (const url of [
      `${base}/services.xml`,
      `${base}//services.xml`,
      '/open311/v2//services.json?jurisdiction_id=heze.gov.cn',
      '/open311//v2///services/CX-SZ.json',
      '//open311/v2/services.json',
    ]) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(200);
    }
    expect((await get('/open311/v2//services.json')).body).toBe((await get('/open311/v2/services.json')).body);
    const created = await post('/open311/v2//requests.json', { ...streetLamp, api_key: key });
    expect(created.statusCode).toBe(200);
    // unknown paths stay 404s in the spec's format; other parts of the site are not rewritten
    expect((await get('/open311/v2//nothing.json')).statusCode).toBe(404);
    expect((await get('/api//regions')).statusCode).toBe(404);
    expect((await get('/api/regions')).statusCode).toBe(401);
  });

  it("an operator's OPEN311_BASE_URL with a trailing slash is announced without it", async () => {
    const options = env().services.open311.options as { baseUrl: string | null };
    const saved = options.baseUrl;
    options.baseUrl = 'https://12345.heze.gov.cn/open311/v2/';
    try {
      expect(JSON.parse((await get('/open311/discovery.json')).body).endpoints[0].url).toBe(
        'https://12345.heze.gov.cn/open311/v2',
      );
    } finally {
      options.baseUrl = saved;
    }
  });

  it('a resend with the same client id returns the same request', async () => {
    const fields = { ...streetLamp, api_key: key, 'attribute[fixmystreet_id]': 'fms-4711' };
    const a = JSON.parse((await post('/open311/v2/requests.json', fields)).body)[0];
    const before = await counts();
    const b = JSON.parse((await post('/open311/v2/requests.json', fields)).body)[0];
    expect(b.service_request_id).toBe(a.service_request_id);
    expect(await counts()).toEqual(before);
  });

  it('GET requests filters by id, service, status and dates; 90 days by default; other channels never appear', async () => {
    const e = env();
    e.clock.set('2025-03-10T10:00:00+08:00');
    const road = JSON.parse(
      (
        await post('/open311/v2/requests.json', {
          ...streetLamp,
          api_key: key,
          service_code: 'JT-DL',
          'attribute[damage][]': ['pothole', 'crack'],
          'attribute[facility]': '',
        })
      ).body,
    )[0].service_request_id;
    const list = async (q: string) =>
      JSON.parse((await get(`/open311/v2/requests.json?${q}`)).body).map((r: any) => r.service_request_id);
    expect(await list('service_code=JT-DL')).toEqual([road]);
    expect(await list('service_code=CX-SZ')).not.toContain(road);
    expect(await list('status=open')).toContain(road);
    expect(await list('status=closed')).toEqual([]);
    expect(await list('start_date=2025-03-10T00:00:00%2B08:00&end_date=2025-03-10T23:59:59Z')).toEqual([road]);
    expect(await list('end_date=2025-03-09')).not.toContain(road);
    const phoned = await createTicket(e, await ApiClient.login(e, 'agent'));
    expect(await list(`service_request_id=${phoned.number},${road}`)).toEqual([road]);
    expect((await get(`/open311/v2/requests/${phoned.number}.json`)).statusCode).toBe(404);
    expect(JSON.parse((await get('/open311/v2/requests.json?status=pending')).body)[0].code).toBe(400);
    expect(JSON.parse((await get('/open311/v2/requests.json?start_date=yesterday')).body)[0].code).toBe(400);
    e.clock.set('2025-06-09T10:00:00+08:00'); // 91 days later
    expect(await list('')).not.toContain(road);
    expect(await list('start_date=2025-03-01')).toContain(road);
  });

  it('servicerequestupdates: public events out, requester follow-ups in', async () => {
    const e = env();
    e.clock.set('2025-03-12T09:00:00+08:00');
    const id = JSON.parse((await post('/open311/v2/requests.json', { ...streetLamp, api_key: key })).body)[0]
      .service_request_id;
    const ticket = await e.db.selectFrom('tickets').select('id').where('number', '=', id).executeTakeFirstOrThrow();
    e.clock.set('2025-03-12T10:00:00+08:00');
    const dispatcher = await ApiClient.login(e, 'dispatcher');
    expectStatus(
      await dispatcher.post(`/api/tickets/${ticket.id}/dispatch`, { leadUnitId: e.ids.units['jd-dc'] }),
      200,
    );
    const res = await get(
      '/open311/v2/servicerequestupdates.xml?start_date=2025-03-12T00:00:00%2B08:00&end_date=2025-03-12T23:00:00%2B08:00',
    );
    const updates = [xml.parse(res.body).service_request_updates.request_update]
      .flat()
      .filter((u: any) => u.service_request_id === id);
    expect(updates.map((u: any) => [u.status, u.description, u.updated_datetime])).toEqual([
      ['OPEN', '诉求已受理', '2025-03-12T09:00:00+08:00'],
      ['INVESTIGATING', '已转交承办单位办理', '2025-03-12T10:00:00+08:00'],
    ]);
    const [r] = JSON.parse((await get(`/open311/v2/requests/${id}.json`)).body);
    expect(r).toMatchObject({ agency_responsible: '牡丹区东城街道办事处', status_notes: '待签收' });

    const update = {
      api_key: key,
      service_request_id: id,
      update_id: 'u-1',
      description: '路灯还是不亮',
      status: 'OPEN',
      updated_datetime: '2025-03-12T11:00:00+08:00',
      last_name: '张',
      first_name: '秀英',
      phone: '13905301234',
    };
    expect((await post('/open311/v2/servicerequestupdates.json', { ...update, api_key: 'hz_wrong' })).statusCode).toBe(
      403,
    );
    expect(
      (await post('/open311/v2/servicerequestupdates.json', { ...update, service_request_id: 'HZ20990101-000001' }))
        .statusCode,
    ).toBe(404);
    const first = JSON.parse((await post('/open311/v2/servicerequestupdates.json', update)).body);
    const again = JSON.parse((await post('/open311/v2/servicerequestupdates.json', update)).body);
    expect(again).toEqual(first);
    const events = await e.db
      .selectFrom('ticket_events')
      .select(['id', 'kind'])
      .where('ticket_id', '=', ticket.id)
      .where('kind', '=', 'repeat_contact')
      .execute();
    expect(events.map((x) => String(x.id))).toEqual([first[0].update_id]);
  });

  it('XML stays well-formed whatever the text holds', async () => {
    const e = env();
    e.clock.set('2025-03-13T09:00:00+08:00');
    // (a lone surrogate cannot cross a form post: it arrives as U+FFFD; escapeXml's own test covers it)
    const nasty = '井盖<丢失> & "危险" \'快修\'\u0001\u000B </description><x>';
    const res = await post('/open311/v2/requests.xml', { ...streetLamp, api_key: key, description: nasty });
    const id = xml.parse(res.body).service_requests.request.service_request_id;
    const got = await get(`/open311/v2/requests/${id}.xml`);
    expect(XMLValidator.validate(got.body)).toBe(true);
    expect(got.body.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
    const parsed = new XMLParser({ parseTagValue: false, processEntities: true }).parse(got.body).service_requests
      .request;
    expect(parsed.description).toContain('井盖<丢失> & "危险" \'快修\' </description><x>');
    expect(parsed.requested_datetime).toMatch(W3C);
  });
});

import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { beforeAll, expect, it } from 'vitest';
import { describeEachDb } from './helpers/test-env.js';
import { partnerKey } from './fixtures/open311/support.js';

// The endpoint as a third-party client sees it: the `open311` npm client (0.0.12, Code for America) talks to
// the app over real HTTP in both of its formats. Its XML path parses with sparkxml (services, definitions,
// requests, tokens) and xml2json (the POST answer); both are the local stand-ins under vendor/ (package.json
// "overrides"), since the originals cannot be installed.

type Callback = (err: unknown, data: any) => void;
interface Open311Client {
  endpoint?: string;
  serviceDiscovery(options: Record<string, unknown>, cb: Callback): void;
  serviceList(cb: Callback): void;
  serviceDefinition(code: string, cb: Callback): void;
  submitRequest(data: Record<string, unknown>, cb: Callback): void;
  serviceRequest(id: string | string[], cb: Callback): void;
  serviceRequests(params: Record<string, string>, cb: Callback): void;
  token(token: string, cb: Callback): void;
}
const Open311 = createRequire(import.meta.url)('open311') as new (options: Record<string, unknown>) => Open311Client;

/** The client's callbacks as promises; a refusal rejects with whatever the client reported. */
const call = <T = any>(fn: (cb: Callback) => void) =>
  new Promise<T>((resolve, reject) =>
    fn((err, data) => (err ? reject(Object.assign(new Error(String(data)), { status: err })) : resolve(data))),
  );

describeEachDb('Open311 with the open311 npm client', (env) => {
  let base: string;
  let key: string;
  beforeAll(async () => {
    const e = env();
    key = await partnerKey(e);
    await e.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(e.app.server.address() as AddressInfo).port}/open311/v2/`;
  });

  it('discovers the endpoint', async () => {
    const client = new Open311({ discovery: base.replace(/v2\/$/, 'discovery.json') });
    const doc = await call((cb) => client.serviceDiscovery({ cache: true }, cb));
    expect(doc.endpoints[0].specification).toBe('http://wiki.open311.org/GeoReport_v2');
    expect(client.endpoint).toBe(base);
    const viaXml = await call((cb) => new Open311({ discovery: `${base}discovery.xml` }).serviceDiscovery({}, cb));
    // announced without the trailing slash; the client adds its own
    expect(viaXml.endpoints[0]).toMatchObject({
      url: base.replace(/\/$/, ''),
      type: 'production',
      formats: ['text/xml', 'application/json'],
    });
  });

  for (const format of ['json', 'xml'] as const) {
    it(`lists services, posts a request and reads it back (${format})`, async () => {
      const client = new Open311({ endpoint: base, format, apiKey: key, jurisdiction: 'heze.gov.cn' });
      const services = await call<any[]>((cb) => client.serviceList(cb));
      expect(services.find((s) => s.service_code === 'CX-SZ')).toMatchObject({
        service_name: '市政设施',
        group: '城乡建设',
        type: 'realtime',
        metadata: true,
      });

      const def = await call((cb) => client.serviceDefinition('CX-SZ', cb));
      const facility = def.attributes.find((a: any) => a.code === 'facility');
      expect(facility).toMatchObject({ datatype: 'singlevaluelist', required: true, order: 3 });
      expect(facility.values).toContainEqual({ key: 'streetlight', name: '路灯' });

      const [created] = await call<any[]>((cb) =>
        client.submitRequest(
          {
            service_code: 'CX-SZ',
            lat: 35.2465,
            long: 115.4413,
            address_string: '牡丹区东城街道和平路',
            description: `和平路井盖缺失，${format} 客户端提交`,
            first_name: '秀英',
            last_name: '张',
            phone: '13905301234',
            email: 'zhang@example.com',
            attributes: { facility: 'manhole', region: '371702001', external_id: `client-${format}` },
          },
          cb,
        ),
      );
      expect(created.service_request_id).toMatch(/^HZ\d{8}-\d{6}$/);
      expect(created.service_notice).toContain(created.service_request_id);

      const [read] = await call<any[]>((cb) => client.serviceRequest(created.service_request_id, cb));
      expect(read).toMatchObject({
        service_request_id: created.service_request_id,
        status: 'open',
        service_code: 'CX-SZ',
        lat: 35.247,
      });
      expect(read.requested_datetime).toEqual(new Date('2025-03-03T09:00:00+08:00'));
      expect(JSON.stringify(read)).not.toMatch(/13905301234|张秀英|zhang@example\.com/);

      expect(created.token).toBeUndefined(); // created at once: service_request_id, no token (GeoReport v2)
      const contact = await env()
        .db.selectFrom('contacts')
        .innerJoin('tickets', 'tickets.id', 'contacts.ticket_id')
        .select('contacts.id')
        .where('tickets.number', '=', created.service_request_id)
        .executeTakeFirstOrThrow();
      const [tok] = await call<any[]>((cb) => client.token(String(contact.id), cb));
      expect(tok.service_request_id).toBe(created.service_request_id);

      const list = await call<any[]>((cb) => client.serviceRequests({ service_code: 'CX-SZ', status: 'open' }, cb));
      expect(list.map((r) => r.service_request_id)).toContain(created.service_request_id);
    });
  }

  it('reports a refusal to the client', async () => {
    const client = new Open311({ endpoint: base, format: 'xml', apiKey: 'hz_wrong' });
    await expect(
      call((cb) =>
        client.submitRequest({ service_code: 'CX-SZ', lat: 35.2, long: 115.4, description: '井盖缺失很危险' }, cb),
      ),
    ).rejects.toMatchObject({ status: 403, message: expect.stringContaining('<code>403</code>') });
  });
});

import { readFileSync } from 'node:fs';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import { escapeXml, parseW3cDate, w3cDate } from '../src/server/modules/open311/open311.format.js';
import { describeEachDb } from './helpers/test-env.js';
import { form, partnerKey, streetLamp } from './fixtures/open311/support.js';

// Every XML document the endpoint answers, checked against the GeoReport v2 field lists and sample documents
// in test/fixtures/open311/: the same element paths as the sample, each item's fields in the spec's order,
// well-formed, dates with an offset and without milliseconds. The JSON twin must carry the same fields.

const dir = new URL('./fixtures/open311/', import.meta.url);
const FIELDS = JSON.parse(readFileSync(new URL('georeport-v2-fields.json', dir), 'utf8'));
const fixture = (name: string) => readFileSync(new URL(name, dir), 'utf8');
const W3C = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$/;

type Node = Record<string, unknown>;
const ordered = new XMLParser({ preserveOrder: true, parseTagValue: false });
const LISTED = ['service', 'request', 'request_update', 'error', 'attribute', 'value', 'endpoint', 'format'];
const plain = new XMLParser({ parseTagValue: false, isArray: (name) => LISTED.includes(name) });

function children(nodes: Node[]): Array<{ name: string; nodes: Node[] }> {
  return nodes.flatMap((n) =>
    Object.keys(n)
      .filter((k) => k !== ':@' && k !== '#text' && k !== '?xml')
      .map((name) => ({ name, nodes: n[name] as Node[] })),
  );
}
/** Every element path in the document, e.g. services/service/service_code. */
function paths(nodes: Node[], prefix = ''): Set<string> {
  const out = new Set<string>();
  for (const c of children(nodes)) {
    out.add(prefix + c.name);
    for (const p of paths(c.nodes, `${prefix}${c.name}/`)) out.add(p);
  }
  return out;
}
/** The names of the children of the first element at a path. */
function childNames(nodes: Node[], path: string[]): string[] {
  let cur = nodes;
  for (const name of path) cur = children(cur).find((c) => c.name === name)!.nodes;
  return children(cur).map((c) => c.name);
}
function checkXml(body: string, sample: string, absent: string[] = []) {
  expect(XMLValidator.validate(body)).toBe(true);
  expect(body.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
  const ours = ordered.parse(body) as Node[];
  const expected = [...paths(ordered.parse(fixture(sample)) as Node[])].filter(
    (p) => !absent.some((a) => p === a || p.startsWith(`${a}/`)),
  );
  expect([...paths(ours)].sort()).toEqual(expected.sort());
  return ours;
}

describe('Open311 formatting', () => {
  it('dates carry +08:00 and whole seconds; input dates with or without an offset', () => {
    expect(w3cDate(new Date('2025-03-03T01:00:00.123Z'))).toBe('2025-03-03T09:00:00+08:00');
    expect(parseW3cDate('2025-03-03T09:00:00+08:00', 'x').toISOString()).toBe('2025-03-03T01:00:00.000Z');
    expect(parseW3cDate('2025-03-03T01:00:00Z', 'x').toISOString()).toBe('2025-03-03T01:00:00.000Z');
    expect(parseW3cDate('2025-03-03', 'x').toISOString()).toBe('2025-03-02T16:00:00.000Z');
    expect(() => parseW3cDate('03/03/2025', 'start_date')).toThrow(/start_date/);
  });
  it('escapes markup and drops what XML 1.0 cannot carry', () => {
    expect(escapeXml('<a href="x">&\'</a>')).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;');
    expect(escapeXml('a\u0000b\u0008c\u000Bd\tE\n\uD800f\uDC00g\uFFFEh😀')).toBe('abcd\tE\nfgh😀');
  });
});

describeEachDb('Open311 documents against the GeoReport v2 field lists', (env) => {
  const get = (url: string) => env().app.inject({ method: 'GET', url });
  let created: { service_request_id: string };
  beforeAll(async () => {
    const e = env();
    const key = await partnerKey(e);
    const res = await e.app.inject({
      method: 'POST',
      url: '/open311/v2/requests.xml',
      payload: form({ ...streetLamp, api_key: key, media_url: 'https://example.org/p.jpg', address_id: 'A-1' }),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(XMLValidator.validate(res.body)).toBe(true);
    checkXml(res.body, 'post-request.xml', ['service_requests/request/token']);
    // the spec's sample shows every field; "either service_request_id or token will be returned", and ours is immediate
    expect(childNames(ordered.parse(res.body), ['service_requests', 'request'])).toEqual(
      FIELDS.post_request.item.filter((f: string) => f !== 'token'),
    );
    created = plain.parse(res.body).service_requests.request[0];
  });

  it('discovery', async () => {
    const ours = checkXml((await get('/open311/discovery.xml')).body, 'discovery.xml');
    expect(childNames(ours, ['discovery'])).toEqual(FIELDS.discovery.fields);
    expect(childNames(ours, ['discovery', 'endpoints', 'endpoint'])).toEqual(FIELDS.discovery.endpoint);
    const d = plain.parse((await get('/open311/v2/discovery.xml')).body).discovery;
    expect(d.changeset).toMatch(W3C);
    expect(Object.keys(JSON.parse((await get('/open311/discovery.json')).body))).toEqual(FIELDS.discovery.fields);
  });

  it('services', async () => {
    const body = (await get('/open311/v2/services.xml')).body;
    const ours = checkXml(body, 'services.xml');
    expect(childNames(ours, ['services', 'service'])).toEqual(FIELDS.services.item);
    for (const s of plain.parse(body).services.service) {
      expect(FIELDS.service_types).toContain(s.type);
      expect(['true', 'false']).toContain(s.metadata);
    }
    for (const s of JSON.parse((await get('/open311/v2/services.json')).body))
      expect(Object.keys(s)).toEqual(FIELDS.services.item);
  });

  it('service definitions', async () => {
    const ours = checkXml((await get('/open311/v2/services/CX-SZ.xml')).body, 'service-definition.xml');
    expect(childNames(ours, ['service_definition'])).toEqual(FIELDS.service_definition.fields);
    expect(childNames(ours, ['service_definition', 'attributes', 'attribute'])).toEqual(
      FIELDS.service_definition.attribute,
    );
    expect(childNames(ours, ['service_definition', 'attributes', 'attribute', 'values', 'value'])).toEqual(
      FIELDS.service_definition.value,
    );
    // every datatype the spec names, and values only on the list types
    const seen = new Set<string>();
    for (const code of ['CX-SZ', 'JT-DL', 'HB-ZS', 'CX-GS', 'QT-QT']) {
      const def = plain.parse((await get(`/open311/v2/services/${code}.xml`)).body).service_definition;
      def.attributes.attribute.forEach((a: any, i: number) => {
        seen.add(a.datatype);
        expect(FIELDS.datatypes).toContain(a.datatype);
        expect(a.order).toBe(String(i + 1));
        expect(a.variable).toBe('true');
        expect(Object.keys(a)).toEqual(
          FIELDS.service_definition.attribute.filter((f: string) => f !== 'values' || a.datatype.endsWith('list')),
        );
      });
      const json = JSON.parse((await get(`/open311/v2/services/${code}.json`)).body);
      expect(Object.keys(json)).toEqual(FIELDS.service_definition.fields);
    }
    expect([...seen].sort()).toEqual([...FIELDS.datatypes].sort());
  });

  it('requests, one request and a token', async () => {
    for (const url of ['/open311/v2/requests.xml', `/open311/v2/requests/${created.service_request_id}.xml`]) {
      const body = (await get(url)).body;
      const ours = checkXml(body, 'requests.xml');
      expect(childNames(ours, ['service_requests', 'request'])).toEqual(FIELDS.requests.item);
      for (const r of plain.parse(body).service_requests.request) {
        expect(FIELDS.request_statuses).toContain(r.status);
        for (const f of ['requested_datetime', 'updated_datetime', 'expected_datetime'])
          if (r[f]) expect(r[f]).toMatch(W3C);
      }
    }
    const [json] = JSON.parse((await get(`/open311/v2/requests/${created.service_request_id}.json`)).body);
    expect(Object.keys(json)).toEqual(FIELDS.requests.item);
    expect(json).toMatchObject({ media_url: 'https://example.org/p.jpg', address_id: 'A-1', zipcode: null });
    const contact = await env()
      .db.selectFrom('contacts')
      .innerJoin('tickets', 'tickets.id', 'contacts.ticket_id')
      .select('contacts.id')
      .where('tickets.number', '=', created.service_request_id)
      .executeTakeFirstOrThrow();
    const tok = (await get(`/open311/v2/tokens/${contact.id}.xml`)).body;
    expect(childNames(checkXml(tok, 'token.xml'), ['service_requests', 'request'])).toEqual(FIELDS.token.item);
  });

  it('errors, with the HTTP status as the code', async () => {
    for (const [url, status] of [
      ['/open311/v2/services/NOPE.xml', 404],
      ['/open311/v2/requests.xml?status=x', 400],
      ['/open311/v2/services.xml?jurisdiction_id=x', 404],
    ] as const) {
      const res = await get(url);
      expect(res.statusCode).toBe(status);
      expect(childNames(checkXml(res.body, 'errors.xml'), ['errors', 'error'])).toEqual(FIELDS.errors.item);
      expect(plain.parse(res.body).errors.error[0].code).toBe(String(status));
    }
    const res = await env().app.inject({
      method: 'POST',
      url: '/open311/v2/requests.xml',
      payload: form(streetLamp),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.statusCode).toBe(403);
    expect(plain.parse(res.body).errors.error[0].code).toBe('403');
  });

  it('servicerequestupdates', async () => {
    const body = (await get('/open311/v2/servicerequestupdates.xml')).body;
    const ours = checkXml(body, 'servicerequestupdates.xml');
    expect(childNames(ours, ['service_request_updates', 'request_update'])).toEqual(FIELDS.updates.item);
    const mine = plain
      .parse(body)
      .service_request_updates.request_update.filter((u: any) => u.service_request_id === created.service_request_id);
    expect(mine.length).toBeGreaterThan(0);
    for (const u of mine) {
      expect(FIELDS.update_statuses).toContain(u.status);
      expect(u.updated_datetime).toMatch(W3C);
    }
    for (const u of JSON.parse((await get('/open311/v2/servicerequestupdates.json')).body))
      expect(Object.keys(u)).toEqual(FIELDS.updates.item);
  });
});

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';

import { buildApp } from '../src/server/http/app.js';
import { CSP_NONCE_PLACEHOLDER } from '../src/shared/csp.js';
import { fileContentSecurityPolicy, PERMISSIONS_POLICY } from '../src/server/http/security-headers.js';
import { PiiCipher } from '../src/server/security/pii-cipher.js';
import { DEMO_PASSWORD } from '../src/server/seed/heze-organisation.js';
import { ApiClient } from './helpers/api.js';
import { describeEachDb } from './helpers/test-env.js';

// The web build this test serves (the app's webRoot): a stand-in index.html with the placeholder the Vite build
// writes (vite.config.ts html.cspNonce).
const WEB = mkdtempSync(join(tmpdir(), 'hz-web-'));
mkdirSync(join(WEB, 'assets'));
writeFileSync(
  join(WEB, 'index.html'),
  `<!doctype html><html><head><meta property="csp-nonce" nonce="${CSP_NONCE_PLACEHOLDER}">` +
    `<script type="module" src="/assets/app.js" nonce="${CSP_NONCE_PLACEHOLDER}"></script></head><body></body></html>`,
);
writeFileSync(join(WEB, 'assets', 'app.js'), 'console.log(1)\n');

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

/** The directives of a Content-Security-Policy header, by name. */
function directives(res: LightMyRequestResponse): Map<string, string[]> {
  const header = String(res.headers['content-security-policy'] ?? '');
  return new Map(
    header
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...values]) => [name!, values]),
  );
}

const STRICT: Record<string, string[]> = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'script-src-attr': ["'none'"],
  'img-src': ["'self'", 'data:', 'blob:'],
  'object-src': ["'none'"],
  'base-uri': ["'self'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
};

function expectHeaders(res: LightMyRequestResponse, what: string) {
  const d = directives(res);
  for (const [name, values] of Object.entries(STRICT)) expect(d.get(name), `${what}: ${name}`).toEqual(values);
  // styles: the app's own files and the <style> elements carrying this response's nonce, nothing inline besides
  const style = d.get('style-src') ?? [];
  expect(style[0], what).toBe("'self'");
  expect(style[1], what).toMatch(/^'nonce-[A-Za-z0-9+/]{22}==?'$/);
  expect(style, what).not.toContain("'unsafe-inline'");
  expect(d.has('upgrade-insecure-requests'), what).toBe(false);
  expect(res.headers['x-frame-options'], what).toBe('DENY');
  expect(res.headers['x-content-type-options'], what).toBe('nosniff');
  expect(res.headers['referrer-policy'], what).toBe('same-origin');
  expect(res.headers['permissions-policy'], what).toBe(PERMISSIONS_POLICY);
  expect(res.headers['permissions-policy'], what).toContain('camera=()');
  expect(res.headers['strict-transport-security'], `${what}: no HSTS without COOKIE_SECURE`).toBeUndefined();
  expect(res.headers['x-powered-by'], what).toBeUndefined();
  // helmet's other headers, on every answer too (the router's own 400s included)
  expect(res.headers['cross-origin-opener-policy'], what).toBe('same-origin');
  expect(res.headers['x-permitted-cross-domain-policies'], what).toBe('none');
}

afterAll(() => rmSync(WEB, { recursive: true, force: true }));

const nonceOf = (res: LightMyRequestResponse) =>
  /'nonce-([^']+)'/.exec(directives(res).get('style-src')!.join(' '))![1]!;

describeEachDb(
  '第六条 / 等保 2.0 入侵防范: security headers on every response',
  (env) => {
    const get = (url: string, headers: Record<string, string> = {}) =>
      env().app.inject({ method: 'GET', url, headers });

    it('API answers, signed in or refused, carry the strict policy and the other headers', async () => {
      expectHeaders(await get('/api/auth/me'), 'GET /api/auth/me (401)');
      const admin = await ApiClient.login(env(), 'admin');
      expect((await admin.get('/api/users')).status).toBe(200);
      const login = await env().app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 'admin', password: 'not-the-password' },
      });
      expect(login.statusCode).toBe(401);
      expectHeaders(login, 'POST /api/auth/login (401)');
      expectHeaders(await get('/healthz'), '/healthz');
      const portalApi = await get('/api/public/form-token');
      expect(portalApi.statusCode).toBe(200);
      expectHeaders(portalApi, 'public API of the portal');
    });

    it('errors and 404s: bad input, a URL that does not decode, an unknown API path, an unknown method', async () => {
      const bad = await env().app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 1 } });
      expect(bad.statusCode).toBe(400);
      expectHeaders(bad, '400');
      const undecodable = await get('/api/tickets/%FF');
      expect(undecodable.statusCode).toBe(400);
      expectHeaders(undecodable, '400 from the router');
      const unknownApi = await get('/api/nothing-here');
      expect(unknownApi.statusCode).toBe(404);
      expectHeaders(unknownApi, 'API 404');
      const unknownRoute = await env().app.inject({ method: 'DELETE', url: '/nothing-here' });
      expect(unknownRoute.statusCode).toBe(404);
      expectHeaders(unknownRoute, 'router 404');
      const missingAsset = await get('/assets/gone-1234.js');
      expect(missingAsset.statusCode).toBe(404);
      expectHeaders(missingAsset, 'missing asset');
    });

    it('the workbench and the portal: the shell carries the nonce of its own response, a fresh one each time', async () => {
      const pages = ['/', '/tickets/42', '/portal', '/portal/track'];
      const nonces = new Set<string>();
      for (const url of pages) {
        const res = await get(url);
        expect(res.statusCode, url).toBe(200);
        expectHeaders(res, url);
        const nonce = nonceOf(res);
        nonces.add(nonce);
        expect(res.body).not.toContain(CSP_NONCE_PLACEHOLDER);
        expect(res.body).toContain(`<meta property="csp-nonce" nonce="${nonce}">`);
        expect(res.headers['cache-control']).toBe('no-cache');
      }
      expect(nonces.size).toBe(pages.length);
      // the file itself is never served with the placeholder in it
      const raw = await get('/index.html');
      expect(raw.statusCode).toBe(404);
      expect(raw.body).not.toContain(CSP_NONCE_PLACEHOLDER);
      const asset = await get('/assets/app.js');
      expect(asset.statusCode).toBe(200);
      expectHeaders(asset, 'asset');
    });

    it('the API documentation (Swagger UI): the same policy with inline styles allowed, and no inline script', async () => {
      const page = await get('/api/docs');
      expect(page.statusCode).toBe(200);
      // its one relaxation (it writes <style> elements of its own): inline styles; scripts stay the origin's files
      const d = directives(page);
      expect(d.get('style-src')).toEqual(["'self'", "'unsafe-inline'"]);
      for (const [name, values] of Object.entries(STRICT)) expect(d.get(name), name).toEqual(values);
      expect(page.headers['x-frame-options']).toBe('DENY');
      expect(page.body).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
      expect(page.body).not.toMatch(/\son[a-z]+=/i);
      const init = await get('/api/docs/static/swagger-initializer.js');
      expect(init.statusCode).toBe(200);
      const doc = await get('/api/docs/json');
      expect(doc.statusCode).toBe(200);
      expect(directives(doc).get('script-src')).toEqual(["'self'"]);
      expect(doc.headers['x-content-type-options']).toBe('nosniff');
    });

    it('a file handed out by the API gets a sandbox of its own: opened directly it cannot run as a page', async () => {
      const e = env();
      const rec = await e.services.contacts.record({
        channel: 'wechat',
        externalId: `csp-${Date.now()}`,
        requester: { wechatOpenId: 'o6_bmjrPTlm6_2sgVt7hMZOPfL2M' },
        content: '路面塌陷，见图',
        files: [{ data: PNG, name: 'photo.png' }],
      });
      const att = await e.db
        .selectFrom('attachments')
        .select('id')
        .where('contact_id', '=', rec.id)
        .executeTakeFirstOrThrow();
      const login = await e.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 'agent', password: DEMO_PASSWORD },
      });
      const cookie = String(login.headers['set-cookie']).split(';')[0]!;
      const file = await get(`/api/attachments/${att.id}`, { cookie });
      expect(file.statusCode).toBe(200);
      expect(file.headers['content-type']).toBe('image/png');
      const d = directives(file);
      expect(d.get('default-src')).toEqual(["'none'"]);
      expect(d.has('sandbox')).toBe(true);
      expect(d.get('frame-ancestors')).toEqual(["'none'"]);
      expect(file.headers['x-frame-options']).toBe('DENY');
      expect(file.headers['x-content-type-options']).toBe('nosniff');
      // PDFs: Chromium shows no PDF in a sandboxed document, and a PDF runs no script of the origin
      expect(fileContentSecurityPolicy('application/pdf')).not.toContain('sandbox');
      expect(fileContentSecurityPolicy('video/mp4')).toContain('sandbox');
    });
  },
  { kinds: ['pglite'], webRoot: WEB },
);

describeEachDb(
  '第六条: HSTS and upgrade-insecure-requests only when the deployment is behind TLS (COOKIE_SECURE=true)',
  (env) => {
    let secure: FastifyInstance;
    beforeAll(async () => {
      const dir = mkdtempSync(join(tmpdir(), 'hz-att-'));
      ({ app: secure } = await buildApp({
        db: env().db,
        clock: env().clock,
        cipher: new PiiCipher(randomBytes(32)),
        logLevel: 'silent',
        secureCookie: true,
        attachmentDir: dir,
        webRoot: WEB,
      }));
      await secure.ready();
      return async () => {
        await secure.close();
        rmSync(dir, { recursive: true, force: true });
      };
    });

    it('sends HSTS for a year with subdomains, and upgrades any http:// subresource', async () => {
      for (const url of ['/api/auth/me', '/portal', '/api/nothing', '/api/tickets/%FF']) {
        const res = await secure.inject({ method: 'GET', url });
        expect(res.headers['strict-transport-security'], url).toBe('max-age=31536000; includeSubDomains');
        expect(directives(res).has('upgrade-insecure-requests'), url).toBe(true);
        expect(res.headers['x-frame-options'], url).toBe('DENY');
      }
    });
  },
  { kinds: ['pglite'], webRoot: WEB },
);

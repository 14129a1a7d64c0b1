import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { registerWeb } from '../../src/server/http/static-web.js';

// The SPA is served at `/` with client-side routes falling back to index.html, while /api stays JSON.
describe('static web serving', () => {
  const dirs: string[] = [];
  const tempDir = (prefix: string) => {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  function fakeBuild() {
    const root = tempDir('hz-web-');
    mkdirSync(join(root, 'assets'));
    writeFileSync(join(root, 'index.html'), '<!doctype html><div id="root"></div>');
    writeFileSync(join(root, 'assets', 'app-abc123.js'), 'console.log(1)');
    return root;
  }

  it('serves the app shell for client routes, hashed assets with long caching, and JSON 404 under /api', async () => {
    const app = Fastify();
    await registerWeb(app, { root: fakeBuild() });
    const page = await app.inject('/tickets/42');
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('<div id="root">');
    expect(page.headers['cache-control']).toBe('no-cache');
    expect((await app.inject('/')).body).toContain('<div id="root">');
    const asset = await app.inject('/assets/app-abc123.js');
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['cache-control']).toContain('immutable');
    expect((await app.inject('/assets/gone-000.js')).statusCode).toBe(404);
    const api = await app.inject('/api/nothing-here');
    expect(api.statusCode).toBe(404);
    expect(api.json().error).toMatchObject({ code: 'not_found', message: '接口不存在' });
    await app.close();
  });

  it('explains a missing build instead of showing a blank page', async () => {
    const app = Fastify();
    await registerWeb(app, { root: tempDir('hz-empty-') });
    const res = await app.inject('/dispatch');
    expect(res.statusCode).toBe(503);
    expect(res.body).toContain('npm run build:web');
    expect((await app.inject('/api/x')).statusCode).toBe(404);
    await app.close();
  });
});

import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';
import { CSP_NONCE_PLACEHOLDER } from '../../shared/csp.js';
import { styleNonce } from './security-headers.js';

/** Where `vite build` writes the web app (see vite.config.ts). */
export const WEB_DIST_DIR = process.env.WEB_DIST_DIR ?? fileURLToPath(new URL('../../../dist/web', import.meta.url));

const MISSING_BUILD_PAGE = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>前端尚未构建</title></head>
<body style="font-family:sans-serif;padding:40px;line-height:1.8">
<h2>菏泽市12345政务服务便民热线：前端页面尚未构建</h2>
<p>服务端与接口已在运行（<a href="/api/docs">接口文档</a>），但没有找到前端构建产物。</p>
<p>请在项目目录运行 <code>npm run build:web</code>（或 <code>npm start</code>，它会在需要时自动构建），然后刷新本页。</p>
</body></html>`;

/**
 * Serves the single-page web app at `/` from the Vite build: hashed assets with long caching, index.html
 * for every other non-API GET path (client-side routes such as /tickets/42), and the API's JSON 404 for
 * unknown /api paths. When the build is missing, pages answer 503 with instructions instead of a blank page.
 */
export async function registerWeb(app: FastifyInstance, opts: { root?: string } = {}): Promise<void> {
  const root = opts.root ?? WEB_DIST_DIR;
  const built = existsSync(join(root, 'index.html'));
  if (built) {
    await app.register(fastifyStatic, {
      root,
      wildcard: false,
      index: false,
      serve: true,
      // the shell is served by the route below, with this response's nonce written in
      allowedPath: (path) => path !== '/index.html',
      cacheControl: false, // set below: hashed assets forever, everything else revalidated
      setHeaders: (res, path) => {
        res.setHeader('Cache-Control', path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
  } else {
    app.log.warn({ root }, 'web build not found: run `npm run build:web`');
  }

  app.get('/*', { schema: { hide: true } }, async (req, reply) => {
    const path = req.url.split('?')[0] ?? '/';
    if (path === '/api' || path.startsWith('/api/')) {
      return reply.status(404).send({ error: { code: 'not_found', message: '接口不存在', requestId: req.id } });
    }
    if (!built) return reply.status(503).type('text/html; charset=utf-8').send(MISSING_BUILD_PAGE);
    // A missing asset (a stale hashed file name) is a 404, not the app shell.
    if (/\.[a-z0-9]+$/i.test(path)) return reply.status(404).type('text/plain; charset=utf-8').send('文件不存在');
    // the shell carries this response's CSP style nonce (security-headers.ts), so it is written per response; read
    // from disk each time like sendFile did, so a rebuild while the server runs is served at once
    const html = await readFile(join(root, 'index.html'), 'utf8');
    reply.header('Cache-Control', 'no-cache');
    return reply.type('text/html; charset=utf-8').send(html.replaceAll(CSP_NONCE_PLACEHOLDER, styleNonce(reply.raw)));
  });
}

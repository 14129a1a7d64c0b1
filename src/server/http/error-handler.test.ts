import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.js';
import { PdfFontMissingError } from '../pdf/index.js';
import { registerErrorHandler } from './error-handler.js';

// The last line of defence: whatever a route throws leaves as { error: { code, message, requestId } }, and only a
// fault of the code is a 500 — never a missing install step or a value the database refused.
describe('the error handler', () => {
  async function answer(err: unknown) {
    const app = Fastify({ logger: false });
    registerErrorHandler(app);
    app.get('/x', () => {
      throw err;
    });
    const res = await app.inject({ method: 'GET', url: '/x' });
    await app.close();
    return { status: res.statusCode, body: JSON.parse(res.body) as { error: Record<string, unknown> } };
  }

  it('a missing CJK font for PDFs is a 422 naming what to install, not a 500', async () => {
    const res = await answer(new PdfFontMissingError(['/usr/share/fonts/none.ttc']));
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'unprocessable' });
    expect(res.body.error.message).toMatch(/中文字体.*fonts-noto-cjk/);
    expect(JSON.stringify(res.body)).not.toContain('/usr/share'); // no server path leaks
  });

  it('an AppError keeps its status and message; a database refusal is a 400; anything else a bare 500', async () => {
    expect(await answer(new AppError('conflict', '版本已变化'))).toMatchObject({
      status: 409,
      body: { error: { code: 'conflict', message: '版本已变化' } },
    });
    expect(await answer(Object.assign(new Error('invalid byte sequence'), { code: '22021' }))).toMatchObject({
      status: 400,
      body: { error: { code: 'bad_request' } },
    });
    const crash = await answer(new Error('secret internals at /srv/app/x.ts'));
    expect(crash.status).toBe(500);
    expect(crash.body.error).toMatchObject({ code: 'internal', message: '服务器内部错误，请稍后重试' });
    expect(JSON.stringify(crash.body)).not.toContain('/srv/app');
  });
});

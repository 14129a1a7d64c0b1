import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, it } from 'vitest';
import {
  containsText,
  createTicketViaApi,
  describeWeb,
  POLL,
  signIn,
  useWebSession,
  VIEWPORT,
  visible,
} from './harness.js';

// 第六条 / 等保 2.0 入侵防范, in a real browser: the workbench cannot be framed by another site (clickjacking of the
// "显示" buttons), text a citizen typed is shown as text and never runs — and if markup did reach the page, the
// Content-Security-Policy would refuse to run it. The API documentation and the charts work under the policy.
// (Every other journey proves the policy too: ConsoleGuard fails a test on any violation.)

const INJECTED_TITLE = '<script>window.__xss = "title"</script>路灯不亮';
const INJECTED_CONTENT =
  '和平路路灯不亮 <img src=x onerror="window.__xss = \'content\'"> <script>window.__xss = "content-script"</script> 请尽快处理';

/** A page on another origin (another port) that frames `url`. */
async function framingSite(url: string): Promise<{ url: string; server: Server }> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(
      `<!doctype html><title>别的网站</title><h1>别的网站</h1><iframe id="victim" src="${url}" width="800" height="500"></iframe>`,
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://localhost:${(server.address() as AddressInfo).port}/`, server };
}

describeWeb('web: security headers and the Content-Security-Policy in Chromium', () => {
  const web = useWebSession();
  const { guard } = web;

  it('a page of another site that frames the workbench gets nothing: the frame is refused', async () => {
    const s = web.server;
    const site = await framingSite(`${s.url}/`);
    const context = await web.browser.newContext({ viewport: VIEWPORT, locale: 'zh-CN' });
    try {
      const page = await context.newPage();
      const refusals: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') refusals.push(m.text());
      });
      await page.goto(site.url);
      await visible(page.getByRole('heading', { name: '别的网站' }));
      // Chromium refuses the frame and says why: frame-ancestors 'none' (X-Frame-Options: DENY is ignored beside it)
      await expect.poll(() => refusals.join('\n'), POLL).toMatch(/frame-ancestors 'none'/);
      const frame = page.frames().find((f) => f !== page.mainFrame())!;
      expect(frame.url()).not.toBe(`${s.url}/`);
      // nothing of the app is inside: no login form, no app root
      expect(await frame.locator('#root').count()).toBe(0);
      expect(await frame.getByLabel('用户名').count()).toBe(0);
    } finally {
      await context.close();
      await new Promise<void>((resolve) => site.server.close(() => resolve()));
    }
  });

  it('markup typed into a ticket is shown as text and never runs; injected markup would be refused by the CSP', async () => {
    const s = web.server;
    const t = await createTicketViaApi(s, { title: INJECTED_TITLE, content: INJECTED_CONTENT });
    const { page, context } = await signIn(web.browser, s, guard, 'dispatcher');
    try {
      const shell = await page.goto(`/tickets/${t.id}`);
      // features no screen uses are refused to the page (the guard fails on a name Chromium does not know)
      expect(shell!.headers()['permissions-policy']).toContain('geolocation=()');
      expect(await page.evaluate("document.featurePolicy?.allowsFeature('geolocation') ?? null")).not.toBe(true);
      await containsText(page.locator('body'), '<script>window.__xss = "title"</script>路灯不亮');
      await containsText(page.locator('body'), '<img src=x onerror="window.__xss = \'content\'">');
      expect(await page.evaluate('window.__xss')).toBeUndefined();
      // no element was made from the citizen's text
      expect(await page.locator('img[src="x"]').count()).toBe(0);
      expect(await page.locator('script:not([src])').count()).toBe(0);

      // Were markup to reach the DOM (a bug elsewhere), the policy refuses to run it: an inline event handler
      // (script-src-attr 'none') and an inline script (script-src 'self').
      const refused: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error' && /Content Security Policy|^CSP violation/.test(m.text())) refused.push(m.text());
      });
      // each refusal is reported twice: Chromium's "Refused to …" line and the page's securitypolicyviolation event
      guard.expectCsp(/script-src-attr/);
      guard.expectCsp(/script-src-attr|inline event handler/);
      guard.expectCsp(/script-src/);
      guard.expectCsp(/script-src|inline script/);
      await page.evaluate(`(() => {
        const box = document.createElement('div');
        box.innerHTML = '<img src="data:," onerror="window.__xss = 1">';
        document.body.appendChild(box);
        const script = document.createElement('script');
        script.textContent = 'window.__xss = 2';
        document.body.appendChild(script);
      })()`);
      await expect.poll(() => refused.length, POLL).toBe(4);
      expect(await page.evaluate('window.__xss')).toBeUndefined();
    } finally {
      await context.close();
    }
    guard.assertClean();
  });

  it('the API documentation (Swagger UI) renders under the policy with no violation', async () => {
    const context = await web.browser.newContext({ viewport: VIEWPORT, baseURL: web.server.url });
    try {
      const page = await context.newPage();
      guard.attach(page, 'developer');
      await page.goto('/api/docs');
      await containsText(page.locator('.swagger-ui .info .title'), '菏泽市12345政务服务便民热线 API');
      // an operation opens with its parameters and the "Try it out" button
      await page.locator('.opblock-summary', { hasText: '/api/auth/login' }).first().click();
      await visible(page.getByRole('button', { name: 'Try it out' }));
    } finally {
      await context.close();
    }
    guard.assertClean();
  });

  // (the knowledge figures' charts are drawn, under the same guard, by the knowledge-answering journey)
  it('the charts (ECharts) of the overview draw under the policy, tooltips too', async () => {
    const s = web.server;
    await createTicketViaApi(s);
    await createTicketViaApi(s, { urgency: 'urgent' });
    const { page, context } = await signIn(web.browser, s, guard, 'analyst');
    try {
      await page.goto('/overview');
      const chart = page.locator('canvas').first();
      await visible(chart);
      const box = (await chart.boundingBox())!;
      for (const x of [0.3, 0.5, 0.7]) await page.mouse.move(box.x + box.width * x, box.y + box.height * 0.6);
      await page.waitForTimeout(300);
    } finally {
      await context.close();
    }
    guard.assertClean();
  });
});

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyReply } from 'fastify';
import helmet from 'helmet';
import { pooledRandomBytes } from '../security/random-pool.js';

// 等保 2.0 入侵防范 / 第六条: security headers on every response — the API, the web app, the portal, errors and 404s —
// through one onRequest hook registered before everything else, so even a request refused by a later hook has them:
// helmet's fixed headers (helmet itself, built once — @fastify/helmet builds helmet's middleware anew for every
// request) and the policy below written out once with a slot for the nonce (issue 8: the two were 3.8 % of the app's
// thread at 8 tickets in flight).
//
// The Content-Security-Policy admits only the app's own files: no inline script at all, no plugin, no <base>, no
// form posting elsewhere, and no framing by any site (frame-ancestors 'none' + X-Frame-Options: DENY), so the staff
// workbench with its "显示" (reveal personal data) buttons cannot be clickjacked. Ant Design writes its CSS-in-JS
// as <style> elements at run time; those carry the response's nonce (style-src 'nonce-…'), which the server writes
// into index.html (static-web.ts) and the web app hands to Ant Design (ConfigProvider csp). Styles React sets on
// elements go through the CSSOM, which CSP does not govern; style *attributes* in markup remain refused.

const nonces = new WeakMap<ServerResponse, string>();

/** The style nonce of one response (made on first use, 128 random bits). */
export function styleNonce(res: ServerResponse): string {
  let n = nonces.get(res);
  if (!n) {
    n = pooledRandomBytes(16).toString('base64');
    nonces.set(res, n);
  }
  return n;
}

const NONCE = '\u0000nonce\u0000'; // where each response's nonce goes in the policy (no directive can hold a NUL)

/** The policy of every page and API response (see the header comment); NONCE stands for the response's style nonce. */
function contentSecurityPolicy(secure: boolean): Record<string, string[]> {
  return {
    'default-src': ["'self'"],
    'script-src': ["'self'"],
    'script-src-attr': ["'none'"],
    'style-src': ["'self'", `'nonce-${NONCE}'`],
    // data: for Ant Design's inline SVG backgrounds and ECharts' exported images; blob: for previews of picked files
    'img-src': ["'self'", 'data:', 'blob:'],
    'font-src': ["'self'", 'data:'],
    'media-src': ["'self'", 'blob:'],
    'connect-src': ["'self'"],
    'object-src': ["'none'"],
    'base-uri': ["'self'"],
    'form-action': ["'self'"],
    'frame-ancestors': ["'none'"],
    // only behind TLS: on plain HTTP it would send the page's own requests to an https:// that is not there
    ...(secure ? { 'upgrade-insecure-requests': [] } : {}),
  };
}

/**
 * The Content-Security-Policy header of one response, from the policy written out once: only the nonce changes from
 * response to response (helmet would write the whole policy out again for each one — issue 8's profile).
 */
function policyHeader(secure: boolean): (res: ServerResponse) => string {
  const [before, after] = Object.entries(contentSecurityPolicy(secure))
    .map(([name, values]) => [name, ...values].join(' '))
    .join(';')
    .split(NONCE) as [string, string];
  return (res) => before + styleNonce(res) + after;
}
const policies = { secure: policyHeader(true), plain: policyHeader(false) };
const policyFor = (secure: boolean) => (secure ? policies.secure : policies.plain);

/**
 * A file the API hands out (attachments, knowledge files, exports): opened on its own it must not run as a page of
 * the origin, so it is sandboxed with nothing allowed but showing itself. PDFs keep no sandbox: Chromium refuses to
 * show a PDF in a sandboxed document, and a PDF runs no script of the origin anyway.
 */
export function fileContentSecurityPolicy(mime: string): string {
  const base =
    "default-src 'none'; img-src 'self'; media-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'none'";
  return /^application\/pdf\b/i.test(mime) ? `${base}; object-src 'self'` : `${base}; sandbox`;
}

/**
 * The API documentation (Swagger UI at /api/docs) writes <style> elements of its own without a nonce. Its pages get
 * the same policy with inline styles allowed — and nothing else: scripts stay 'self' only (its page has no inline
 * script), and it shows no personal data, only the API's description. Used as @fastify/swagger-ui's
 * transformStaticCSP, which rewrites the header on its routes only.
 */
export function swaggerUiContentSecurityPolicy(header: string | string[] | number): string {
  return String(header).replace(/style-src [^;]*/, "style-src 'self' 'unsafe-inline'");
}

/**
 * Browser features no screen of the platform uses (no camera, microphone, location, payment or device access: the
 * softphone is the CTI's, the portal's place is picked, not located), refused to the pages and anything they embed,
 * so an injected script could not ask the citizen or the agent for them. Only feature names Chromium knows: an
 * unknown one is a console error, which the journeys' console guard fails on.
 */
export const PERMISSIONS_POLICY =
  'camera=(), microphone=(), geolocation=(), payment=(), usb=(), midi=(), accelerometer=(), gyroscope=(), ' +
  'magnetometer=(), display-capture=(), fullscreen=(self)';

export const HSTS_MAX_AGE_SECONDS = 365 * 24 * 3600;

/**
 * Every security header of one response: helmet's fixed ones (helmet built once per setting — @fastify/helmet builds
 * its middleware anew for every request) and the policy with the response's nonce. helmet's middleware is synchronous:
 * each of its parts sets a header and calls the next at once.
 */
function securityHeaders(
  secure: boolean,
): (req: IncomingMessage, res: ServerResponse, done: (err?: Error) => void) => void {
  const fixed = helmet({
    contentSecurityPolicy: false,
    xFrameOptions: { action: 'deny' },
    referrerPolicy: { policy: 'same-origin' },
    // HSTS only when the cookies are Secure (COOKIE_SECURE=true), i.e. the deployment is served over TLS
    strictTransportSecurity: secure ? { maxAge: HSTS_MAX_AGE_SECONDS, includeSubDomains: true } : false,
  });
  const policy = policyFor(secure);
  return (req, res, done) => {
    res.setHeader('permissions-policy', PERMISSIONS_POLICY);
    res.setHeader('content-security-policy', policy(res));
    fixed(req, res, (err?: unknown) => done(err as Error | undefined));
  };
}
const setters = { secure: securityHeaders(true), plain: securityHeaders(false) };
const headersFor = (secure: boolean) => (secure ? setters.secure : setters.plain);

/**
 * The headers of an answer the router gives before any hook runs (Fastify's frameworkErrors: a URL that does not
 * decode): the onRequest hook below never saw that request, so the same setter runs here.
 */
export function setFrameworkErrorHeaders(reply: FastifyReply, secure: boolean): void {
  headersFor(secure)(reply.request.raw, reply.raw, () => {});
}

export async function registerSecurityHeaders(app: FastifyInstance, opts: { secure: boolean }) {
  const set = headersFor(opts.secure);
  app.addHook('onRequest', (req, reply, done) => set(req.raw, reply.raw, done));
  app.addHook('onSend', async (_req, reply, payload) => {
    if (reply.getHeader('content-disposition')) {
      reply.header('content-security-policy', fileContentSecurityPolicy(String(reply.getHeader('content-type') ?? '')));
    }
    return payload;
  });
}

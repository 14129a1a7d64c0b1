/**
 * What the Vite build writes where the per-response CSP nonce goes (vite.config.ts `html.cspNonce`): the server
 * replaces it in index.html with the nonce of the response's Content-Security-Policy (static-web.ts), and the web
 * app reads it back from `<meta property="csp-nonce">` for the styles Ant Design writes at run time (csp-nonce.ts).
 */
export const CSP_NONCE_PLACEHOLDER = 'HZ_CSP_NONCE_PLACEHOLDER';

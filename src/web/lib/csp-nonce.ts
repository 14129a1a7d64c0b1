import { CSP_NONCE_PLACEHOLDER } from '../../shared/csp';

// The nonce of this page's Content-Security-Policy (style-src 'nonce-…'): the server writes it into index.html per
// response, where Vite put <meta property="csp-nonce" nonce="…">. The `nonce` property is read, not the attribute:
// browsers hide a nonce attribute's value from the page (and from CSS selectors) once the document has loaded.
// Under `vite` (dev server, no CSP) the placeholder is still there and no nonce is used.
function readNonce(): string | undefined {
  const meta = document.querySelector<HTMLMetaElement>('meta[property="csp-nonce"]');
  const nonce = meta?.nonce || meta?.getAttribute('nonce') || '';
  return nonce && nonce !== CSP_NONCE_PLACEHOLDER ? nonce : undefined;
}

export const CSP_NONCE = readNonce();

/** Ant Design's ConfigProvider `csp`: its CSS-in-JS <style> elements carry the nonce (the documented way). */
export const ANTD_CSP = CSP_NONCE ? { nonce: CSP_NONCE } : undefined;

// Two helpers under Ant Design write <style> elements without asking the ConfigProvider: the scroll lock of Modal and
// Drawer (@rc-component/portal useScrollLocker) and the scroll-bar measurement of Table (rc-util getScrollBarSize),
// both through rc-util's updateCSS with no nonce (ant-design/ant-design#53032, react-component/portal#35, open).
// So a <style> element this app's own scripts create in its document gets the nonce, as webpack's __webpack_nonce__
// does for a bundle's styles. Only elements made by script: style markup that reached the page some other way
// (innerHTML, the parser) does not pass through here and stays refused — and scripts can only be the app's own files.
if (CSP_NONCE) {
  const nonce = CSP_NONCE;
  const create = document.createElement.bind(document);
  document.createElement = ((tagName: string, options?: ElementCreationOptions) => {
    const el = create(tagName, options);
    if (el instanceof HTMLStyleElement) el.nonce = nonce;
    return el;
  }) satisfies (tagName: string, options?: ElementCreationOptions) => HTMLElement;
}

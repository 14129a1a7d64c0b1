// 无障碍 (WCAG 2.1 4.1.3 状态消息): one polite live region for the whole page; what is written into it is read out by a
// screen reader without moving the user. The region exists before the first message, as screen readers require.

const REGION_ID = 'a11y-live';

function region(): HTMLElement {
  let el = document.getElementById(REGION_ID);
  if (!el) {
    el = document.createElement('div');
    el.id = REGION_ID;
    el.className = 'sr-only';
    el.setAttribute('role', 'status');
    el.setAttribute('aria-live', 'polite');
    el.setAttribute('aria-atomic', 'true');
    document.body.appendChild(el);
  }
  return el;
}

/** Creates the live region ahead of time (the layouts call it on mount). */
export const ensureLiveRegion = (): void => void region();

/** Reads `text` out to a screen reader; the same text twice in a row is read twice. */
export function announce(text: string): void {
  const el = region();
  el.textContent = '';
  // a new text node after the clear, on the next frame, so the change is noticed even for a repeated message
  window.setTimeout(() => {
    el.textContent = text;
  }, 50);
}

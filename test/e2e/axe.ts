import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import type { AxeResults, Result } from 'axe-core';

// 无障碍 (GB/T 37668-2019, WCAG 2.1 AA): axe-core runs inside the real page of a journey and every violation of
// the A/AA rules fails the test with a readable list (rule, impact, the elements' selectors and what to fix).
// No rule is switched off; a third-party element that cannot be fixed is excluded by its exact selector below,
// with the reason beside it.

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** The WCAG 2.0/2.1 level A and AA rules (not the best-practice or AAA ones). */
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/**
 * Exact selectors left out of the check, each with the reason it cannot be fixed here. Keep this list short and
 * never use it for the app's own markup.
 */
const EXCLUDE: string[][] = [
  // rc-table (antd Table with a fixed-height scroll body) adds an invisible one-pixel row to measure the column
  // widths; it is aria-hidden and carries tabindex="-1" on antd's own markup, never receives focus and has no content.
  ['.ant-table-measure-row'],
];

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  helpUrl: string;
  nodes: Array<{ target: string; summary: string; html: string }>;
}

/**
 * Injects axe-core into the page (once) and runs the WCAG 2.1 A/AA rules on the whole document, or only inside the
 * elements matching the CSS selector `scope`.
 */
export async function axeViolations(page: Page, scope = 'html'): Promise<AxeViolation[]> {
  const present = await page.evaluate('typeof window.axe === "object"');
  // page.addScriptTag would add an inline <script>, which the app's Content-Security-Policy (script-src 'self')
  // rightly refuses; evaluating the source through the DevTools protocol is not subject to the page's CSP.
  if (!present) await page.evaluate(AXE_SOURCE);
  // a string, as the test project has no DOM types; the arguments go in as JSON
  const results = await page.evaluate<AxeResults>(
    `window.axe.run({ include: [[${JSON.stringify(scope)}]], exclude: ${JSON.stringify(EXCLUDE)} },
      { runOnly: { type: 'tag', values: ${JSON.stringify(WCAG_TAGS)} }, resultTypes: ['violations'] })`,
  );
  return results.violations.map((v: Result) => ({
    id: v.id,
    impact: v.impact ?? null,
    help: v.help,
    helpUrl: v.helpUrl,
    nodes: v.nodes.map((n) => ({
      target: n.target.map(String).join(' '),
      summary: (n.failureSummary ?? '').replace(/\s+/g, ' ').trim(),
      html: n.html.slice(0, 160),
    })),
  }));
}

/** One line per element: rule, impact, selector, what axe says to fix. */
export function formatViolations(label: string, violations: AxeViolation[]): string {
  const lines = [`${label}: ${violations.length} axe violation(s) of WCAG 2.1 A/AA`];
  for (const v of violations) {
    lines.push(`- ${v.id} (${v.impact ?? 'n/a'}): ${v.help} — ${v.helpUrl}`);
    for (const n of v.nodes.slice(0, 8)) lines.push(`    ${n.target}\n      ${n.html}\n      ${n.summary}`);
    if (v.nodes.length > 8) lines.push(`    … and ${v.nodes.length - 8} more`);
  }
  return lines.join('\n');
}

/** Fails with the readable list when the page as it is now has any WCAG 2.1 A/AA violation. */
export async function expectNoAxeViolations(page: Page, label: string): Promise<void> {
  // a toast or dialog still animating can be measured mid-fade (half-transparent text); wait for calm
  await page.waitForLoadState('networkidle').catch(() => undefined);
  const violations = await axeViolations(page);
  if (violations.length) throw new Error(formatViolations(label, violations));
}

/** Marks the dialog on top (the open antd Modal, Drawer or Popover, or a given selector) for a scoped axe run. */
const MARK_TOP_DIALOG = (selector: string) => `(() => {
  document.querySelectorAll('[data-axe-scope]').forEach((e) => e.removeAttribute('data-axe-scope'));
  const open = [...document.querySelectorAll(${JSON.stringify(selector)})].filter((e) => {
    const r = e.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && getComputedStyle(e).visibility !== 'hidden';
  });
  const top = open[open.length - 1];
  if (top) top.setAttribute('data-axe-scope', '');
  return !!top;
})()`;

/** The open dialogs axe looks into: antd's Modal and Drawer (role="dialog") and an open Popover. */
export const DIALOG = '[role="dialog"], .ant-popover:not(.ant-popover-hidden)';

/**
 * Fails with the readable list when the dialog on top — the open Modal or Drawer, or the popover (or `selector`) —
 * has any WCAG 2.1 A/AA violation. Scoped to the dialog because the page behind it is checked on its own and is
 * covered by the mask; what the dialog shows (its title, fields, buttons, colours over its own background) is not.
 */
export async function expectNoAxeViolationsIn(page: Page, label: string, selector = DIALOG): Promise<void> {
  await page.waitForLoadState('networkidle').catch(() => undefined);
  // the opening animation must have ended: axe measures colours as they are drawn (half-faded text fails contrast);
  // endless ones (a spinner) do not count
  for (let i = 0; i < 100; i++) {
    if (
      await page.evaluate<boolean>(
        `document.getAnimations().every((a) => a.playState !== 'running' || a.effect.getComputedTiming().endTime === Infinity)`,
      )
    )
      break;
    await new Promise((r) => setTimeout(r, 50));
  }
  if (!(await page.evaluate<boolean>(MARK_TOP_DIALOG(selector))))
    throw new Error(`${label}: no open dialog (${selector})`);
  const violations = await axeViolations(page, '[data-axe-scope]');
  if (violations.length) throw new Error(formatViolations(label, violations));
}

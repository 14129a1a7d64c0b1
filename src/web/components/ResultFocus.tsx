import { useEffect, useRef, type ReactNode } from 'react';
import { announce } from '../lib/announce';

/**
 * 无障碍 (WCAG 2.1 2.4.3 / 4.1.3): the result of a form submission takes the keyboard focus when it appears (the
 * focus no longer falls to the page body) and its summary is read out by the live region. `announceText` is what a
 * screen reader says; `focusKey` changes when a new result replaces the old one.
 */
export function ResultFocus({
  children,
  announceText,
  focusKey,
  label,
}: {
  children: ReactNode;
  announceText: string;
  focusKey?: string | number;
  label?: string;
}) {
  const ref = useRef<HTMLElement>(null);
  useEffect(() => {
    ref.current?.focus({ preventScroll: false });
    announce(announceText);
    // the focus moves once per result, not on every render
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [focusKey]);
  return (
    <section
      ref={ref}
      tabIndex={-1}
      aria-label={label ?? announceText}
      className="result-focus"
      data-testid="result-focus"
    >
      {children}
    </section>
  );
}

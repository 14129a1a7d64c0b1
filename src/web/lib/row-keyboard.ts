import type { HTMLAttributes, KeyboardEvent, MouseEvent } from 'react';

// 无障碍 (WCAG 2.1 2.1.1 键盘): a queue row that opens on a click opens on Enter or Space too. Every queue page (the
// agent's inbox, the dispatcher's, the units' lead and assist queues, the callback queue) builds its rows' props
// here, so each row is a Tab stop with a visible focus ring (styles.css tr[data-row-open]) and a name to announce.

type RowProps = HTMLAttributes<HTMLElement> & { 'data-row-open'?: string };

/** A click or a keypress on a control inside the row (a button, a link, a checkbox) is that control's own. */
function fromControl(target: EventTarget | null, row: EventTarget): boolean {
  let el = target as HTMLElement | null;
  while (el && el !== row) {
    if (el.matches?.('a, button, input, select, textarea, label, [role="button"], [role="checkbox"], .ant-select'))
      return true;
    el = el.parentElement;
  }
  return false;
}

/**
 * Props that make one element (a table row, a list item) open on a click, on Enter and on Space. `label` names it
 * for a screen reader; `click: false` leaves the mouse alone (the row's own link already opens it).
 */
export function openable(open: () => void, opts: { label?: string; click?: boolean; role?: string } = {}): RowProps {
  return {
    tabIndex: 0,
    role: opts.role,
    'data-row-open': '',
    'aria-label': opts.label,
    onClick:
      opts.click === false
        ? undefined
        : (e: MouseEvent<HTMLElement>) => {
            if (!fromControl(e.target, e.currentTarget)) open();
          },
    onKeyDown: (e: KeyboardEvent<HTMLElement>) => {
      if (e.target !== e.currentTarget) return;
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        open();
      }
    },
  };
}

/**
 * An antd Table `onRow` factory: `onRow={openableRow((r) => nav(`/tickets/${r.id}`), (r) => r.number)}`.
 * `label` names the row for a screen reader ("打开 HZ…").
 */
export function openableRow<T>(open: (row: T) => void, label?: (row: T) => string, opts: { click?: boolean } = {}) {
  return (row: T): RowProps => openable(() => open(row), { label: label ? `打开 ${label(row)}` : undefined, ...opts });
}

import { describe, expect, it } from 'vitest';
import {
  columnOrderOf,
  DEFAULT_TICKET_SORT,
  isTicketSort,
  sortOfColumn,
  TICKET_SORT_LABELS,
  TICKET_SORTS,
  ticketSortSpec,
} from './ticket-sort.js';

describe('issue 14 ticket list orders', () => {
  it('each order reads one column in one direction; only the deadline may be missing', () => {
    expect(TICKET_SORTS.map(ticketSortSpec)).toEqual([
      { sort: 'deadline', column: 'due_at', desc: false, nullable: true },
      { sort: '-deadline', column: 'due_at', desc: true, nullable: true },
      { sort: 'created', column: 'created_at', desc: false, nullable: false },
      { sort: '-created', column: 'created_at', desc: true, nullable: false },
    ]);
  });

  it('the default is the deadline order the lists always had', () => {
    expect(DEFAULT_TICKET_SORT).toBe('deadline');
  });

  it('maps to the table column and its antd order and back', () => {
    for (const sort of TICKET_SORTS) {
      const { column, order } = columnOrderOf(sort);
      expect(sortOfColumn(column, order)).toBe(sort);
    }
    expect(columnOrderOf('-created')).toEqual({ column: 'created', order: 'descend' });
    expect(columnOrderOf('deadline')).toEqual({ column: 'deadline', order: 'ascend' });
  });

  it('a click past the last direction goes back to the default order, not to an unsorted list', () => {
    expect(sortOfColumn('created', null)).toBe(DEFAULT_TICKET_SORT);
    expect(sortOfColumn('created', undefined)).toBe(DEFAULT_TICKET_SORT);
    expect(sortOfColumn(undefined, 'ascend')).toBe(DEFAULT_TICKET_SORT);
  });

  it('recognises only its own values, and names every one in Chinese', () => {
    for (const s of TICKET_SORTS) {
      expect(isTicketSort(s)).toBe(true);
      expect(TICKET_SORT_LABELS[s]).toMatch(/^按/);
    }
    for (const s of ['number', '', 'Created', '-', null, undefined, 3]) expect(isTicketSort(s)).toBe(false);
  });
});

// Issue 14 "Every list … sorting on the columns people sort by": the orders a ticket list can be read in. The server
// sorts (keyset pagination makes a browser-side sort of one page wrong); the web only names the order it wants.
//
// 'deadline' is the lists' order as it always was: the current step's due time, soonest first (tickets without
// one last). '-deadline' is latest first, still without one last. 'created'/'-created' are 受理时间, oldest/newest
// first. Every order breaks ties by id in its own direction, so a page boundary inside a run of equal keys neither
// skips nor repeats a row.
//
// 工单编号 is not offered: a number is the creation day and a sequence drawn at creation (HZyyyymmdd-nnnnnn), so its
// order is 受理时间's.

export const TICKET_SORTS = ['deadline', '-deadline', 'created', '-created'] as const;
export type TicketSort = (typeof TICKET_SORTS)[number];
export const DEFAULT_TICKET_SORT: TicketSort = 'deadline';

export interface TicketSortSpec {
  sort: TicketSort;
  /** the tickets column the order reads */
  column: 'due_at' | 'created_at';
  /** newest/latest first; ties then go by id descending too */
  desc: boolean;
  /** the column may be NULL (no deadline): those rows come last in both directions */
  nullable: boolean;
}

export function ticketSortSpec(sort: TicketSort): TicketSortSpec {
  switch (sort) {
    case 'deadline':
      return { sort, column: 'due_at', desc: false, nullable: true };
    case '-deadline':
      return { sort, column: 'due_at', desc: true, nullable: true };
    case 'created':
      return { sort, column: 'created_at', desc: false, nullable: false };
    case '-created':
      return { sort, column: 'created_at', desc: true, nullable: false };
  }
}

export const isTicketSort = (v: unknown): v is TicketSort => TICKET_SORTS.includes(v as TicketSort);

/** A list column's order as antd's Table shows it, and back (the web's sorter is controlled by the URL's sort). */
export type SortColumn = 'deadline' | 'created';
export type ColumnOrder = 'ascend' | 'descend';

export function columnOrderOf(sort: TicketSort): { column: SortColumn; order: ColumnOrder } {
  const desc = sort.startsWith('-');
  return { column: (desc ? sort.slice(1) : sort) as SortColumn, order: desc ? 'descend' : 'ascend' };
}

/**
 * The sort a click on a column asks for. antd reports no order when the user cycles past the last direction:
 * the list then goes back to its default order rather than to an unsorted one (a server list is always sorted).
 */
export function sortOfColumn(column: SortColumn | undefined, order: ColumnOrder | null | undefined): TicketSort {
  if (!column || !order) return DEFAULT_TICKET_SORT;
  return order === 'descend' ? `-${column}` : column;
}

/** How the order reads on screen (under the table and in an export's header). */
export const TICKET_SORT_LABELS: Record<TicketSort, string> = {
  deadline: '按办理期限，最近的在前',
  '-deadline': '按办理期限，最晚的在前',
  created: '按受理时间，最早的在前',
  '-created': '按受理时间，最新的在前',
};

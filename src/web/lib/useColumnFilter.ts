import { useState } from 'react';
import type { TableProps } from 'antd';

/**
 * One column filter of a table whose rows are all on the page, applied here rather than inside the Table, so the
 * rows the table shows and the rows its export writes are one list (issue 10: export what is on screen). The column
 * takes `filteredValue` (and no onFilter), the Table takes `shown` and `onChange`.
 */
export function useColumnFilter<T, V extends string | number>(rows: readonly T[], key: string, valueOf: (row: T) => V) {
  const [chosen, setChosen] = useState<V[]>([]);
  const shown = chosen.length ? rows.filter((r) => chosen.includes(valueOf(r))) : [...rows];
  const onChange: NonNullable<TableProps<T>['onChange']> = (_page, filters) => setChosen((filters[key] ?? []) as V[]);
  return { shown, filteredValue: chosen.length ? chosen : null, onChange };
}

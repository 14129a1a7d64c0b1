// 第二十四条: assessment periods (a month `2025-03` or a quarter `2025-Q1`) and the appeal window after them.

export interface Period {
  key: string;
  kind: 'month' | 'quarter';
  /** first and last local day, inclusive */
  from: string;
  to: string;
  /** the months it is made of, e.g. ['2025-01', '2025-02', '2025-03'] */
  months: string[];
}

const pad = (n: number) => String(n).padStart(2, '0');

function lastDayOfMonth(year: number, month: number): string {
  const d = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${year}-${pad(month)}-${pad(d)}`;
}

/** Parses `YYYY-MM` or `YYYY-Qn`; null when it is neither. */
export function parsePeriod(key: string): Period | null {
  let m = /^((?:19|20)\d{2})-(0[1-9]|1[0-2])$/.exec(key);
  if (m) {
    const y = Number(m[1]);
    const mo = Number(m[2]);
    return { key, kind: 'month', from: `${m[1]}-${m[2]}-01`, to: lastDayOfMonth(y, mo), months: [key] };
  }
  m = /^((?:19|20)\d{2})-Q([1-4])$/.exec(key);
  if (m) {
    const y = Number(m[1]);
    const first = (Number(m[2]) - 1) * 3 + 1;
    const months = [first, first + 1, first + 2].map((x) => `${y}-${pad(x)}`);
    return { key, kind: 'quarter', from: `${y}-${pad(first)}-01`, to: lastDayOfMonth(y, first + 2), months };
  }
  return null;
}

/** The month (`YYYY-MM`) and quarter (`YYYY-Qn`) a local day belongs to. */
export function periodsOfDay(day: string): { month: string; quarter: string } {
  const month = day.slice(0, 7);
  return { month, quarter: `${day.slice(0, 4)}-Q${Math.floor((Number(day.slice(5, 7)) - 1) / 3) + 1}` };
}

/**
 * The last day a unit may appeal a ticket's counting in a period: `workingDays` working days after the period
 * closes (the default is 5). `nextWorkingDay` comes from the working calendar, so holidays and 调休 count right.
 */
export function appealDeadline(periodTo: string, workingDays: number, nextWorkingDay: (d: string) => string): string {
  let d = periodTo;
  for (let i = 0; i < workingDays; i++) d = nextWorkingDay(d);
  return d;
}

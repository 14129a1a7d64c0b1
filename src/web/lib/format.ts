// Times are shown in China Standard Time whatever the workstation's time zone is.
const TZ = 'Asia/Shanghai';
const dateTime = new Intl.DateTimeFormat('zh-CN', {
  timeZone: TZ,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});
const dateOnly = new Intl.DateTimeFormat('zh-CN', { timeZone: TZ, year: 'numeric', month: '2-digit', day: '2-digit' });

function parts(f: Intl.DateTimeFormat, d: Date): Record<string, string> {
  return Object.fromEntries(f.formatToParts(d).map((p) => [p.type, p.value]));
}

export function fmtDateTime(v: string | Date | null | undefined): string {
  if (!v) return '—';
  const p = parts(dateTime, new Date(v));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

export function fmtDate(v: string | Date | null | undefined): string {
  if (!v) return '—';
  const p = parts(dateOnly, new Date(v));
  return `${p.year}-${p.month}-${p.day}`;
}

export const yesNo = (v: boolean | null | undefined, yes = '是', no = '否') =>
  v === null || v === undefined ? '—' : v ? yes : no;

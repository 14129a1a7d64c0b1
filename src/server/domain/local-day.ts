/**
 * The instant a local calendar day (China time, UTC+8) begins, `plusDays` later: filters by day take
 * `from` inclusive (`localDayStart(from)`) and `to` as the whole day (`< localDayStart(to, 1)`).
 */
export function localDayStart(day: string, plusDays = 0): Date {
  return new Date(new Date(`${day}T00:00:00+08:00`).getTime() + plusDays * 86_400_000);
}

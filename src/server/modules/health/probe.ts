/**
 * The outcome of `work` within `ms`: a health probe never hangs on a stuck database (on PGlite a long transaction
 * holds the only connection). A query that runs out of time is left to finish on its own; its result is ignored.
 */
export async function probe<T>(
  work: () => Promise<T>,
  ms: number,
): Promise<{ ok: true; value: T } | { ok: false; error: 'timeout' | 'error' }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms);
  });
  const attempt = work().then(
    (value) => ({ ok: true as const, value }),
    () => ({ ok: false as const, error: 'error' as const }),
  );
  try {
    const r = await Promise.race([attempt, timeout]);
    return r === 'timeout' ? { ok: false, error: 'timeout' } : r;
  } finally {
    clearTimeout(timer);
  }
}

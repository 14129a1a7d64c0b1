// What the metrics count but other layers know: a scheduler job's pass finished (the job loops) and a login failed
// (the login throttle). They report here, to whoever listens — each app's metrics registry while it is open — so
// the jobs and the auth service stay free of prom-client and need no registry passed down to them. With no listener
// (metrics off) a report costs one empty loop.

export interface OpsListener {
  /** one pass of a recurring job; ok = false when it threw */
  jobRun?(job: string, ok: boolean, seconds: number): void;
  /** a wrong password (counted after its transaction committed); locked = this failure locked the account */
  loginFailure?(locked: boolean): void;
}

const listeners = new Set<OpsListener>();

/** Starts listening; returns the function that stops it. */
export function listenToOps(listener: OpsListener): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

export function reportJobRun(job: string, ok: boolean, seconds: number): void {
  for (const l of listeners) l.jobRun?.(job, ok, seconds);
}

export function reportLoginFailure(locked: boolean): void {
  for (const l of listeners) l.loginFailure?.(locked);
}

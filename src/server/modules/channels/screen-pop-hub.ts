import type { ServerResponse } from 'node:http';

// Screen pop while the phone rings (第十条: the agent sees who calls and their history). Each agent's browser
// keeps one Server-Sent Events stream open; a CTI event is pushed to the streams of the target agent or, for
// a call not yet routed to anyone, to every agent of the centre the telephone system belongs to.
// The fan-out lives in this process's memory: with several HTTP processes a CTI event reaches only the
// streams held by the process that received it. docs/channels.md describes the LISTEN/NOTIFY step for that.

export interface Subscriber {
  userId: number;
  username: string;
  unitId: number;
  send(event: string, data: unknown, id?: string): void;
  close(): void;
}

export interface Audience {
  /** The agent the CTI routed the call to; when absent or not connected, the whole centre gets it. */
  username?: string | null;
  centreUnitId: number;
}

export class ScreenPopHub {
  private readonly subs = new Set<Subscriber>();

  subscribe(s: Subscriber): () => void {
    this.subs.add(s);
    return () => this.subs.delete(s);
  }

  get size(): number {
    return this.subs.size;
  }

  /** Sends to the audience; returns how many streams got it (0 when no agent is connected). */
  publish(to: Audience, event: string, data: unknown, id?: string): number {
    let targets = to.username ? [...this.subs].filter((s) => s.username === to.username) : [];
    if (targets.length === 0) targets = [...this.subs].filter((s) => s.unitId === to.centreUnitId);
    for (const s of targets) s.send(event, data, id);
    return targets.length;
  }

  /** Ends every stream, so a shutting-down server is not held open by idle browsers. */
  closeAll(): void {
    for (const s of this.subs) s.close();
    this.subs.clear();
  }
}

/** One SSE stream on a raw response: framing, a heartbeat that keeps proxies from cutting it, cleanup. */
export function sseSubscriber(
  res: ServerResponse,
  who: { userId: number; username: string; unitId: number },
  heartbeatMs = 20_000,
): Subscriber {
  const write = (chunk: string) => {
    if (!res.writableEnded && !res.destroyed) res.write(chunk);
  };
  const timer = setInterval(() => write(': ping\n\n'), heartbeatMs);
  timer.unref();
  return {
    ...who,
    send(event, data, id) {
      // JSON has no raw newlines, so one data: line is enough for the SSE framing
      write(`${id ? `id: ${id}\n` : ''}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    },
    close() {
      clearInterval(timer);
      if (!res.writableEnded && !res.destroyed) res.end();
    },
  };
}

import { useEffect, useRef, useState } from 'react';
import type { CallOffered } from '../api/contact-types';

export interface CallStream {
  /** Calls offered to this agent and not yet answered by anyone else, newest first. */
  calls: CallOffered[];
  connected: boolean;
  dismiss: (contactId: number) => void;
}

interface Handlers {
  /** any call event: the inbox refreshes */
  onChange?: () => void;
  /** the telephone system says this agent picked the call up: the console opens it */
  onAnsweredByMe?: (contactId: number) => void;
}

/**
 * The screen pop (第十条): GET /api/channels/cti/stream as Server-Sent Events with the session cookie. A call
 * appears on `call.offered`; it leaves when another agent answers it or it ends. EventSource reconnects by
 * itself (the server sends `retry: 3000`).
 */
export function useCallStream(username: string, handlers: Handlers): CallStream {
  const [calls, setCalls] = useState<CallOffered[]>([]);
  const [connected, setConnected] = useState(false);
  const h = useRef(handlers);
  h.current = handlers;
  useEffect(() => {
    const es = new EventSource('/api/channels/cti/stream');
    const data = <T>(e: Event) => JSON.parse((e as MessageEvent<string>).data) as T;
    const drop = (contactId: number) => setCalls((cs) => cs.filter((c) => c.contactId !== contactId));
    es.addEventListener('ready', () => setConnected(true));
    es.addEventListener('call.offered', (e) => {
      const call = data<CallOffered>(e);
      setCalls((cs) => [call, ...cs.filter((c) => c.contactId !== call.contactId)].slice(0, 5));
      h.current.onChange?.();
    });
    es.addEventListener('call.answered', (e) => {
      const a = data<{ contactId: number; agentUsername: string }>(e);
      if (a.agentUsername === username) h.current.onAnsweredByMe?.(a.contactId);
      drop(a.contactId);
      h.current.onChange?.();
    });
    es.addEventListener('call.ended', (e) => {
      drop(data<{ contactId: number }>(e).contactId);
      h.current.onChange?.();
    });
    es.onopen = () => setConnected(true);
    es.onerror = () => setConnected(false);
    return () => es.close();
  }, [username]);
  return { calls, connected, dismiss: (id) => setCalls((cs) => cs.filter((c) => c.contactId !== id)) };
}

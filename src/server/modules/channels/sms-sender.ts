import type { FastifyBaseLogger } from 'fastify';
import { maskPhone } from '../../domain/masking.js';
import { normalisePhone } from '../../security/pii-cipher.js';

/**
 * Sends one SMS. A gateway adapter (China Mobile/Unicom/Telecom, a cloud SMS service) implements this; the
 * outbox job (src/server/jobs/outbox.ts) decides when and how often to call it. A thrown error is a failed
 * attempt and is retried; the message text of the error is stored, so it must not contain the number.
 */
export interface SmsSender {
  readonly name: string;
  send(to: string, body: string): Promise<{ providerId: string }>;
}

/** The development sender: delivers nothing and logs the masked number and the length of the text only (第六条). */
export class LoggingSmsSender implements SmsSender {
  readonly name = 'log';
  private seq = 0;
  constructor(private readonly log: Pick<FastifyBaseLogger, 'info'>) {}

  async send(to: string, body: string): Promise<{ providerId: string }> {
    const providerId = `log-${Date.now().toString(36)}-${++this.seq}`;
    this.log.info({ sms: { to: maskPhone(normalisePhone(to)), chars: [...body].length, providerId } }, 'sms (logging sender, not delivered)');
    return { providerId };
  }
}

export function createSmsSender(kind: 'log', log: Pick<FastifyBaseLogger, 'info'>): SmsSender {
  switch (kind) {
    case 'log': return new LoggingSmsSender(log);
  }
}

/** Long digit runs (phone numbers, ID numbers) replaced before an error text is stored or logged. */
export function scrubDigits(text: string): string {
  return text.replace(/\+?\d[\d\s-]{5,}\d/g, (m) => {
    const d = m.replace(/\D/g, '');
    return d.length >= 7 ? `${d.slice(0, 3)}****${d.slice(-2)}` : m;
  });
}


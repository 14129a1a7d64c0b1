import type { FastifyBaseLogger } from 'fastify';
import { maskPhone } from '../../domain/masking.js';
import { normalisePhone } from '../../security/pii-cipher.js';

/**
 * Sends one outbound message: an SMS gateway adapter (China Mobile/Unicom/Telecom, a cloud SMS service), or the
 * WeChat customer-service API. The outbox job (src/server/jobs/outbox.ts) decides when and how often to call
 * it. A thrown error is a failed attempt and is retried — unless it is a PermanentSendError; the message text
 * of the error is stored, so it must not contain the recipient.
 */
export interface MessageSender {
  readonly name: string;
  send(to: string, body: string): Promise<{ providerId: string }>;
}
export type SmsSender = MessageSender;

/** A refusal that no retry can change (the recipient cannot be reached this way any more). */
export class PermanentSendError extends Error {}

/** The development sender: delivers nothing and logs the masked number and the length of the text only (第六条). */
export class LoggingSmsSender implements SmsSender {
  readonly name = 'log';
  private seq = 0;
  constructor(private readonly log: Pick<FastifyBaseLogger, 'info'>) {}

  async send(to: string, body: string): Promise<{ providerId: string }> {
    const providerId = `log-${Date.now().toString(36)}-${++this.seq}`;
    this.log.info(
      { sms: { to: maskPhone(normalisePhone(to)), chars: [...body].length, providerId } },
      'sms (logging sender, not delivered)',
    );
    return { providerId };
  }
}

export function createSmsSender(kind: 'log', log: Pick<FastifyBaseLogger, 'info'>): SmsSender {
  switch (kind) {
    case 'log':
      return new LoggingSmsSender(log);
  }
}

/** Long digit runs (phone numbers, ID numbers) replaced before an error text is stored or logged. */
export function scrubDigits(text: string): string {
  return text.replace(/\+?\d[\d\s-]{5,}\d/g, (m) => {
    const d = m.replace(/\D/g, '');
    return d.length >= 7 ? `${d.slice(0, 3)}****${d.slice(-2)}` : m;
  });
}

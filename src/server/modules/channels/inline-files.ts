import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { AppError } from '../../errors.js';
import type { IncomingFile } from '../intake/contacts.service.js';

// JSON webhooks (Weibo, partner systems) carry attachments inline as base64. The bytes then go through
// ContactService like any upload: type sniffed from the content, size limited per kind (第九条).

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export const inlineFile = z
  .object({
    name: z.string().trim().max(200).optional(),
    data: z.string().max(14_000_000, '附件过大').optional(),
    url: z
      .url({ protocol: /^https?$/, error: '附件地址应为 http(s) URL' })
      .max(2000)
      .optional(),
  })
  .refine((f) => f.data || f.url, { message: '附件须提供 data（base64）或 url' });

export type InlineFile = z.infer<typeof inlineFile>;

/** Decodes the inline bytes; a file given only by URL stays a reference (nothing is downloaded here). */
export function decodeInlineFiles(files: InlineFile[] | undefined): {
  files: IncomingFile[];
  references: Array<{ name: string | null; url: string }>;
} {
  const out: IncomingFile[] = [];
  const references: Array<{ name: string | null; url: string }> = [];
  (files ?? []).forEach((f, i) => {
    if (f.data !== undefined) {
      const clean = f.data.replace(/\s+/g, '');
      // Buffer.from silently skips bad characters; a corrupted upload must be refused, not half-decoded
      if (!clean || clean.length % 4 !== 0 || !BASE64.test(clean))
        throw new AppError('bad_request', `第 ${i + 1} 个附件的 data 不是有效的 base64`, { index: i });
      out.push({ data: Buffer.from(clean, 'base64'), name: f.name ?? null });
    } else if (f.url) references.push({ name: f.name ?? null, url: f.url });
  });
  return { files: out, references };
}

/** A refusal for size: 413 with its Chinese message (AppError has no 413 code). */
export class PayloadTooLarge extends Error {
  readonly statusCode = 413;
}

/** A body over the route's limit answers 413 with a message a person understands; other errors go up. */
export function chineseTooLarge(sub: FastifyInstance, message: string) {
  sub.setErrorHandler((err: Error & { statusCode?: number }, req, reply) => {
    if (err.statusCode !== 413) throw err; // the app's error handler answers everything else
    const text = err instanceof PayloadTooLarge ? err.message : message;
    return reply.status(413).send({ error: { code: 'payload_too_large', message: text, requestId: req.id } });
  });
}

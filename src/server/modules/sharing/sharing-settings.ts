import { z } from 'zod';

// 第三十条: what the data-sharing module reads from the environment, validated once when the services are built.
// WEBHOOK_ALLOW_LOOPBACK_HTTP: plain http to 127.0.0.1/localhost for development and tests; in production only
// when explicitly set to "true" (a receiver on the same host behind a TLS-terminating proxy).
const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  WEBHOOK_ALLOW_LOOPBACK_HTTP: z.enum(['true', 'false']).optional(),
});

export interface SharingSettings {
  allowLoopbackHttp: boolean;
  /** how long a rotated-out secret still signs (second v1 in X-Hz-Signature) */
  rotationGraceMs: number;
  maxSubscriptionsPerUnit: number;
}

export function sharingSettings(env: NodeJS.ProcessEnv = process.env): SharingSettings {
  const cfg = schema.parse(env);
  return {
    allowLoopbackHttp:
      cfg.WEBHOOK_ALLOW_LOOPBACK_HTTP !== undefined
        ? cfg.WEBHOOK_ALLOW_LOOPBACK_HTTP === 'true'
        : cfg.NODE_ENV !== 'production',
    rotationGraceMs: 24 * 3_600_000,
    maxSubscriptionsPerUnit: 5,
  };
}

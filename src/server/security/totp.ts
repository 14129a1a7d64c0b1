import { generate, generateSecret, generateURI, verify } from 'otplib';

// 等保 2.0 身份鉴别 (two factors for administrators and auditors): RFC 6238 TOTP as every authenticator app speaks
// it — SHA-1, 6 digits, 30-second steps, a 160-bit Base32 secret — accepting the step before and after the
// current one (a phone's clock a little off) and never a step at or before the last one accepted (a code seen
// over a shoulder or in a proxy log cannot be replayed, not even within its own 30 seconds).

export const TOTP = {
  periodSeconds: 30,
  digits: 6,
  /** ±1 step */
  toleranceSeconds: 30,
  issuer: '菏泽12345热线',
} as const;

/** A new random secret, Base32 (20 bytes). */
export function newTotpSecret(): string {
  return generateSecret();
}

/** The otpauth:// URI an authenticator app scans (issuer and account name shown in the app). */
export function totpUri(secret: string, account: string): string {
  return generateURI({ issuer: TOTP.issuer, label: account, secret });
}

/** The time step of an instant (what totp_last_step stores). */
export const totpStep = (at: Date) => Math.floor(at.getTime() / 1000 / TOTP.periodSeconds);

/**
 * Checks a code at `now`: the step it matched, or null when it is wrong, malformed, outside the window or not
 * after `afterStep` (a replay).
 */
export async function checkTotp(
  secret: string,
  code: string,
  now: Date,
  afterStep: number | null,
): Promise<number | null> {
  if (!/^\d{6}$/.test(code)) return null;
  try {
    const r = await verify({
      secret,
      token: code,
      epoch: Math.floor(now.getTime() / 1000),
      epochTolerance: TOTP.toleranceSeconds,
      ...(afterStep !== null ? { afterTimeStep: afterStep } : {}),
    });
    return r.valid && 'timeStep' in r ? r.timeStep : null;
  } catch {
    return null;
  }
}

/** The code of a secret at an instant (tests, and nothing else, need to compute one). */
export function totpCode(secret: string, at: Date): Promise<string> {
  return generate({ secret, epoch: Math.floor(at.getTime() / 1000) });
}

import { z } from 'zod';
import { ROLE_LABELS, type Actor } from './actor.js';

/** Who is signed in, as /api/auth/me, the login and the account screens answer it. */
export function presentActor(a: Actor) {
  return {
    userId: a.userId,
    username: a.username,
    displayName: a.displayName,
    unitId: a.unitId,
    roles: a.roles,
    roleLabels: a.roles.map((r) => ROLE_LABELS[r]),
    scope: a.scope,
    // 第二十七条: the web tells a county centre (its own county) from the city centre by these
    regionPrefixes: a.regionPrefixes,
    // 等保 2.0 身份鉴别: what the web must ask of the user before anything else
    mustChangePassword: a.mustChangePassword ?? false,
    totpEnrolmentRequired: a.totpEnrolmentRequired ?? false,
    totpEnabled: a.totpEnabled ?? false,
  };
}

/** A six-digit code of an authenticator app. */
export const totpCode = z.string({ error: '请输入 6 位数字验证码' }).regex(/^\d{6}$/, '请输入 6 位数字验证码');

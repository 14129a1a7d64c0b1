// 等保 2.0 身份鉴别: the web's calls for the second login step, a person's own password and second factor, and the
// admin's security policy and resets.
import { http } from './client';
import type { Me, Role } from './types';

/** The first login step's answer when the account has a second factor: no session yet. */
export interface TotpChallenge {
  totpRequired: true;
  challenge: string;
  expiresAt: string;
}

export interface TotpSetup {
  secret: string;
  otpauthUri: string;
  issuer: string;
  account: string;
  digits: number;
  periodSeconds: number;
}

export interface SecuritySettings {
  passwordMinLength: number;
  passwordHistory: number;
  totpRequiredRoles: Role[];
  sessionIdleMinutes: number;
  sessionTtlHours: number;
  updatedAt: string | null;
  updatedBy: number | null;
}

export type SecuritySettingsInput = Pick<
  SecuritySettings,
  'passwordMinLength' | 'passwordHistory' | 'totpRequiredRoles'
>;

export const isTotpChallenge = (r: Me | TotpChallenge): r is TotpChallenge => 'totpRequired' in r && r.totpRequired;

export const account = {
  login: (username: string, password: string) =>
    http.post<Me | TotpChallenge>('/api/auth/login', { username, password }),
  loginTotp: (challenge: string, code: string) => http.post<Me>('/api/auth/login/totp', { challenge, code }),
  changePassword: (currentPassword: string, newPassword: string) =>
    http.post<Me>('/api/auth/password', { currentPassword, newPassword }),
  totpSetup: () => http.post<TotpSetup>('/api/auth/totp/setup', {}),
  totpEnable: (code: string) => http.post<Me>('/api/auth/totp/enable', { code }),
  totpDisable: (code: string) => http.post<Me>('/api/auth/totp/disable', { code }),
  // admin
  securitySettings: () => http.get<SecuritySettings>('/api/admin/security-settings'),
  updateSecuritySettings: (body: SecuritySettingsInput) =>
    http.put<SecuritySettings>('/api/admin/security-settings', body),
  resetTotp: (userId: number) =>
    http.post<{ id: number; username: string; totpEnabled: false; wasEnabled: boolean }>(
      `/api/users/${userId}/totp/reset`,
      {},
    ),
};

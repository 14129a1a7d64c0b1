import type { ColumnType, Generated } from 'kysely';

// Kysely types of migration 0022 (password history, login challenges, security settings; 第六条, 等保 身份鉴别).
type Id = Generated<number>;
type Ts = ColumnType<Date, Date | string, Date | string>;

export interface PasswordHistoryTable {
  id: Id;
  user_id: number;
  password_hash: string;
  replaced_at: Ts;
}
export interface LoginChallengesTable {
  token_hash: string;
  user_id: number;
  created_at: Ts;
  expires_at: Ts;
  failures: Generated<number>;
}
export interface SecuritySettingsTable {
  id: number;
  password_min_length: Generated<number>;
  password_history: Generated<number>;
  totp_required_roles: Generated<string[]>;
  updated_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  updated_by: ColumnType<number | null, number | null | undefined, number | null>;
}

export interface AuthTables {
  password_history: PasswordHistoryTable;
  login_challenges: LoginChallengesTable;
  security_settings: SecuritySettingsTable;
}

// 第六条, 等保 2.0 身份鉴别 (口令复杂度): what a password set through the API or the CLI must be. Pure rules, shared by the
// server (which enforces them, with the admin's settings and the user's password history) and the web (which
// checks the same rules as the user types, so the form and the server say the same thing).
//
// - at least `minLength` characters (a setting, never below 10) and at most 128;
// - at least three of four classes: lower-case letters, upper-case letters, digits, symbols (anything else,
//   including spaces and Chinese characters);
// - not containing the username, whatever the case;
// - none of the user's last N passwords (N a setting, default 5): checked by the server against argon2 hashes.

export const PASSWORD_POLICY = {
  /** the lowest minimum length an admin may set */
  minLengthFloor: 10,
  /** the highest minimum length an admin may set */
  minLengthCeiling: 64,
  maxLength: 128,
  minClasses: 3,
  defaultMinLength: 10,
  defaultHistory: 5,
  maxHistory: 24,
} as const;

export type PasswordRule = 'too_short' | 'too_long' | 'classes' | 'contains_username' | 'reused';

export interface PasswordViolation {
  rule: PasswordRule;
  /** Chinese, shown to the user as it is */
  message: string;
}

export interface PasswordClasses {
  lower: boolean;
  upper: boolean;
  digit: boolean;
  symbol: boolean;
}

/** Which of the four classes a password uses. */
export function passwordClasses(password: string): PasswordClasses {
  const c: PasswordClasses = { lower: false, upper: false, digit: false, symbol: false };
  for (const ch of password) {
    if (ch >= 'a' && ch <= 'z') c.lower = true;
    else if (ch >= 'A' && ch <= 'Z') c.upper = true;
    else if (ch >= '0' && ch <= '9') c.digit = true;
    else c.symbol = true;
  }
  return c;
}

export const passwordMessages = {
  tooShort: (min: number) => `密码至少${min}位`,
  tooLong: `密码不能超过${PASSWORD_POLICY.maxLength}位`,
  classes: '密码须包含大写字母、小写字母、数字、符号中的至少三类',
  containsUsername: '密码不能包含用户名',
  reused: (n: number) => `不能与最近${n}次使用过的密码相同`,
};

/**
 * The rules a password breaks that can be judged from the text alone (every rule but reuse), in the order a
 * person fixes them. Length counts characters (code points), not bytes. An empty list: the password is acceptable.
 */
export function passwordViolations(
  password: string,
  opts: { minLength?: number; username?: string | null } = {},
): PasswordViolation[] {
  const min = Math.max(PASSWORD_POLICY.minLengthFloor, opts.minLength ?? PASSWORD_POLICY.defaultMinLength);
  const out: PasswordViolation[] = [];
  const length = [...password].length;
  if (length < min) out.push({ rule: 'too_short', message: passwordMessages.tooShort(min) });
  if (length > PASSWORD_POLICY.maxLength) out.push({ rule: 'too_long', message: passwordMessages.tooLong });
  const classes = Object.values(passwordClasses(password)).filter(Boolean).length;
  if (classes < PASSWORD_POLICY.minClasses) out.push({ rule: 'classes', message: passwordMessages.classes });
  const username = opts.username?.trim().toLowerCase();
  if (username && password.toLowerCase().includes(username))
    out.push({ rule: 'contains_username', message: passwordMessages.containsUsername });
  return out;
}

/** The violation of the history rule, for the server once a hash of the last N matched. */
export function reusedPassword(history: number): PasswordViolation {
  return { rule: 'reused', message: passwordMessages.reused(history) };
}

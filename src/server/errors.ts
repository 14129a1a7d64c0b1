// One error type for everything the API refuses on purpose. The code decides the HTTP status;
// the message is Chinese because it reaches users; details carry structured context (e.g. current state).
export type ErrorCode =
  | 'bad_request'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'illegal_transition'
  | 'version_conflict'
  | 'conflict'
  | 'too_late'
  | 'unprocessable'
  | 'too_many_requests'
  // 等保 2.0 身份鉴别: a session that must first change its password or enrol a second factor (http/auth-plugin.ts)
  | 'PASSWORD_CHANGE_REQUIRED'
  | 'TOTP_ENROLMENT_REQUIRED';

const STATUS: Record<ErrorCode, number> = {
  bad_request: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  illegal_transition: 409,
  version_conflict: 409,
  conflict: 409,
  too_late: 409,
  unprocessable: 422,
  too_many_requests: 429,
  PASSWORD_CHANGE_REQUIRED: 403,
  TOTP_ENROLMENT_REQUIRED: 403,
};

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'AppError';
  }
  get status(): number {
    return STATUS[this.code];
  }
}

export const notFound = (what = '记录') => new AppError('not_found', `${what}不存在或无权查看`);
export const forbidden = (msg = '无权执行此操作') => new AppError('forbidden', msg);

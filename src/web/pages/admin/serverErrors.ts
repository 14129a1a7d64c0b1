import type { FormInstance } from 'antd';
import { ApiError } from '../../api/client';

/**
 * Puts the server's Chinese field messages (zod issues, or an AppError's details.field) under the matching
 * form fields, then rethrows so the dialog also shows the message at the top.
 */
export function showFieldErrors(form: FormInstance, e: unknown, fieldMap: Record<string, string> = {}): never {
  if (e instanceof ApiError) {
    const details = (e.details ?? {}) as { issues?: Array<{ path?: string; message?: string }>; field?: string };
    const byField = new Map<string, string[]>();
    const add = (path: string | undefined, message: string | undefined) => {
      const key = (path ?? '').replace(/^\//, '').split(/[/.]/)[0] ?? '';
      const name = fieldMap[key] ?? key;
      if (!name || !message) return;
      byField.set(name, [...(byField.get(name) ?? []), message]);
    };
    for (const i of details.issues ?? []) add(i.path, i.message);
    if (details.field) add(details.field, e.message);
    const known = new Set(Object.keys((form.getFieldsValue() as object | undefined) ?? {}));
    const fields = [...byField]
      .filter(([name]) => known.has(name))
      .map(([name, errors]) => ({ name, errors: [...new Set(errors)] }));
    if (fields.length) form.setFields(fields);
    const first = details.issues?.[0]?.message;
    if (first && e.code === 'bad_request')
      throw new ApiError(e.status, e.code, `${e.message}：${first}`, e.details, e.requestId);
  }
  throw e;
}

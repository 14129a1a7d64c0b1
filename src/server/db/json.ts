/**
 * A jsonb value as read back. The columns are written with JSON.stringify; a value can come back as that text
 * rather than parsed (e.g. a JSON string stored as jsonb), so readers accept both.
 */
export function readJson<T>(v: unknown): T {
  return (typeof v === 'string' ? JSON.parse(v) : v) as T;
}

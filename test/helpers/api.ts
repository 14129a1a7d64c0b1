import type { TestEnv } from './test-env.js';
import { DEMO_PASSWORD } from '../../src/server/seed/heze-organisation.js';

export interface ApiResponse<T = any> {
  status: number;
  body: T;
}

/** An HTTP client logged in as one demo user, going through the real routes, auth and validation. */
export class ApiClient {
  private constructor(
    private readonly env: TestEnv,
    private readonly cookie: string,
  ) {}

  static async login(env: TestEnv, username: string): Promise<ApiClient> {
    const res = await env.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username, password: DEMO_PASSWORD },
    });
    if (res.statusCode !== 200) throw new Error(`login ${username} failed: ${res.statusCode} ${res.body}`);
    const set = res.headers['set-cookie'];
    const first = Array.isArray(set) ? set[0]! : set!;
    return new ApiClient(env, first.split(';')[0]!);
  }

  async request<T = any>(
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    url: string,
    payload?: unknown,
  ): Promise<ApiResponse<T>> {
    const res = await this.env.app.inject({ method, url, payload: payload as never, headers: { cookie: this.cookie } });
    const json = String(res.headers['content-type'] ?? '').includes('json');
    return { status: res.statusCode, body: (json && res.body ? JSON.parse(res.body) : res.body) as T };
  }
  get<T = any>(url: string) {
    return this.request<T>('GET', url);
  }
  /** The raw bytes of a GET (attachments), with the status. */
  async bytes(url: string): Promise<{ status: number; data: Buffer; type: string }> {
    const res = await this.env.app.inject({ method: 'GET', url, headers: { cookie: this.cookie } });
    return { status: res.statusCode, data: res.rawPayload, type: String(res.headers['content-type'] ?? '') };
  }
  post<T = any>(url: string, payload: unknown = {}) {
    return this.request<T>('POST', url, payload);
  }
  put<T = any>(url: string, payload: unknown) {
    return this.request<T>('PUT', url, payload);
  }
  delete<T = any>(url: string) {
    return this.request<T>('DELETE', url);
  }
}

/** Asserts a status and returns the body, printing the server's answer when it differs. */
export function expectStatus<T>(res: ApiResponse<T>, status: number): T {
  if (res.status !== status) throw new Error(`expected HTTP ${status}, got ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}

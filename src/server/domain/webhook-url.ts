// 第三十条: where a unit's system receives its data. HTTPS only; plain http is accepted for a loopback address
// when the deployment allows it (development and tests), never with credentials in the URL.

export interface WebhookUrlPolicy {
  allowLoopbackHttp: boolean;
}

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

/** null when acceptable, else the reason in Chinese (shown to the admin as the field's error). */
export function webhookUrlProblem(raw: string, policy: WebhookUrlPolicy): string | null {
  if (raw.length > 2000) return '地址过长';
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return '不是有效的网址';
  }
  if (url.username || url.password) return '地址中不能包含用户名或密码';
  if (url.hash) return '地址中不能包含 # 片段';
  const loopback = LOOPBACK.test(url.hostname);
  if (url.protocol === 'https:') return null;
  if (url.protocol === 'http:' && loopback && policy.allowLoopbackHttp) return null;
  if (url.protocol === 'http:' && loopback) return '生产环境只接受 https 地址';
  return '推送地址必须使用 https';
}

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK.test(hostname);
}

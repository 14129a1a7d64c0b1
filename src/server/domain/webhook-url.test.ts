import { describe, expect, it } from 'vitest';
import { isLoopbackHost, webhookUrlProblem } from './webhook-url.js';

describe('第三十条 webhook URLs', () => {
  const dev = { allowLoopbackHttp: true };
  const prod = { allowLoopbackHttp: false };

  it('accepts https anywhere', () => {
    expect(webhookUrlProblem('https://md.example.gov.cn/12345/hook', prod)).toBeNull();
    expect(webhookUrlProblem('https://10.1.2.3:8443/hook?x=1', prod)).toBeNull();
  });

  it('accepts plain http only to a loopback address, and only when allowed', () => {
    for (const u of ['http://127.0.0.1:9000/h', 'http://localhost/h', 'http://[::1]:8080/h', 'http://127.1.2.3/h'])
      expect(webhookUrlProblem(u, dev)).toBeNull();
    expect(webhookUrlProblem('http://127.0.0.1:9000/h', prod)).toContain('https');
    expect(webhookUrlProblem('http://example.gov.cn/h', dev)).toContain('https');
    expect(webhookUrlProblem('http://127.0.0.1.example.com/h', dev)).toContain('https');
  });

  it('refuses other schemes, credentials, fragments, garbage and very long URLs', () => {
    expect(webhookUrlProblem('ftp://example.gov.cn/h', dev)).toContain('https');
    expect(webhookUrlProblem('https://u:p@example.gov.cn/h', dev)).toContain('用户名');
    expect(webhookUrlProblem('https://example.gov.cn/h#x', dev)).toContain('#');
    expect(webhookUrlProblem('not a url', dev)).toBe('不是有效的网址');
    expect(webhookUrlProblem(`https://e.cn/${'a'.repeat(2000)}`, dev)).toBe('地址过长');
  });

  it('knows loopback hosts', () => {
    expect(isLoopbackHost('LOCALHOST')).toBe(true);
    expect(isLoopbackHost('128.0.0.1')).toBe(false);
  });
});

import { sql } from 'kysely';
import { beforeEach, expect, it } from 'vitest';
import { describeEachDb, type TestEnv } from './helpers/test-env.js';
import { rateLimit } from '../src/server/http/rate-limit.js';

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);
const TEXT_AS_JPG = Buffer.from('这不是图片，只是改了扩展名的文本。');
const PDF = Buffer.from('%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n');

/** A multipart/form-data body as a browser builds it, including the empty part of an unused file input. */
function form(
  fields: Record<string, string>,
  files: Array<{ name: string; data: Buffer; field?: string; type?: string }> = [],
) {
  const boundary = '----WebKitFormBoundary7MA4YWxkTrZu0gW';
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields))
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  for (const f of files) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${f.field ?? 'pictures'}"; filename="${f.name}"\r\nContent-Type: ${f.type ?? 'image/jpeg'}\r\n\r\n`,
      ),
      f.data,
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}
async function counts(e: TestEnv) {
  return (
    await sql<{
      contacts: number;
      requesters: number;
      attachments: number;
    }>`SELECT (SELECT count(*)::int FROM contacts) AS contacts,
    (SELECT count(*)::int FROM requesters) AS requesters, (SELECT count(*)::int FROM attachments) AS attachments`.execute(
      e.db,
    )
  ).rows[0]!;
}

describeEachDb('第二条 多渠道受理 — 网站留言（公众表单）', (env, kind) => {
  const later = (ms: number) => env().clock.set(new Date(env().clock.now().getTime() + ms));
  const token = async () => {
    const res = await env().app.inject({ method: 'GET', url: '/api/public/form-token' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ minFillSeconds: 3, expiresInSeconds: 7200 });
    return res.json().token as string;
  };
  // The limiter counts per client address in real time; each test submits from its own (injected) address.
  let ip = '192.0.2.1';
  const submit = (fields: Record<string, string>, files: Parameters<typeof form>[1] = []) =>
    env().app.inject({ method: 'POST', url: '/api/public/requests', remoteAddress: ip, ...form(fields, files) });
  let n = 1;
  beforeEach(() => {
    ip = `192.0.2.${++n}`;
  });
  const good = (formToken: string, over: Record<string, string> = {}) => ({
    formToken,
    hz_trap: '',
    name: '赵敏',
    phone: '13805308888',
    content: '丹阳路菜市场门口污水外溢，气味很大，希望尽快处理。',
    address: '牡丹区丹阳路菜市场东门',
    category: '城市管理',
    ...over,
  });

  it('a person’s submission is one web contact with its picture; the same form sent twice is recorded once', async () => {
    const e = env();
    const before = await counts(e);
    const t = await token();
    later(8_000);
    const res = await submit(good(t), [
      { name: 'water.png', data: PNG, type: 'image/png' },
      { name: '', data: Buffer.alloc(0), type: 'application/octet-stream' },
    ]);
    expect(res.statusCode).toBe(201);
    expect(res.json().reference).toMatch(/^WEB-\d+$/);
    expect(res.json().message).toContain('留言已提交');
    const twice = await submit(good(t), [{ name: 'water.png', data: PNG, type: 'image/png' }]);
    expect(twice.statusCode).toBe(200);
    expect(twice.json()).toMatchObject({ reference: res.json().reference, duplicate: true });
    const after = await counts(e);
    expect(after.contacts - before.contacts).toBe(1);
    expect(after.attachments - before.attachments).toBe(1);
    const id = Number(res.json().reference.slice(4));
    const row = await e.db
      .selectFrom('contacts')
      .innerJoin('requesters', 'requesters.id', 'contacts.requester_id')
      .select(['channel', 'content', 'meta', 'phone_hash'])
      .where('contacts.id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      channel: 'web',
      content: '丹阳路菜市场门口污水外溢，气味很大，希望尽快处理。',
      phone_hash: e.cipher.phoneHash('13805308888'),
    });
    expect(row.meta).toMatchObject({ category: '城市管理', address: '牡丹区丹阳****' });
  });

  it('anti-spam: honeypot, too fast, expired and forged tokens are refused in Chinese with no rows', async () => {
    const e = env();
    const before = await counts(e);
    const t1 = await token();
    later(5_000);
    const honey = await submit(good(t1, { hz_trap: 'http://spam.example' }));
    expect(honey.statusCode).toBe(400);
    expect(honey.json().error.message).toContain('未通过校验');
    const t2 = await token();
    later(1_000);
    expect((await submit(good(t2))).json().error.message).toContain('提交过快');
    later(3 * 3_600_000);
    expect((await submit(good(t2))).json().error.message).toContain('已过期');
    const forged = t2.replace(/.$/, (ch) => (ch === 'A' ? 'B' : 'A'));
    expect((await submit(good(forged))).json().error.message).toContain('表单校验失败');
    expect((await submit({ content: '没有令牌的提交内容' })).statusCode).toBe(400);
    expect(await counts(e)).toEqual(before);
  });

  it('missing or bad fields, mistyped, non-picture, oversized or too many files: a clear error, no rows', async () => {
    const e = env();
    const before = await counts(e);
    const expectError = async (res: Awaited<ReturnType<typeof submit>>, status: number, text: string) => {
      expect(res.statusCode).toBe(status);
      expect(res.json().error.message).toContain(text);
    };
    const fresh = async () => {
      const t = await token();
      later(4_000);
      return t;
    };
    await expectError(await submit({ ...good(await fresh()), content: '' }), 400, '请具体描述');
    const { content: _c, ...noContent } = good(await fresh());
    await expectError(await submit(noContent), 400, '请填写诉求内容');
    await expectError(await submit(good(await fresh(), { phone: '电话123' })), 400, '电话号码格式不正确');
    await expectError(
      await submit(good(await fresh()), [{ name: 'photo.jpg', data: TEXT_AS_JPG }]),
      400,
      '不是有效的图片文件',
    );
    await expectError(
      await submit(good(await fresh()), [
        { name: 'ok.png', data: PNG },
        { name: 'doc.jpg', data: PDF },
      ]),
      400,
      '第 2 张图片',
    );
    await expectError(
      await submit(good(await fresh()), [{ name: 'x.png', data: PNG, field: 'attachment' }]),
      400,
      '不支持的文件字段',
    );
    await expectError(
      await submit(
        good(await fresh()),
        [1, 2, 3, 4].map((i) => ({ name: `${i}.png`, data: PNG })),
      ),
      413,
      '最多上传 3 张',
    );
    const big = Buffer.concat([PNG, Buffer.alloc(10 * 1024 * 1024 + 1)]);
    await expectError(await submit(good(await fresh()), [{ name: 'big.png', data: big }]), 413, '不能超过 10 MB');
    const json = await e.app.inject({
      method: 'POST',
      url: '/api/public/requests',
      remoteAddress: ip,
      payload: good(await fresh()),
    });
    await expectError(json, 400, 'multipart/form-data');
    expect(await counts(e)).toEqual(before);
  });

  it('a flood from one address is throttled until its window, on the app clock, has passed', async () => {
    let status = 0;
    for (let i = 0; i < 30 && status !== 429; i++) status = (await submit({ content: '刷屏内容刷屏内容' })).statusCode;
    expect(status).toBe(429);
    expect((await submit({ content: '刷屏内容刷屏内容' })).statusCode).toBe(429);
    later(61_000);
    expect((await submit({ content: '刷屏内容刷屏内容' })).statusCode).not.toBe(429);
  });

  it('the count is kept in the database: another process sees the same hits, and the address is stored only hashed', async () => {
    const e = env();
    for (let i = 0; i < 11; i++) await submit({ content: '刷屏内容刷屏内容' });
    const rows = await e.db.selectFrom('rate_limit_windows').selectAll().where('key', 'like', 'web-form:%').execute();
    expect(rows.some((r) => r.hits >= 11)).toBe(true);
    expect(JSON.stringify(rows)).not.toContain(ip);
    // a second app process on the same database refuses the same address at once (PGlite has one process only)
    const db = kind === 'postgres' ? (await e.openSecondHandle()).db : e.db;
    const limiter = rateLimit({ db, clock: e.clock, cipher: e.cipher }, { max: 10, windowMs: 60_000, key: 'web-form' });
    await expect(limiter({ ip } as never, {} as never)).rejects.toMatchObject({ code: 'too_many_requests' });
    await expect(limiter({ ip: '198.51.100.7' } as never, {} as never)).resolves.toBeUndefined();
  });
});

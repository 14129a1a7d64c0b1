import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { capNote, streamTable, type ExportCell } from '../src/server/modules/exports/table-writer.js';
import { TICKET_EXPORT_COLUMNS } from '../src/server/modules/exports/ticket-export.service.js';
import { ApiClient, expectStatus } from './helpers/api.js';
import { createTicket, loginAll, PHONE, type Clients } from './helpers/factories.js';
import { describeEachDb, type TestEnv } from './helpers/test-env.js';

// Issue 10 "Export everywhere" (第三十条第二款: every export is accounted for; 第六条: nothing personal in clear).

async function sheetRows(buf: Buffer): Promise<string[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  const ws = wb.worksheets[0]!;
  const out: string[][] = [];
  ws.eachRow((row) => {
    const values = (row.values as unknown[]).slice(1);
    out.push(
      values.map((v) =>
        v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v as string | number),
      ),
    );
  });
  return out;
}

function csvRows(buf: Buffer): string[][] {
  const text = buf.toString('utf8').replace(/^\uFEFF/, '');
  // the test data has no quoted line breaks, so lines are rows
  return text
    .split('\r\n')
    .filter(Boolean)
    .map((l) => l.split(','));
}

async function drain(s: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of s) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(c as string));
  return Buffer.concat(chunks);
}

describe('export writer: batches, the row cap and its note', () => {
  const batches = async function* (n: number) {
    for (let i = 0; i < n; i += 2)
      yield Array.from({ length: Math.min(2, n - i) }, (_, k): ExportCell[] => [i + k, `=cmd${i + k}`]);
  };
  for (const format of ['csv', 'xlsx'] as const)
    it(`${format}: stops at the cap, ends with a note, reports rows and truncation`, async () => {
      let done: { rows: number; truncated: boolean; sha256: string } | undefined;
      const stream = streamTable({
        format,
        sheetName: '测试/表[1]',
        columns: [{ header: '编号' }, { header: '内容' }],
        batches: batches(5),
        maxRows: 3,
        onDone: async (r) => {
          done = r;
        },
      });
      const buf = await drain(stream);
      const rows = format === 'csv' ? csvRows(buf) : await sheetRows(buf);
      expect(rows[0]).toEqual(['编号', '内容']);
      expect(rows.slice(1, 4).map((r) => r[0])).toEqual(['0', '1', '2']);
      expect(rows[4]![0]).toBe(capNote(3));
      expect(rows).toHaveLength(5);
      // a formula is never run: CSV defuses it, Excel stores text
      expect(rows[1]![1]).toBe(format === 'csv' ? "'=cmd0" : '=cmd0');
      expect(done).toMatchObject({ rows: 3, truncated: true });
      expect(done!.sha256).toMatch(/^[0-9a-f]{64}$/);
    });
  it('exactly at the cap is not truncated', async () => {
    let done: { rows: number; truncated: boolean } | undefined;
    const buf = await drain(
      streamTable({
        format: 'csv',
        sheetName: 'x',
        columns: [{ header: 'a' }, { header: 'b' }],
        batches: batches(4),
        maxRows: 4,
        onDone: async (r) => {
          done = r;
        },
      }),
    );
    expect(csvRows(buf)).toHaveLength(5);
    expect(done).toMatchObject({ rows: 4, truncated: false });
  });
});

describeEachDb('issue 10 export everywhere: 工单查询 and the audit logs as CSV and Excel', (env) => {
  let e: TestEnv;
  let c: Clients;
  const numbers: Record<string, string> = {};

  const raw = async (who: ApiClient, method: 'GET' | 'POST', url: string, payload?: unknown) => {
    const res = await e.app.inject({
      method,
      url,
      payload: payload as never,
      headers: { cookie: (who as unknown as { cookie: string }).cookie },
    });
    return { status: res.statusCode, data: res.rawPayload, headers: res.headers, body: res.body };
  };
  const lastExport = async (kind = 'export') =>
    expectStatus<{ items: Array<{ filter: Record<string, unknown>; rowCount: number; userId: number }> }>(
      await c.auditor.get(`/api/audit/access?kind=${kind}&limit=1`),
      200,
    ).items[0]!;

  beforeAll(async () => {
    e = env();
    c = await loginAll(e);
    numbers.lamp1 = (await createTicket(e, c.agent)).number;
    numbers.lamp2 = (
      await createTicket(e, c.agent, {
        title: '丹阳路路灯不亮',
        content: '丹阳路北段路灯晚上不亮已经三天，请尽快修复。',
        requester: { name: '李建国', phone: '13805309876' },
      })
    ).number;
    numbers.noise = (
      await createTicket(e, c.agent, {
        title: '夜间施工噪音扰民',
        content: '小区旁工地每天夜里十一点后仍在施工，噪音很大，影响休息。',
      })
    ).number;
    numbers.cx = (
      await createTicket(e, c.agentCx, {
        regionCode: '371721001',
        address: '曹县倪集街道青岛路',
        title: '青岛路路灯不亮',
        content: '青岛路路灯不亮，夜间出行不便。',
      })
    ).number;
  });

  it('Excel of a word search: the screen columns, the matches newest first, nothing personal, audited', async () => {
    const res = await raw(c.agent, 'POST', '/api/exports/tickets', { format: 'xlsx', q: '路灯' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(String(res.headers['content-disposition'])).toContain(encodeURIComponent('工单查询.xlsx'));
    expect(res.headers['x-export-total']).toBe('3');
    const rows = await sheetRows(res.data);
    expect(rows[0]).toEqual(TICKET_EXPORT_COLUMNS.map((col) => col.header));
    expect(rows.slice(1).map((r) => r[0])).toEqual([numbers.cx, numbers.lamp2, numbers.lamp1]);
    const text = JSON.stringify(rows);
    for (const secret of ['张秀英', '李建国', PHONE, '13805309876', '和平路与中华路交叉口东50米'])
      expect(text).not.toContain(secret);
    expect(rows[1]).toContain('倪集街道');
    expect(rows[1]).toContain('待派单');
    const log = await lastExport();
    expect(log.filter).toMatchObject({ screen: '工单查询', format: 'xlsx', q: '路灯', searchKind: 'text' });
    expect(log.rowCount).toBe(3);
    expect(log.userId).toBe(e.ids.users.agent);
  });

  it('a county centre exports only its county (CSV of the list by status)', async () => {
    const res = await raw(c.agentCx, 'POST', '/api/exports/tickets', { format: 'csv', status: ['pending_dispatch'] });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    const rows = csvRows(res.data);
    expect(rows[0]).toEqual(TICKET_EXPORT_COLUMNS.map((col) => col.header));
    expect(rows.slice(1).map((r) => r[0])).toEqual([numbers.cx]);
    const city = csvRows(
      (await raw(c.agent, 'POST', '/api/exports/tickets', { format: 'csv', status: ['pending_dispatch'] })).data,
    );
    expect(new Set(city.slice(1).map((r) => r[0]))).toEqual(new Set(Object.values(numbers)));
    const log = await lastExport();
    expect(log).toMatchObject({ rowCount: 4, filter: { status: 'pending_dispatch', format: 'csv' } });
  });

  it('a phone search exports that requester’s tickets and keeps the number masked in the audit', async () => {
    const res = await raw(c.agent, 'POST', '/api/exports/tickets', { format: 'csv', q: PHONE });
    expect(res.status).toBe(200);
    const rows = csvRows(res.data);
    // the county's ticket too: its requester is the same person, and the city centre sees every county
    expect(
      rows
        .slice(1)
        .map((r) => r[0])
        .sort(),
    ).toEqual([numbers.lamp1, numbers.noise, numbers.cx].sort());
    const log = await lastExport();
    expect(log.filter.searchKind).toBe('phone');
    expect(String(log.filter.q)).not.toContain(PHONE);
    expect(JSON.stringify(log.filter)).not.toContain(PHONE);
  });

  it('bad filters are 400, other roles 403', async () => {
    for (const body of [
      { format: 'pdf', q: '路灯' },
      { format: 'csv', status: ['bogus'] },
      { format: 'csv', status: [] },
      { format: 'csv', q: '路灯', status: ['closed'] },
      { format: 'csv', unitId: 'x' },
      { format: 'csv', unitId: 2 ** 40 },
      { format: 'csv', q: 'a\u0000b' },
      { format: 'csv', q: 'x'.repeat(101) },
      { format: 'csv', q: '?' },
    ])
      expect((await raw(c.agent, 'POST', '/api/exports/tickets', body)).status, JSON.stringify(body)).toBe(400);
    expect((await raw(c.handlerMd, 'POST', '/api/exports/tickets', { format: 'csv' })).status).toBe(403);
  });

  it('the audit logs as Excel, each export itself logged', async () => {
    const admin = await raw(c.auditor, 'GET', '/api/audit/admin.xlsx?entity=user');
    expect(admin.status).toBe(200);
    const a = await sheetRows(admin.data);
    expect(a[0]).toContain('来源地址');
    expect(await lastExport('audit_export')).toMatchObject({
      rowCount: a.length - 1,
      filter: { log: 'admin_audit', format: 'xlsx' },
    });
    const access = await raw(c.auditor, 'GET', '/api/audit/access.xlsx?kind=export');
    const rows = await sheetRows(access.data);
    expect(rows[0]![0]).toBe('编号');
    expect(rows.slice(1).every((r) => r[2] === '导出')).toBe(true);
    expect(rows.length).toBeGreaterThan(3);
    // the phone search above wrote the PII access audit; its export names who and why, never the number
    const pii = await raw(c.auditor, 'GET', '/api/exports/pii-access?format=csv');
    expect(pii.status).toBe(200);
    const p = csvRows(pii.data);
    expect(p[0]).toEqual(['编号', '时间', '人员', '工单号', '来电来信', '查看内容', '事由', '请求编号']);
    expect(p.some((r) => r.includes('按来电号码查询工单'))).toBe(true);
    expect(pii.body).not.toContain(PHONE);
    expect(await lastExport('audit_export')).toMatchObject({ filter: { log: 'pii_access_log', format: 'csv' } });
    expect((await raw(c.auditor, 'GET', '/api/exports/pii-access?format=pdf')).status).toBe(400);
    expect((await raw(c.admin, 'GET', '/api/exports/pii-access?format=csv')).status).toBe(403);
    expect((await raw(c.admin, 'GET', '/api/audit/admin.xlsx')).status).toBe(403);
  });

  it('a table on screen becomes Excel, recorded with its screen, filter and rows', async () => {
    const res = await raw(c.agent, 'POST', '/api/exports/table.xlsx', {
      screen: '知识库同义词',
      filter: { q: '社保' },
      header: ['词', '同义词'],
      rows: [
        ['社保', '社会保险'],
        ['医保', null],
        ['=1+1', 3],
      ],
    });
    expect(res.status).toBe(200);
    expect(await sheetRows(res.data)).toEqual([['词', '同义词'], ['社保', '社会保险'], ['医保'], ['=1+1', '3']]);
    expect(await lastExport()).toMatchObject({
      rowCount: 3,
      filter: { screen: '知识库同义词', format: 'xlsx', q: '社保' },
    });
    const bad = [
      { screen: '', header: ['a'], rows: [] },
      { screen: 'x', header: [], rows: [] },
      { screen: 'x', header: ['a'], rows: [[{ a: 1 }]] },
      { screen: 'x', header: ['a'], rows: Array.from({ length: 10_001 }, () => [1]) },
    ];
    for (const body of bad) expect((await raw(c.agent, 'POST', '/api/exports/table.xlsx', body)).status).toBe(400);
  });
});

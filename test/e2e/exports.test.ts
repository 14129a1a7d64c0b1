import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import { afterAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { seedDemoHistory } from '../../src/server/demo/history.js';
import { TICKET_EXPORT_COLUMNS } from '../../src/server/modules/exports/ticket-export.service.js';
import { createTicketViaApi, describeWeb, pathIs, signIn, useWebSession, visible } from './harness.js';

// Issue 10, export everywhere: on 工单查询 the agent exports the centre's closed tickets (a demo year's worth) as
// Excel; the file streams in with a progress dialog, is saved, and holds the screen's columns and every row, masked.

const SHOTS = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));
const shot = (p: Page, name: string) => p.screenshot({ path: `${SHOTS}${name}.png` });

/** Chooses Excel in an export menu and reads the file it saves: its rows as text. */
const sheet = async (page: Page, testId: string, name: string | RegExp) => {
  const download = page.waitForEvent('download', { timeout: 60_000 });
  await page.getByTestId(testId).click();
  await page.getByText('Excel（.xlsx）').last().click();
  const file = await download;
  if (typeof name === 'string') expect(file.suggestedFilename()).toBe(`${name}.xlsx`);
  else expect(file.suggestedFilename()).toMatch(name);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load((await readFile((await file.path())!)) as unknown as ArrayBuffer);
  const ws = wb.worksheets[0]!;
  const rows: string[][] = [];
  ws.eachRow((row) => {
    const cells: string[] = [];
    row.eachCell({ includeEmpty: true }, (c) => void cells.push(c.text));
    rows.push(cells);
  });
  return rows;
};

describeWeb('web: issue 10 export of 工单查询 to Excel with progress', () => {
  const web = useWebSession();
  const { guard } = web;
  afterAll(() => guard.assertClean());

  it('the agent exports the closed tickets as Excel and sees the progress', async () => {
    const s = web.server;
    const history = await seedDemoHistory(s.handle.db, s.services.deps.cipher, s.clock.now(), {
      tickets: 3_000,
      seed: 3,
    });
    expect(history.tickets).toBeGreaterThan(2_000);

    const { page } = await signIn(web.browser, s, guard, 'agent');
    await page.locator('.ant-layout-sider').getByText('工单查询').click();
    await pathIs(page, '/tickets');
    await page.getByText('已办结', { exact: true }).click();
    await visible(page.locator('.ant-table-row'));
    await shot(page, 'export-ticket-search');

    await page.getByTestId('ticket-export').click();
    const download = page.waitForEvent('download', { timeout: 60_000 });
    await page.getByText('Excel（.xlsx）').click();
    // the dialog shows while the file streams in (and a moment after, at 100 %)
    await visible(page.getByTestId('export-progress'));
    await shot(page, 'export-progress');
    const file = await download;
    expect(file.suggestedFilename()).toBe('工单查询.xlsx');

    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await readFile((await file.path())!)) as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    const header = (ws.getRow(1).values as unknown[]).slice(1);
    expect(header).toEqual(TICKET_EXPORT_COLUMNS.map((c) => c.header));
    const closed = await s.handle.db
      .selectFrom('tickets')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('status', '=', 'closed')
      .executeTakeFirstOrThrow();
    expect(ws.rowCount - 1).toBe(Number(closed.n));
    const statuses = new Set<string>();
    ws.eachRow((row, i) => {
      if (i > 1) statuses.add(row.getCell(7).text);
    });
    expect([...statuses]).toEqual(['已办结']);
    // nothing personal: the made-up requesters' numbers are never in the file
    const text = JSON.stringify(ws.getSheetValues());
    expect(text).not.toMatch(/199\d{8}/);
    await page
      .getByText(/已导出 \d+ 行/)
      .first()
      .waitFor();
  });

  it('a work queue exports its loaded rows as Excel too (the dispatcher’s 待派单)', async () => {
    const s = web.server;
    const t = await createTicketViaApi(s);
    const { page } = await signIn(web.browser, s, guard, 'dispatcher');
    await page.locator('.ant-layout-sider').getByText('待派单').click();
    await visible(page.locator(`tr[data-ticket-number="${t.number}"]`));
    const download = page.waitForEvent('download', { timeout: 60_000 });
    await page.getByTestId('queue-export').click();
    await page.getByText('Excel（.xlsx）').click();
    const file = await download;
    expect(file.suggestedFilename()).toBe('待派单.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await readFile((await file.path())!)) as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect((ws.getRow(1).values as unknown[]).slice(1)).toEqual([
      '工单编号',
      '标题',
      '类型',
      '分类',
      '区域',
      '紧急程度',
      '受理时间',
    ]);
    const numbers: string[] = [];
    ws.eachRow((row, i) => {
      if (i > 1) numbers.push(row.getCell(1).text);
    });
    expect(numbers).toContain(t.number);
    expect(JSON.stringify(ws.getSheetValues())).not.toContain('13905301234');
  });

  it('the dispatcher exports 申请审核, the admin 派单目录, 用户 and 单位 (what each screen lists)', async () => {
    const s = web.server;
    const t = await createTicketViaApi(s);
    await (await s.as('dispatcher')).call('POST', `/api/tickets/${t.id}/dispatch`, {});
    await (
      await s.as('handler_dc')
    ).call('POST', `/api/tickets/${t.id}/return-applications`, {
      reason: '路灯属城管局管理',
      materials: [{ name: '职责说明.docx' }],
    });

    const { page: d } = await signIn(web.browser, s, guard, 'dispatcher');
    await d.locator('.ant-layout-sider').getByText('申请审核').click();
    await visible(d.locator(`tr[data-ticket-number="${t.number}"]`));
    const review = await sheet(d, 'review-export', '申请审核');
    expect(review[0]!.slice(0, 4)).toEqual(['类型', '工单编号', '工单标题', '申请单位']);
    expect(review.find((r) => r[1] === t.number)).toMatchObject({ 0: '退单申请', 4: '路灯属城管局管理' });

    const { page: a } = await signIn(web.browser, s, guard, 'admin');
    await a.goto(`${s.url}/admin/catalogue`);
    await visible(a.locator('.ant-table-row'));
    const catalogue = await sheet(a, 'catalogue-export', '派单目录');
    const rules = await s.handle.db.selectFrom('catalogue_rules').select(['id', 'basis']).execute();
    expect(catalogue.length - 1).toBe(rules.length);
    expect(catalogue[0]).toEqual([
      '编号',
      '事项分类',
      '行政区划',
      '依据',
      '层级',
      '主办单位',
      '协办单位',
      '优先级',
      '备注',
      '启用',
    ]);

    // filtered by the column's own filter, the file holds what the table shows: the 属地管理 rules only
    await a.locator('th', { hasText: '依据' }).getByRole('button', { name: 'filter' }).first().click();
    await a.locator('.ant-dropdown').getByText('属地管理').click();
    await a
      .locator('.ant-dropdown')
      .getByRole('button', { name: /确\s*定/ })
      .click();
    const territorial = rules.filter((r) => r.basis === 'territorial').length;
    await expect.poll(() => a.locator('.ant-table-row').count()).toBe(Math.min(territorial, 50));
    const filtered = await sheet(a, 'catalogue-export', '派单目录');
    expect(filtered.length - 1).toBe(territorial);
    expect(new Set(filtered.slice(1).map((r) => r[3]))).toEqual(new Set(['属地管理']));

    await a.goto(`${s.url}/admin/users`);
    await visible(a.locator('.ant-table-row'));
    const users = await sheet(a, 'users-export', '用户');
    expect(users.map((r) => r[0])).toContain('handler_dc');

    await a.goto(`${s.url}/admin/units`);
    await visible(a.locator('.ant-table-row'));
    const units = await sheet(a, 'units-export', '单位');
    expect(units.some((r) => r[1] === '菏泽市城市管理局')).toBe(true);

    // every one was recorded before the file was made (第三十条第二款)
    const recorded = await s.handle.db.selectFrom('access_log').select('filter').where('kind', '=', 'export').execute();
    const screens = recorded.map((r) => (r.filter as { screen?: string } | null)?.screen);
    expect(screens).toEqual(expect.arrayContaining(['申请审核', '派单目录', '用户', '单位']));
  });

  it('the admin exports 事项分类 (the whole tree with paths), 滥用标记审核 and 网格管理 (what each lists)', async () => {
    const s = web.server;
    const agentApi = await s.as('agent');
    const rec = await agentApi.call('POST', '/api/contacts', {
      channel: 'phone',
      requester: { phone: '13800002222' },
      content: '来电人反映楼道堆物',
    });
    await agentApi.call('POST', `/api/requesters/${rec.requesterId}/flags`, {
      kind: 'harassment',
      detail: '来电人辱骂话务员（导出测试）',
      contactId: rec.id,
    });
    const { page: a } = await signIn(web.browser, s, guard, 'admin');

    await a.goto(`${s.url}/admin/categories`);
    await visible(a.locator('.ant-table-row'));
    const categories = await sheet(a, 'categories-export', '事项分类');
    const all = await s.handle.db.selectFrom('categories').select(['code', 'name', 'parent_id']).execute();
    expect(categories[0]).toEqual(['代码', '分类路径', '名称', '层级', '关键词（智能分类）', '状态']);
    expect(categories.length - 1).toBe(all.length);
    const child = all.find((c) => c.parent_id !== null)!;
    const row = categories.find((r) => r[0] === child.code)!;
    expect(row[1]).toMatch(new RegExp(` / ${child.name}$`));

    await a.locator('.ant-layout-sider').getByText('滥用标记审核').click();
    await visible(a.locator('tr[data-flag-id]'));
    const flags = await sheet(a, 'flags-export', '滥用标记审核');
    expect(flags[0]!.slice(0, 5)).toEqual(['标记时间', '类型', '情况', '来源', '诉求人']);
    const flagged = flags.find((r) => r[2] === '来电人辱骂话务员（导出测试）')!;
    expect(flagged[11]).toBe('待审核');
    expect(flags.flat().join(' ')).not.toContain('13800002222'); // the requester stays masked in the file

    await a.goto(`${s.url}/grids/admin`);
    await visible(a.getByTestId('grid-admin-table').locator('.ant-table-row'));
    const shown = await a.getByTestId('grid-admin-table').locator('.ant-table-row').count();
    const grids = await sheet(a, 'grids-export', /^网格管理-.+\.xlsx$/);
    expect(grids[0]).toEqual(['乡镇（街道）', '网格', '代码', '中心点经度', '中心点纬度', '网格员', '状态']);
    expect(grids.length - 1).toBe(shown);
    const recorded = await s.handle.db.selectFrom('access_log').select('filter').where('kind', '=', 'export').execute();
    const screens = recorded.map((r) => (r.filter as { screen?: string } | null)?.screen ?? '');
    expect(screens).toEqual(expect.arrayContaining(['事项分类', '滥用标记审核']));
    expect(screens.some((x) => x.startsWith('网格管理-'))).toBe(true);
  });
});

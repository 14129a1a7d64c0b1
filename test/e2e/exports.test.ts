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
});

import { loadExcelJs } from '../exports/table-writer.js';
import { renderPdf, type PdfBlock } from '../../pdf/index.js';
import type { UnitAnalysis, UnitMonthView } from './unit-analysis.service.js';

// 第二十八条(一) 月度分析 as files: the same figures as the screen, as a PDF to file or print and as an Excel workbook.
// Counts and rates only — no requester, no ticket text.

const pct = (v: number | null) => (v === null ? '—' : `${v}%`);
const num = (v: number | null | undefined) => (v === null || v === undefined ? '—' : String(v));

/** The comparison table's rows: label, this month, previous month, same month last year. */
export function figureRows(a: UnitAnalysis): Array<[string, string, string, string]> {
  const row = (label: string, f: (m: UnitMonthView) => string): [string, string, string, string] => [
    label,
    f(a.current),
    f(a.previous),
    a.lastYear ? f(a.lastYear) : '—',
  ];
  return [
    row('受理量（件）', (m) => num(m.received)),
    row('办结量（件）', (m) => num(m.finished)),
    row('按期办结（件）', (m) => `${m.onTime} / ${m.onTimeDue}`),
    row('按期办结率', (m) => pct(m.onTimeRate)),
    row('重办（件）', (m) => `${m.rework} / ${m.reworkBase}`),
    row('重办率', (m) => pct(m.reworkRate)),
    row('满意（件）', (m) => `${m.satisfied} / ${m.surveyed}`),
    row('满意率', (m) => pct(m.satisfactionRate)),
    row('解决率', (m) => pct(m.resolutionRate)),
  ];
}

const title = (a: UnitAnalysis) => `${a.unit.name} ${a.month} 诉求办理情况月度分析`;

export async function unitAnalysisPdf(a: UnitAnalysis, now: Date): Promise<Buffer> {
  const blocks: PdfBlock[] = [
    { kind: 'heading', text: title(a), level: 1 },
    {
      kind: 'paragraph',
      text: `依据《菏泽市12345政务服务便民热线条例》第二十八条第（一）项，本单位定期分析诉求事项办理情况。${a.partial ? '本月尚未结束，数据截至生成之时。' : ''}`,
    },
    { kind: 'heading', text: '一、办理情况', level: 2 },
    {
      kind: 'table',
      columns: ['指标', a.month, `上月（${a.previousMonth}）`, `去年同月（${a.lastYearMonth}）`],
      rows: figureRows(a),
      widths: [2, 1.5, 1.5, 1.5],
    },
    { kind: 'heading', text: '二、主要诉求事项', level: 2 },
    a.topCategories.length
      ? {
          kind: 'table',
          columns: ['事项分类', '本月（件）', '占比', '上月（件）'],
          rows: a.topCategories.map((t) => [t.name, String(t.tickets), pct(t.share), String(t.previous)]),
          widths: [3, 1, 1, 1],
        }
      : { kind: 'paragraph', text: '本月无受理的诉求。' },
    { kind: 'heading', text: '三、重复诉求', level: 2 },
    {
      kind: 'paragraph',
      text: `本月有 ${a.repeatRequesters.requesters} 位诉求人向本单位反映 2 件及以上诉求，合计 ${a.repeatRequesters.tickets} 件（上月 ${a.repeatRequesters.previous} 位）。`,
    },
  ];
  return renderPdf({
    title: title(a),
    subject: '第二十八条 承办单位月度分析',
    author: a.unit.name,
    blocks,
    footer: `${title(a)} · 生成于 ${new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ')}`,
    createdAt: now,
  });
}

export async function unitAnalysisXlsx(a: UnitAnalysis): Promise<Buffer> {
  const ExcelJS = await loadExcelJs();
  const wb = new ExcelJS.Workbook();
  wb.creator = '菏泽市12345政务服务便民热线';
  const s1 = wb.addWorksheet('办理情况');
  s1.addRow([title(a)]);
  s1.addRow(['指标', a.month, `上月（${a.previousMonth}）`, `去年同月（${a.lastYearMonth}）`]);
  for (const r of figureRows(a)) s1.addRow(r);
  s1.columns.forEach((c, i) => (c.width = i === 0 ? 18 : 20));
  const s2 = wb.addWorksheet('主要诉求事项');
  s2.addRow(['事项分类', '本月（件）', '占比（%）', '上月（件）']);
  for (const t of a.topCategories) s2.addRow([t.name, t.tickets, t.share, t.previous]);
  s2.columns.forEach((c, i) => (c.width = i === 0 ? 30 : 14));
  const s3 = wb.addWorksheet('重复诉求');
  s3.addRow(['本月重复诉求人（位）', '其诉求（件）', '上月重复诉求人（位）']);
  s3.addRow([a.repeatRequesters.requesters, a.repeatRequesters.tickets, a.repeatRequesters.previous]);
  s3.columns.forEach((c) => (c.width = 22));
  return Buffer.from(await wb.xlsx.writeBuffer());
}

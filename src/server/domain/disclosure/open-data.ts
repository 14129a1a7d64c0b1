import {
  OPEN_DATA_COLUMNS,
  type CountTable,
  type DisclosureReport,
  type OpenDataRow,
  type PublicCount,
  type PublicRate,
} from '../../../shared/contracts/disclosure.js';
import { SUPPRESSED_TEXT } from './suppression.js';

// 第二十一条: the open data of a published month — one long table with fixed columns (docs/disclosure.md has the
// dictionary), the same rows in CSV and in JSON, derived from the immutable published report only.

type Line = Pick<OpenDataRow, 'section' | 'key' | 'label' | 'metric'> & {
  cell: PublicCount | PublicRate | number | null;
};

function lines(r: DisclosureReport): Line[] {
  const out: Line[] = [];
  const table = (section: string, t: CountTable) => {
    out.push({ section, key: 'total', label: '合计', metric: 'count', cell: t.total });
    for (const row of t.rows) out.push({ section, key: row.key, label: row.label, metric: 'count', cell: row.count });
  };
  table('contacts_by_channel', r.contacts.byChannel);
  table('contacts_by_type', r.contacts.byType);
  table('tickets_by_channel', r.tickets.byChannel);
  table('tickets_by_type', r.tickets.byType);
  out.push({ section: 'top_matters', key: 'total', label: '合计', metric: 'count', cell: r.topMatters.total });
  for (const m of r.topMatters.rows) {
    out.push({ section: 'top_matters', key: m.key, label: m.label, metric: 'count', cell: m.count });
    out.push({ section: 'top_matters', key: m.key, label: m.label, metric: 'previous_count', cell: m.previous });
    out.push({ section: 'top_matters', key: m.key, label: m.label, metric: 'change', cell: m.change });
  }
  for (const u of r.units.rows) {
    const s = 'unit_rates';
    out.push({ section: s, key: u.key, label: u.label, metric: 'handled', cell: u.handled });
    out.push({ section: s, key: u.key, label: u.label, metric: 'accept_timely_rate', cell: u.acceptTimely });
    out.push({ section: s, key: u.key, label: u.label, metric: 'ontime_completion_rate', cell: u.ontimeCompletion });
    out.push({ section: s, key: u.key, label: u.label, metric: 'resolution_rate', cell: u.resolution });
    out.push({ section: s, key: u.key, label: u.label, metric: 'satisfaction_rate', cell: u.satisfaction });
    out.push({ section: s, key: u.key, label: u.label, metric: 'score', cell: u.score });
    out.push({ section: s, key: u.key, label: u.label, metric: 'rank', cell: u.rank });
  }
  for (const h of r.redList)
    out.push({ section: 'red_list', key: String(h.position), label: h.label, metric: 'score', cell: h.score });
  for (const h of r.blackList)
    out.push({ section: 'black_list', key: String(h.position), label: h.label, metric: 'score', cell: h.score });
  return out;
}

/** The open-data rows of a published report, in a fixed order. */
export function openDataRows(r: DisclosureReport): OpenDataRow[] {
  return lines(r).map((l) => {
    const cell = l.cell;
    const value = cell === null || typeof cell === 'number' ? cell : cell.value;
    const suppressed = cell !== null && typeof cell === 'object' ? cell.suppressed : false;
    return {
      month: r.month,
      region_code: r.region.code,
      region_name: r.region.name,
      version: r.version,
      section: l.section,
      key: l.key,
      label: l.label,
      metric: l.metric,
      value,
      suppressed,
    };
  });
}

const csvCell = (v: string | number | boolean | null) => {
  const s = v === null ? '' : String(v);
  // a cell that a spreadsheet would run as a formula is quoted with a leading apostrophe
  const safe = /^[=+\-@\t\r]/.test(s) && !/^-?\d+(\.\d+)?$/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

/** CSV (UTF-8 with BOM so spreadsheet programs read the Chinese labels), header = OPEN_DATA_COLUMNS. */
export function openDataCsv(r: DisclosureReport): string {
  const rows = openDataRows(r).map((row) =>
    OPEN_DATA_COLUMNS.map((c) => (c === 'value' && row.suppressed ? csvCell(SUPPRESSED_TEXT) : csvCell(row[c]))).join(
      ',',
    ),
  );
  return `\uFEFF${[OPEN_DATA_COLUMNS.join(','), ...rows].join('\r\n')}\r\n`;
}

/** JSON open data: the column list, the report's meta and the same rows. */
export function openDataJson(r: DisclosureReport) {
  return {
    schema: `${r.schema}/open-data`,
    month: r.month,
    region: r.region,
    version: r.version,
    publishedAt: r.publishedAt,
    correction: r.correction,
    columns: [...OPEN_DATA_COLUMNS],
    rows: openDataRows(r),
  };
}

import { describe, expect, it } from 'vitest';
import { OPEN_DATA_COLUMNS } from '../../../shared/contracts/disclosure.js';
import { openDataCsv, openDataJson, openDataRows } from './open-data.js';
import { buildReport, honourLists, topMatters, type DisclosureInputs, type UnitInput } from './report.js';
import { suppressChange, suppressCount, suppressGroup, suppressRate } from './suppression.js';
import { personalDataIn, validatePublicReport } from './validate.js';

const c = (value: number) => ({ value, suppressed: false });
const hidden = { value: null, suppressed: true };

describe('第二十一条 小数抑制', () => {
  it('publishes 0 and 5 and above; 1 to 4 become "<5"', () => {
    expect(suppressCount(0)).toEqual(c(0));
    for (const n of [1, 2, 3, 4]) expect(suppressCount(n)).toEqual(hidden);
    expect(suppressCount(5)).toEqual(c(5));
    expect(suppressCount(12345)).toEqual(c(12345));
  });
  it('refuses what is not a count', () => {
    expect(() => suppressCount(-1)).toThrow();
    expect(() => suppressCount(1.5)).toThrow();
  });
  it('suppresses a rate whose denominator is under 5', () => {
    expect(suppressRate(4, 4)).toEqual(hidden);
    expect(suppressRate(1, 1)).toEqual(hidden);
    expect(suppressRate(0, 0)).toEqual({ value: null, suppressed: false });
    expect(suppressRate(4, 5)).toEqual(c(80));
    expect(suppressRate(2, 3)).toEqual(hidden);
    expect(suppressRate(1, 3 * 7)).toEqual(c(4.76));
  });
  it('secondary suppression: one hidden cell and a shown total hide the smallest other non-zero cell', () => {
    const g = suppressGroup([20, 3, 8, 0], 31);
    expect(g.total).toEqual(c(31));
    expect(g.cells).toEqual([c(20), hidden, hidden, c(0)]);
  });
  it('two hidden cells need nothing more', () => {
    const g = suppressGroup([20, 3, 2, 9], 34);
    expect(g.cells).toEqual([c(20), hidden, hidden, c(9)]);
    expect(g.total).toEqual(c(34));
  });
  it('with no other non-zero cell the total is hidden instead', () => {
    const g = suppressGroup([0, 3, 0], 3);
    expect(g.total).toEqual(hidden);
    expect(g.cells).toEqual([c(0), hidden, c(0)]);
    const g2 = suppressGroup([7, 0], 7);
    expect(g2.total).toEqual(c(7));
  });
  it('a hidden cell can never be recomputed from the published total and siblings', () => {
    for (let seed = 1; seed < 300; seed++) {
      const values = Array.from({ length: 1 + (seed % 6) }, (_, i) => ((seed * (i + 7) * 31) % 13) % 9);
      const total = values.reduce((a, b) => a + b, 0);
      const g = suppressGroup(values, total);
      const hiddenCells = g.cells.filter((x) => x.suppressed).length;
      if (!g.total.suppressed) expect(hiddenCells === 0 || hiddenCells >= 2).toBe(true);
      g.cells.forEach((cell, i) => {
        if (!cell.suppressed) expect(cell.value).toBe(values[i]);
        if (values[i]! > 0 && values[i]! < 5) expect(cell.suppressed).toBe(true);
      });
    }
  });
  it('refuses a group that does not add up', () => {
    expect(() => suppressGroup([1, 2], 4)).toThrow();
  });
  it('a change is hidden when either side is', () => {
    expect(suppressChange(c(10), c(6))).toEqual(c(4));
    expect(suppressChange(c(10), hidden)).toEqual(hidden);
    expect(suppressChange(hidden, c(6))).toEqual(hidden);
  });
});

const unit = (name: string, score: number | null, handled: number, over: Partial<UnitInput> = {}): UnitInput => ({
  name,
  group: '县区政府',
  handled,
  overdue: 0,
  acceptTimely: { num: handled, den: handled },
  ontimeCompletion: { num: handled, den: handled },
  resolution: { num: handled, den: handled },
  satisfaction: { num: handled, den: handled },
  score,
  rank: null,
  ...over,
});

describe('第二十一条 红榜与黑榜', () => {
  it('the best by score on the red list, the worst on the black list, at most half the units each', () => {
    const units = [
      unit('甲', 98, 10),
      unit('乙', 95, 10),
      unit('丙', 90, 10),
      unit('丁', 70, 10, { overdue: 6 }),
      unit('戊', 60, 10),
      unit('己', 99, 2), // too few tickets
      unit('庚', null, 30), // no score
    ];
    const { redList, blackList } = honourLists(units);
    expect(redList.map((r) => r.label)).toEqual(['甲', '乙']);
    expect(blackList.map((r) => r.label)).toEqual(['戊', '丁']);
    const eight = honourLists(Array.from({ length: 8 }, (_, i) => unit(`单位${i}`, 100 - i, 10)));
    expect(eight.redList.map((r) => r.label)).toEqual(['单位0', '单位1', '单位2']);
    expect(eight.blackList.map((r) => r.label)).toEqual(['单位7', '单位6', '单位5']);
    expect(blackList[1]!.reason).toContain('超期 6 件');
    expect(redList[0]).toMatchObject({ position: 1, score: 98 });
  });
  it('ties break by satisfaction, then by name', () => {
    const { redList } = honourLists([
      unit('甲', 90, 10, { satisfaction: { num: 5, den: 10 } }),
      unit('乙', 90, 10, { satisfaction: { num: 9, den: 10 } }),
    ]);
    expect(redList.map((r) => r.label)).toEqual(['乙']);
  });
  it('no eligible unit, empty lists', () => {
    expect(honourLists([unit('甲', 90, 4)])).toEqual({ redList: [], blackList: [] });
  });
});

describe('第二十一条 热点事项', () => {
  it('top ten plus 其他, suppressed as one group, with the change against last month', () => {
    const matters = Array.from({ length: 12 }, (_, i) => ({ label: `类${i}`, count: 100 - i * 8, previous: 50 }));
    matters.push({ label: '少', count: 2, previous: 0 });
    const t = topMatters(matters);
    expect(t.rows).toHaveLength(11);
    expect(t.rows[10]!.label).toBe('其他');
    expect(t.rows[10]!.count).toEqual(c(20 + 12 + 2));
    expect(t.rows[0]).toMatchObject({ label: '类0', count: c(100), previous: c(50), change: c(50) });
    expect(t.total.value).toBe(matters.reduce((a, m) => a + m.count, 0));
  });
  it('a small category is hidden with its complement', () => {
    const t = topMatters([
      { label: '甲', count: 30, previous: 30 },
      { label: '乙', count: 3, previous: 0 },
      { label: '丙', count: 9, previous: 9 },
    ]);
    expect(t.rows.map((r) => r.count)).toEqual([c(30), hidden, hidden]);
    expect(t.rows[1]!.change).toEqual(hidden);
  });
});

const inputs = (): DisclosureInputs => ({
  month: '2026-11',
  region: { code: '371700', name: '菏泽市' },
  contactsByChannel: { phone: 120, wechat: 30, weibo: 2 },
  contactsByType: { dispatched: 100, answered: 50, admonished: 2 },
  ticketsByChannel: { phone: 80, web: 20 },
  ticketsByType: { complaint: 60, consult: 40 },
  matters: [
    { label: '城乡建设', count: 60, previous: 40 },
    { label: '劳动保障', count: 40, previous: 45 },
  ],
  units: [unit('牡丹区人民政府', 88.5, 40), unit('菏泽市城市管理局', 92, 60)],
  unitsSource: 'rollup',
});
const editorial = {
  version: 1,
  publishedAt: '2026-12-02T02:00:00.000Z',
  correctionNote: null,
  foreword: '11 月热线运行平稳。',
  cases: [
    { title: '小区路灯恢复', category: '城乡建设', unit: '菏泽市城市管理局', summary: '经协调，路灯已于三日内修复。' },
  ],
};

describe('第二十一条 月度报告', () => {
  it('builds every section from the aggregates, suppressed, units ranked by score', () => {
    const r = buildReport(inputs(), editorial);
    expect(r.contacts.byChannel.rows.map((x) => x.key)).toEqual(['phone', 'wechat', 'weibo']);
    expect(r.contacts.byChannel.rows[2]!.count).toEqual(hidden);
    expect(r.contacts.byChannel.rows[1]!.count).toEqual(hidden); // the complement
    expect(r.contacts.byChannel.total).toEqual(c(152));
    expect(r.tickets.byType.rows[0]).toEqual({ key: 'complaint', label: '投诉', count: c(60) });
    expect(r.units.rows.map((u) => u.label)).toEqual(['菏泽市城市管理局', '牡丹区人民政府']);
    expect(r.units.rows[0]!.satisfaction).toEqual(c(100));
    expect(r.correction).toBeNull();
    expect(validatePublicReport(r)).toEqual([]);
  });
  it('a correction carries its note', () => {
    const r = buildReport(inputs(), { ...editorial, version: 2, correctionNote: '更正满意率口径' });
    expect(r.correction).toEqual({ note: '更正满意率口径' });
    expect(r.version).toBe(2);
  });
});

describe('第二十一条 公开数据校验', () => {
  it('finds phones, ID numbers, bank cards, e-mail, ticket numbers and door numbers', () => {
    expect(personalDataIn('请拨打13905301234联系')).toEqual(['手机号码']);
    expect(personalDataIn('电话 139 0530 1234')).toEqual(['手机号码']);
    expect(personalDataIn('座机0530-5551234')).toEqual(['固定电话号码']);
    expect(personalDataIn('身份证37172119900101123X')).toContain('身份证号码');
    expect(personalDataIn('卡号6222021234567890123')).toContain('银行卡号');
    expect(personalDataIn('邮箱 a.b@example.com')).toEqual(['电子邮箱']);
    expect(personalDataIn('见工单HZ20261101-000123')).toEqual(['工单号']);
    expect(personalDataIn('和平小区3号楼2单元')).toEqual(['详细地址']);
    expect(personalDataIn('经协调，12 月 3 日前修复 15 盏路灯。')).toEqual([]);
  });
  it('refuses keys off the whitelist at any depth, and personal text anywhere', () => {
    const r = buildReport(inputs(), editorial) as unknown as Record<string, any>;
    r.cases[0].ticketNumber = 'HZ20261101-000123';
    r.units.rows[0].internalNote = 'x';
    r.foreword = '联系人 13905301234';
    const v = validatePublicReport(r);
    expect(v.map((x) => x.path)).toEqual(
      expect.arrayContaining(['$.cases[0].ticketNumber', '$.units.rows[0].internalNote', '$.foreword']),
    );
    expect(validatePublicReport({ a: () => 1 } as unknown)).toHaveLength(1);
  });
});

describe('第二十一条 开放数据', () => {
  it('fixed columns, the same rows in CSV and JSON, "<5" for hidden cells', () => {
    const r = buildReport(inputs(), editorial);
    const rows = openDataRows(r);
    for (const row of rows) expect(Object.keys(row)).toEqual([...OPEN_DATA_COLUMNS]);
    const csv = openDataCsv(r);
    const lines = csv
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe(OPEN_DATA_COLUMNS.join(','));
    expect(lines).toHaveLength(rows.length + 1);
    expect(csv).toContain('2026-11,371700,菏泽市,1,contacts_by_channel,weibo,微博,count,<5,true');
    expect(csv).toContain('2026-11,371700,菏泽市,1,contacts_by_channel,total,合计,count,152,false');
    const json = openDataJson(r);
    expect(json.columns).toEqual([...OPEN_DATA_COLUMNS]);
    expect(json.rows).toEqual(rows);
    expect(new Set(rows.map((x) => x.section))).toEqual(
      new Set([
        'contacts_by_channel',
        'contacts_by_type',
        'tickets_by_channel',
        'tickets_by_type',
        'top_matters',
        'unit_rates',
        'red_list',
        'black_list',
      ]),
    );
  });
  it('quotes commas and defuses formulas in CSV', () => {
    const r = buildReport({ ...inputs(), units: [unit('=HYPERLINK("x"),甲', 90, 10)] }, editorial);
    expect(openDataCsv(r)).toContain(`"'=HYPERLINK(""x""),甲"`);
  });
});

import { describe, expect, it } from 'vitest';
import { WorkingCalendar, calendarOverridesFromChineseDays } from './calendar.js';
import {
  arrangementToOverrides,
  builtinArrangement,
  calendarCoverage,
  overridesToArrangement,
  parseArrangementFile,
  parseArrangementText,
  sameArrangement,
  validateArrangement,
  type YearArrangement,
} from './calendar-years.js';

const messages = (a: { message: string }[]) => a.map((i) => i.message);
const example2027: YearArrangement = {
  holidays: [
    { name: '元旦', from: '2027-01-01', to: '2027-01-03' },
    { name: '春节', from: '2027-02-06', to: '2027-02-13' },
  ],
  workdays: [{ date: '2027-02-14', name: '春节' }],
};

describe('第八条 节假日安排 内置数据 (chinese-days) ↔ 区间', () => {
  it.each([2025, 2026])('groups %i into named ranges that validate and expand back to the same days', (year) => {
    const arr = builtinArrangement(year)!;
    expect(validateArrangement(year, arr)).toEqual([]);
    expect(arrangementToOverrides(arr)).toEqual(calendarOverridesFromChineseDays([year]));
    expect(sameArrangement(arr, overridesToArrangement(calendarOverridesFromChineseDays([year])))).toBe(true);
  });
  it('has the 2026 Spring Festival as one range 02-15 … 02-23 with its make-up days', () => {
    const arr = builtinArrangement(2026)!;
    expect(arr.holidays).toContainEqual({ name: '春节', from: '2026-02-15', to: '2026-02-23' });
    expect(arr.workdays.filter((w) => w.name === '春节').map((w) => w.date)).toEqual(['2026-02-14', '2026-02-28']);
  });
  it('has nothing for 2027 (chinese-days has no 2027 data)', () => {
    expect(builtinArrangement(2027)).toBeNull();
  });
});

describe('第八条 节假日安排 校验 (中文提示)', () => {
  it('accepts a correct arrangement', () => {
    expect(validateArrangement(2027, example2027)).toEqual([]);
  });
  it('refuses dates outside the year, reversed and over-long ranges, overlaps and wrong make-up days', () => {
    const bad: YearArrangement = {
      holidays: [
        { name: '元旦', from: '2026-12-31', to: '2027-01-02' },
        { name: '春节', from: '2027-02-13', to: '2027-02-06' },
        { name: '清明节', from: '2027-04-03', to: '2027-04-05' },
        { name: '踏青', from: '2027-04-05', to: '2027-04-06' },
        { name: '长假', from: '2027-07-01', to: '2027-08-15' },
        { name: '', from: '2027-09-30', to: '2027-02-30' },
      ],
      workdays: [
        { date: '2027-04-03' },
        { date: '2027-02-15' },
        { date: '2028-01-01' },
        { date: '2027-02-14' },
        { date: '2027-02-14' },
      ],
    };
    expect(messages(validateArrangement(2027, bad))).toEqual([
      '元旦的开始日期 2026-12-31 不在 2027 年内',
      '春节的结束日期 2027-02-06 早于开始日期 2027-02-13',
      '长假假期 46 天，超过 31 天，请检查日期',
      '第 6 个节假日缺少名称',
      '第 6 个节假日的结束日期“2027-02-30”不是有效日期（格式 2027-02-06）',
      '清明节（2027-04-03 至 2027-04-05）与踏青（2027-04-05 至 2027-04-06）日期重叠',
      '调休上班日 2027-04-03 落在清明节假期（2027-04-03 至 2027-04-05）内',
      '调休上班日 2027-02-15 是星期一，本来就是工作日',
      '调休上班日 2028-01-01 不在 2027 年内',
      '调休上班日 2027-02-14 重复',
    ]);
    expect(messages(validateArrangement(2027, { holidays: [], workdays: [] }))).toEqual([
      '请至少填写一个节假日（2027 年至少有元旦）',
    ]);
  });
});

describe('第八条 节假日安排 导入文件', () => {
  it('reads the State Council notice text format; make-up days take the name of the holiday above', () => {
    const text =
      '# 2027 年节假日安排（示例）\n2027\n元旦 2027-01-01 2027-01-03\n春节：2027-02-06 至 2027-02-13\n调休上班 2027-02-14\n国庆节、中秋节 2027/10/1 2027/10/7  # 注释\n调休上班 2027-09-26、2027-10-09\n';
    const { arrangement, issues } = parseArrangementFile(2027, text);
    expect(issues).toEqual([]);
    expect(arrangement).toEqual({
      holidays: [
        { name: '元旦', from: '2027-01-01', to: '2027-01-03' },
        { name: '春节', from: '2027-02-06', to: '2027-02-13' },
        { name: '国庆节、中秋节', from: '2027-10-01', to: '2027-10-07' },
      ],
      workdays: [
        { date: '2027-02-14', name: '春节' },
        { date: '2027-09-26', name: '国庆节、中秋节' },
        { date: '2027-10-09', name: '国庆节、中秋节' },
      ],
    });
  });
  it('reads JSON, make-up days as strings or objects', () => {
    const json = JSON.stringify({
      year: 2027,
      holidays: [
        { name: '元旦', from: '2027-01-01', to: '2027-01-03' },
        { name: '春节', from: '2027-02-06', to: '2027-02-13' },
      ],
      workdays: [{ date: '2027-02-14', name: '春节' }],
    });
    expect(parseArrangementFile(2027, `\uFEFF${json}`)).toEqual({ arrangement: example2027, issues: [] });
    expect(
      parseArrangementFile(2027, JSON.stringify({ holidays: example2027.holidays, workdays: ['2027-02-14'] }))
        .arrangement.workdays,
    ).toEqual([{ date: '2027-02-14', name: null }]);
  });
  it('names the line of each problem in Chinese', () => {
    const { issues } = parseArrangementText(
      2027,
      '2026\n春节 2027-02-06 2027-02-13\n春节 2027-2-31\n2027-02-14 调休上班\n劳动节\n国庆节 2027-10-01 2027-10-02 2027-10-03',
    );
    expect(messages(issues)).toEqual([
      '第 1 行：文件是 2026 年的安排，正在录入的是 2027 年',
      '第 3 行：“2027-2-31”不是有效日期（格式 2027-02-06）',
      '第 4 行：行首应为节假日名称或“调休上班”，如“春节 2027-02-06 2027-02-13”',
      '第 5 行：“劳动节”后缺少日期',
      '第 6 行：节假日一行应为“名称 开始日期 结束日期”，调休上班日请另起一行以“调休上班”开头',
    ]);
    expect(issues.map((i) => i.line)).toEqual([1, 3, 4, 5, 6]);
  });
  it('runs the arrangement checks after parsing, and refuses empty or broken files', () => {
    expect(messages(parseArrangementFile(2027, '春节 2027-02-06 2027-02-13\n元旦 2027-02-10').issues)).toEqual([
      '春节（2027-02-06 至 2027-02-13）与元旦（2027-02-10 至 2027-02-10）日期重叠',
    ]);
    expect(messages(parseArrangementFile(2027, '  \n').issues)).toEqual(['文件是空的']);
    expect(messages(parseArrangementFile(2027, '{"holidays": [').issues)).toEqual(['JSON 文件格式不正确，无法解析']);
    expect(
      messages(
        parseArrangementFile(2027, '{"year": 2026, "holidays": [{"from": "2027-01-01"}], "workdays": [5]}').issues,
      ),
    ).toEqual([
      '文件是 2026 年的安排，正在录入的是 2027 年',
      'holidays 第 1 项应为 {"name": 名称, "from": 开始日期, "to": 结束日期}',
      'workdays 第 1 项应为日期，如 "2027-02-14"',
    ]);
  });
});

describe('第八条 工作日历 覆盖提醒 (未来 90 天)', () => {
  it('warns for 2027 from 2026-10-03 (90 days ahead reaches 2027-01-01), not the day before', () => {
    expect(calendarCoverage(new Date('2026-10-02T12:00:00+08:00'), [2026], [2026]).unconfirmedYears).toEqual([]);
    const c = calendarCoverage(new Date('2026-10-03T00:00:00+08:00'), [2026], [2026]);
    expect(c).toMatchObject({ today: '2026-10-03', horizonEnd: '2027-01-01', unconfirmedYears: [2027] });
    expect(c.warnings).toEqual([
      '2027 年节假日安排尚未确认：截止日期跨入 2027 年的工单按普通工作日计算，春节等节假日和调休不会计入。请管理员在“工作日历”中录入并确认 2027 年的安排。',
    ]);
  });
  it('also warns for the current year while it is unconfirmed, saying its days are in use', () => {
    const c = calendarCoverage(new Date('2026-12-02T10:00:00+08:00'), [], [2024, 2025, 2026]);
    expect(c.unconfirmedYears).toEqual([2026, 2027]);
    expect(c.warnings[0]).toMatch(/^2026 年节假日安排尚未确认：时限按系统中现有的 2026 年数据计算/);
    expect(c.warnings[1]).toMatch(/^2027 年节假日安排尚未确认：截止日期跨入 2027 年的工单按普通工作日计算/);
  });
  it('is quiet once the years are confirmed', () => {
    expect(calendarCoverage(new Date('2026-12-02T10:00:00+08:00'), [2026, 2027], [2026, 2027])).toMatchObject({
      unconfirmedYears: [],
      warnings: [],
    });
  });
  it('feeds the calendar: an entered 2027 makes the Spring Festival days off', () => {
    const c = new WorkingCalendar(arrangementToOverrides(example2027), undefined, { confirmedYears: [2027] });
    expect(c.isWorkingDay('2027-02-08')).toBe(false);
    expect(c.isWorkingDay('2027-02-14')).toBe(true);
    expect(c.addWorkingDays('2027-02-05', 1)).toBe('2027-02-14');
  });
});

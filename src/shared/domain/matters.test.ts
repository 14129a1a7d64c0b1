import { describe, expect, it } from 'vitest';
import {
  beforeAfter,
  canEditMatter,
  canMoveTask,
  isOpenMatter,
  isTaskOverdue,
  MATTER_ACTIONS,
  MATTER_STATUSES,
  matterActions,
  matterProgress,
  monthRange,
  nextMatterStatus,
  TASK_STATUSES,
} from './matters.js';

describe('第二十五条 专题 status transitions', () => {
  it('第二十五条 follows 立项 → 研究中 → 推进中 → 已解决 → 已归档', () => {
    expect(nextMatterStatus('registered', 'study')).toBe('studying');
    expect(nextMatterStatus('studying', 'advance')).toBe('advancing');
    expect(nextMatterStatus('advancing', 'resolve')).toBe('resolved');
    expect(nextMatterStatus('resolved', 'archive')).toBe('archived');
    expect(nextMatterStatus('resolved', 'reopen')).toBe('advancing');
  });
  it('第二十五条 refuses every other step (exhaustive)', () => {
    const allowed = new Set([
      'registered:study',
      'registered:archive',
      'studying:advance',
      'studying:archive',
      'advancing:resolve',
      'resolved:reopen',
      'resolved:archive',
    ]);
    for (const s of MATTER_STATUSES)
      for (const a of MATTER_ACTIONS) {
        const to = nextMatterStatus(s, a);
        expect(to !== null, `${s}:${a}`).toBe(allowed.has(`${s}:${a}`));
        expect(matterActions(s).includes(a)).toBe(to !== null);
      }
    expect(matterActions('archived')).toEqual([]);
  });
  it('第二十五条 an archived matter is closed and read-only; every other status holds its tickets', () => {
    for (const s of MATTER_STATUSES) {
      expect(isOpenMatter(s)).toBe(s !== 'archived');
      expect(canEditMatter(s)).toBe(s !== 'archived');
    }
  });
});

describe('第二十六条 协同任务', () => {
  it('第二十六条 task moves: open → in_progress → done, done may be taken up again (exhaustive)', () => {
    const allowed = new Set(['open:in_progress', 'open:done', 'in_progress:done', 'done:in_progress']);
    for (const a of TASK_STATUSES)
      for (const b of TASK_STATUSES) expect(canMoveTask(a, b), `${a}:${b}`).toBe(allowed.has(`${a}:${b}`));
  });
  it('第二十六条 overdue: past the deadline day and not done', () => {
    expect(isTaskOverdue({ status: 'open', due_on: '2025-03-01' }, '2025-03-02')).toBe(true);
    expect(isTaskOverdue({ status: 'open', due_on: '2025-03-02' }, '2025-03-02')).toBe(false);
    expect(isTaskOverdue({ status: 'done', due_on: '2025-03-01' }, '2025-03-02')).toBe(false);
    expect(isTaskOverdue({ status: 'in_progress', due_on: null }, '2025-03-02')).toBe(false);
  });
  it('第二十六条 progress is tasks done over all tasks', () => {
    expect(matterProgress([])).toEqual({ done: 0, total: 0, percent: 0 });
    expect(matterProgress([{ status: 'done' }, { status: 'open' }, { status: 'in_progress' }])).toEqual({
      done: 1,
      total: 3,
      percent: 33,
    });
  });
});

describe('第二十五条 数据对比', () => {
  it('lists months across a year end, bounded', () => {
    expect(monthRange('2024-11', '2025-02')).toEqual(['2024-11', '2024-12', '2025-01', '2025-02']);
    expect(monthRange('2020-01', '2025-12', 3)).toHaveLength(3);
    expect(monthRange('2025-03', '2025-02')).toEqual([]);
  });
  it('averages per calendar month before and after the first measure (its month counts as after)', () => {
    const r = beforeAfter(
      [
        { month: '2025-01', tickets: 6 },
        { month: '2025-03', tickets: 6 },
        { month: '2025-04', tickets: 2 },
      ],
      ['2025-05-10', '2025-04-01'],
      '2025-05',
    );
    expect(r.months.map((m) => m.tickets)).toEqual([6, 0, 6, 2, 0]);
    expect(r.firstMeasureMonth).toBe('2025-04');
    expect(r.before).toBe(4);
    expect(r.after).toBe(1);
  });
  it('without measures only the overall average; without tickets nothing', () => {
    expect(beforeAfter([{ month: '2025-01', tickets: 3 }], [], '2025-02')).toMatchObject({ before: 1.5, after: null });
    expect(beforeAfter([], [], '2025-02')).toEqual({ months: [], firstMeasureMonth: null, before: null, after: null });
  });
});

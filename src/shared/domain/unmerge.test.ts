import { describe, expect, it } from 'vitest';
import {
  readMergeSnapshot,
  UNMERGE_REFUSAL_TEXT,
  UNMERGE_WINDOW_HOURS,
  unmergeRefusal,
  unmergeUntil,
  type UnmergeFacts,
} from './unmerge.js';
import { ALL_STATUSES } from './transitions.js';

const mergedAt = new Date('2025-05-12T02:00:00Z');
const at = (hours: number) => new Date(mergedAt.getTime() + hours * 3_600_000);
const facts = (over: Partial<UnmergeFacts> = {}): UnmergeFacts => ({
  status: 'closed',
  mergedIntoId: 7,
  mergedAt,
  now: at(1),
  target: { status: 'in_progress', repliedAt: null },
  ...over,
});

describe('issue 14 撤销并单: when a merge may be undone', () => {
  it('within 24 hours of the merge, the last millisecond included', () => {
    expect(UNMERGE_WINDOW_HOURS).toBe(24);
    expect(unmergeUntil(mergedAt)).toEqual(at(24));
    expect(unmergeRefusal(facts({ now: mergedAt }))).toBeNull();
    expect(unmergeRefusal(facts({ now: at(24) }))).toBeNull();
    expect(unmergeRefusal(facts({ now: new Date(at(24).getTime() + 1) }))).toBe('window_passed');
  });

  it('only a ticket that is closed into another one', () => {
    for (const status of ALL_STATUSES.filter((s) => s !== 'closed'))
      expect(unmergeRefusal(facts({ status }))).toBe('not_merged');
    expect(unmergeRefusal(facts({ mergedIntoId: null }))).toBe('not_merged');
    expect(unmergeRefusal(facts({ mergedAt: null }))).toBe('not_merged');
  });

  it('第九条 第十五条(四): not once the surviving ticket answered (the result went to the requesters the merge brought)', () => {
    expect(unmergeRefusal(facts({ target: { status: 'replied', repliedAt: at(2) } }))).toBe('target_answered');
    // answered and sent back by the callback (重办): the requesters were still told a result
    expect(unmergeRefusal(facts({ target: { status: 'in_progress', repliedAt: at(2) } }))).toBe('target_answered');
    // merged into a ticket that had been answered before: its status says so
    expect(unmergeRefusal(facts({ target: { status: 'replied', repliedAt: at(-2) } }))).toBe('target_answered');
    // an answer before the merge that a callback sent back: the merged ticket's requester heard nothing
    expect(unmergeRefusal(facts({ target: { status: 'in_progress', repliedAt: at(-2) } }))).toBeNull();
    expect(unmergeRefusal(facts({ target: { status: 'closed', repliedAt: null } }))).toBe('target_closed');
    expect(unmergeRefusal(facts({ target: { status: 'terminated', repliedAt: null } }))).toBe('target_closed');
    for (const status of ['pending_dispatch', 'dispatched', 'in_progress'] as const)
      expect(unmergeRefusal(facts({ target: { status, repliedAt: null } }))).toBeNull();
  });

  it('the web, which does not know the surviving ticket, judges the window alone', () => {
    expect(unmergeRefusal(facts({ target: undefined }))).toBeNull();
    expect(unmergeRefusal(facts({ target: undefined, now: at(25) }))).toBe('window_passed');
  });

  it('every refusal has a Chinese message', () => {
    for (const t of Object.values(UNMERGE_REFUSAL_TEXT)) expect(t).toMatch(/[\u4e00-\u9fa5]/);
  });
});

describe('issue 14 撤销并单: the snapshot a merge records', () => {
  const good = {
    status: 'in_progress',
    dueAt: '2025-05-20T09:00:00.000Z',
    assignments: [
      { id: 3, status: 'active' },
      { id: 4, status: 'submitted' },
    ],
    deadlineIds: [10, 11],
  };

  it('is read back as written', () => {
    expect(readMergeSnapshot({ intoTicketId: 1, restore: good })).toEqual(good);
    expect(
      readMergeSnapshot({ restore: { ...good, status: 'pending_dispatch', assignments: [], dueAt: null } }),
    ).toEqual({ ...good, status: 'pending_dispatch', assignments: [], dueAt: null });
  });

  it('is absent from merges recorded before undo existed, or unusable when malformed: the ticket goes to 待派单', () => {
    expect(readMergeSnapshot({ intoTicketId: 1 })).toBeNull();
    expect(readMergeSnapshot(null)).toBeNull();
    expect(readMergeSnapshot({ restore: 'x' })).toBeNull();
    for (const status of ['replied', 'closed', 'terminated', 'nonsense'])
      expect(readMergeSnapshot({ restore: { ...good, status } })).toBeNull();
    expect(readMergeSnapshot({ restore: { ...good, dueAt: 'not a date' } })).toBeNull();
    expect(readMergeSnapshot({ restore: { ...good, dueAt: 5 } })).toBeNull();
    expect(readMergeSnapshot({ restore: { ...good, assignments: [{ id: 3, status: 'ended' }] } })).toBeNull();
    expect(readMergeSnapshot({ restore: { ...good, assignments: [{ id: -1, status: 'active' }] } })).toBeNull();
    expect(readMergeSnapshot({ restore: { ...good, deadlineIds: ['1'] } })).toBeNull();
    expect(readMergeSnapshot({ restore: { ...good, deadlineIds: undefined } })).toBeNull();
    // a ticket at a unit without that unit's assignment cannot be put back there
    expect(readMergeSnapshot({ restore: { ...good, assignments: [] } })).toBeNull();
  });
});

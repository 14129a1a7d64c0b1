import { describe, expect, it } from 'vitest';
import { checkChange, effectiveState, PRESENCE_STALE_MS, timeInStates } from './agent-presence.js';

const at = (m: number) => new Date(Date.UTC(2026, 11, 3, 8, m));

describe('坐席状态 示闲/示忙/小休', () => {
  it('is offline without a row, or when the console has been silent too long; otherwise what the agent said', () => {
    const now = at(30);
    expect(effectiveState(null, now)).toBe('offline');
    expect(effectiveState({ state: 'available', since: at(0), seenAt: at(29) }, now)).toBe('available');
    expect(
      effectiveState({ state: 'break', since: at(0), seenAt: new Date(now.getTime() - PRESENCE_STALE_MS) }, now),
    ).toBe('break');
    expect(
      effectiveState(
        { state: 'available', since: at(0), seenAt: new Date(now.getTime() - PRESENCE_STALE_MS - 1) },
        now,
      ),
    ).toBe('offline');
    expect(effectiveState({ state: 'offline', since: at(0), seenAt: at(29) }, now)).toBe('offline');
  });

  it('accepts 示闲 and 示忙 without a reason and 小休 only with one of the reasons', () => {
    expect(checkChange('available', null)).toBeNull();
    expect(checkChange('busy', undefined)).toBeNull();
    expect(checkChange('break', '就餐')).toBeNull();
    expect(checkChange('break', null)).toBe('小休请选择原因');
    expect(checkChange('break', '打游戏')).toContain('小休原因只能是');
    expect(checkChange('available', '就餐')).toBe('只有小休需要填写原因');
    expect(checkChange('offline', null)).toBe('状态只能是示闲、示忙或小休');
    expect(checkChange('sleeping', null)).toBe('状态只能是示闲、示忙或小休');
  });

  it('adds up the time in each state inside a window, whatever happened before or after it', () => {
    const min = 60_000;
    const log = [
      { state: 'available' as const, at: at(0) },
      { state: 'busy' as const, at: at(10) },
      { state: 'break' as const, at: at(15) },
      { state: 'available' as const, at: at(25) },
      { state: 'offline' as const, at: at(50) },
    ];
    expect(timeInStates(log, at(0), at(60))).toEqual({
      available: 35 * min,
      busy: 5 * min,
      break: 10 * min,
      offline: 10 * min,
    });
    // a window starting in the middle takes the state carried in
    expect(timeInStates(log.slice(2), at(12), at(20), 'busy')).toEqual({
      available: 0,
      busy: 3 * min,
      break: 5 * min,
      offline: 0,
    });
    // changes after the window do not count; an empty or inverted window is all zero
    expect(timeInStates(log, at(0), at(5))).toEqual({ available: 5 * min, busy: 0, break: 0, offline: 0 });
    expect(timeInStates(log, at(5), at(5))).toEqual({ available: 0, busy: 0, break: 0, offline: 0 });
    expect(timeInStates([], at(0), at(10), 'break')).toEqual({ available: 0, busy: 0, break: 10 * min, offline: 0 });
  });
});

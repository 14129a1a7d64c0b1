import { describe, expect, it } from 'vitest';
import { ALL_ACTIONS, ALL_STATUSES, allowedActions, nextStatus } from './transitions.js';

describe('ticket lifecycle transition table', () => {
  it('closed and terminated tickets accept no action at all', () => {
    for (const a of ALL_ACTIONS) {
      expect(nextStatus('closed', a)).toBeNull();
      expect(nextStatus('terminated', a)).toBeNull();
    }
  });

  it('follows the main path dispatch → accept → reply → callback', () => {
    expect(nextStatus('pending_dispatch', 'dispatch')).toBe('dispatched');
    expect(nextStatus('dispatched', 'accept')).toBe('in_progress');
    expect(nextStatus('in_progress', 'reply')).toBe('replied');
    expect(nextStatus('replied', 'callback_close')).toBe('closed');
  });

  it('refuses to reply before the unit has accepted', () => {
    expect(nextStatus('dispatched', 'reply')).toBeNull();
    expect(nextStatus('pending_dispatch', 'reply')).toBeNull();
  });

  describe('第十四条 首接负责制', () => {
    it('a return may be applied for before or after accepting, never after replying', () => {
      expect(nextStatus('dispatched', 'apply_return')).toBe('dispatched');
      expect(nextStatus('in_progress', 'apply_return')).toBe('in_progress');
      expect(nextStatus('replied', 'apply_return')).toBeNull();
    });
    it('a dispatch is recalled or reassigned only before the unit accepts', () => {
      expect(nextStatus('dispatched', 'recall')).toBe('pending_dispatch');
      expect(nextStatus('dispatched', 'reassign')).toBe('dispatched');
      for (const s of ALL_STATUSES.filter((x) => x !== 'dispatched')) {
        expect(nextStatus(s, 'recall')).toBeNull();
        expect(nextStatus(s, 'reassign')).toBeNull();
      }
    });
    it('an approved return goes back to dispatch or straight to the new unit', () => {
      expect(nextStatus('in_progress', 'approve_return_hold')).toBe('pending_dispatch');
      expect(nextStatus('in_progress', 'approve_return_redispatch')).toBe('dispatched');
    });
  });

  describe('第十五条 termination in the two cases after review', () => {
    it('only an in-progress ticket can be terminated', () => {
      expect(nextStatus('in_progress', 'approve_termination')).toBe('terminated');
      for (const s of ALL_STATUSES.filter((x) => x !== 'in_progress'))
        expect(nextStatus(s, 'apply_termination')).toBeNull();
    });
  });

  describe('第十六条 consultation on disputed duty', () => {
    it('a consultation redispatches to the decided unit', () => {
      expect(nextStatus('in_progress', 'consultation')).toBe('dispatched');
      expect(nextStatus('replied', 'apply_dispute')).toBeNull();
    });
  });

  describe('第十七条 回访与重办', () => {
    it('callback applies only to replied tickets; rework reopens handling', () => {
      expect(nextStatus('replied', 'callback_rework')).toBe('in_progress');
      expect(nextStatus('in_progress', 'callback_close')).toBeNull();
      expect(nextStatus('closed', 'callback_rework')).toBeNull();
    });
  });

  it('every status lists exactly the actions the table allows', () => {
    for (const s of ALL_STATUSES) {
      for (const a of ALL_ACTIONS) expect(allowedActions(s).includes(a)).toBe(nextStatus(s, a) !== null);
    }
    expect(allowedActions('pending_dispatch')).toEqual(['dispatch', 'merge_into']);
    expect(allowedActions('replied').sort()).toEqual(['callback_close', 'callback_rework']);
  });
});

describe('并单 merge', () => {
  it('an open, unreplied ticket can be merged into another; replied and finished ones cannot', () => {
    expect(nextStatus('pending_dispatch', 'merge_into')).toBe('closed');
    expect(nextStatus('in_progress', 'merge_into')).toBe('closed');
    expect(nextStatus('replied', 'merge_into')).toBeNull();
    expect(nextStatus('closed', 'merge_into')).toBeNull();
  });
});

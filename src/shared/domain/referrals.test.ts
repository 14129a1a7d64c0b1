import { describe, expect, it } from 'vitest';
import {
  canEscalate,
  complaintActions,
  COMPLAINT_FINDINGS,
  COMPLAINT_STATUSES,
  conductLabel,
  nextComplaintStatus,
  nextReferralStatus,
  REFERRAL_STATUSES,
  referralActions,
  type ComplaintAction,
  type ReferralAction,
} from './referrals.js';

describe('第二十三条 referral status: 移交 → 受理 → 处理结果', () => {
  it('allows exactly the forward steps', () => {
    const table = Object.fromEntries(
      REFERRAL_STATUSES.map((s) => [
        s,
        Object.fromEntries((['accept', 'conclude'] as ReferralAction[]).map((a) => [a, nextReferralStatus(s, a)])),
      ]),
    );
    expect(table).toEqual({
      transferred: { accept: 'accepted', conclude: null },
      accepted: { accept: null, conclude: 'concluded' },
      concluded: { accept: null, conclude: null },
    });
    expect(referralActions('concluded')).toEqual([]);
  });
  it('labels a conduct with the article it comes from', () => {
    expect(conductLabel('inaction')).toBe('不作为（第二十三条）');
    expect(conductLabel('leaked_secrets')).toBe('违反规定泄露国家秘密、商业秘密、个人信息的（第三十二条第（四）项）');
    expect(conductLabel('unknown')).toBe('unknown');
  });
});

describe('第九条 complaint handling', () => {
  const actions: ComplaintAction[] = ['investigate', 'note', 'conclude', 'reply', 'close', 'escalate'];
  it('walks 待处理 → 调查中 → 已查明 → 已答复 → 已办结 and nothing else', () => {
    const table = Object.fromEntries(
      COMPLAINT_STATUSES.map((s) => [s, actions.filter((a) => nextComplaintStatus(s, a) !== null)]),
    );
    expect(table).toEqual({
      open: ['investigate', 'escalate'],
      investigating: ['investigate', 'note', 'conclude', 'escalate'],
      concluded: ['reply', 'escalate'],
      replied: ['close', 'escalate'],
      closed: [],
      escalated: [],
    });
    expect(nextComplaintStatus('replied', 'close')).toBe('closed');
    expect(complaintActions('closed')).toEqual([]);
  });
  it('never escalates an unfounded complaint or a finished one', () => {
    for (const f of COMPLAINT_FINDINGS) expect(canEscalate('concluded', f)).toBe(f !== 'unsubstantiated');
    expect(canEscalate('open', null)).toBe(true);
    expect(canEscalate('closed', 'substantiated')).toBe(false);
    expect(canEscalate('escalated', 'substantiated')).toBe(false);
  });
});

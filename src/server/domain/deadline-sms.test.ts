import { describe, expect, it } from 'vitest';
import { chinaMonthDayTime, deadlineSmsText, smsTitle } from './deadline-sms.js';

describe('第十五条 临期提醒 SMS text', () => {
  it('names the ticket, the first 20 characters of its title and the due time in China time', () => {
    expect(
      deadlineSmsText({
        number: 'HZ20251203-000001',
        title: '和平路与中华路交叉口往东一段路灯连续一周不亮夜间危险',
        deadlineKind: 'reply',
        dueAt: new Date('2025-12-03T09:00:00Z'),
      }),
    ).toBe(
      '【菏泽12345】工单HZ20251203-000001（和平路与中华路交叉口往东一段路灯连续一周…）的办理时限将于12月3日17:00到期，请及时办理。',
    );
  });
  it('says 签收 for the acceptance deadline', () => {
    expect(
      deadlineSmsText({
        number: 'HZ1',
        title: '路灯',
        deadlineKind: 'accept',
        dueAt: new Date('2025-03-03T16:30:00Z'),
      }),
    ).toBe('【菏泽12345】工单HZ1（路灯）的签收时限将于3月4日00:30到期，请及时签收。');
  });
  it('masks personal numbers a title may carry (第六条)', () => {
    expect(smsTitle('我叫李明13800001111路灯坏了')).not.toContain('13800001111');
  });
  it('formats midnight and month ends in UTC+8', () => {
    expect(chinaMonthDayTime(new Date('2025-01-31T16:00:00Z'))).toBe('2月1日00:00');
  });
});

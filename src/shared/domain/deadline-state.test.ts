import { describe, expect, it } from 'vitest';
import { deadlineState } from './deadline-state.js';

const t = (s: string) => new Date(s);
const base = {
  due_at: t('2025-03-10T10:00:00Z'),
  warn_at: t('2025-03-09T10:00:00Z'),
  met_at: null,
  cancelled_at: null,
  breached_at: null,
};

describe('deadline state (第八条 限时办结)', () => {
  it('is ok before the warning time and warning after it', () => {
    expect(deadlineState(base, t('2025-03-09T09:59:59Z'))).toBe('ok');
    expect(deadlineState(base, t('2025-03-09T10:00:00Z'))).toBe('warning');
  });
  it('is breached after the due time even before the sweeper marks it', () => {
    expect(deadlineState(base, t('2025-03-10T10:00:00Z'))).toBe('warning');
    expect(deadlineState(base, t('2025-03-10T10:00:01Z'))).toBe('breached');
    expect(deadlineState({ ...base, breached_at: t('2025-03-10T10:00:01Z') }, t('2025-03-01T00:00:00Z'))).toBe(
      'breached',
    );
  });
  it('distinguishes met on time from met late, and cancelled', () => {
    expect(deadlineState({ ...base, met_at: t('2025-03-10T10:00:00Z') }, t('2026-01-01T00:00:00Z'))).toBe('met');
    expect(
      deadlineState(
        { ...base, met_at: t('2025-03-10T10:00:01Z'), breached_at: t('2025-03-10T10:00:01Z') },
        t('2026-01-01T00:00:00Z'),
      ),
    ).toBe('met_late');
    expect(deadlineState({ ...base, cancelled_at: t('2025-03-09T00:00:00Z') }, t('2026-01-01T00:00:00Z'))).toBe(
      'cancelled',
    );
  });
});

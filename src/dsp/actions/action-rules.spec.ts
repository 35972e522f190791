import { addDays, isDueInPast, isOverdue, londonToday } from './action-rules';

describe('action rules', () => {
  it('judges today on the London calendar, not UTC', () => {
    // 23:30 UTC on 30 June is 00:30 on 1 July in London (BST).
    expect(londonToday(new Date('2026-06-30T23:30:00Z'))).toBe('2026-07-01');
    // In winter London is on UTC.
    expect(londonToday(new Date('2026-12-01T23:30:00Z'))).toBe('2026-12-01');
  });

  it('refuses a due date before today and accepts today', () => {
    const now = new Date('2026-12-01T10:00:00Z');
    expect(isDueInPast('2026-11-30', now)).toBe(true);
    expect(isDueInPast('2026-12-01', now)).toBe(false);
    expect(isDueInPast('2026-12-02', now)).toBe(false);
  });

  it('an open action is overdue only after its due day; a completed one never', () => {
    const now = new Date('2026-12-02T08:00:00Z');
    expect(isOverdue({ dueOn: '2026-12-02', completed: false }, now)).toBe(false);
    expect(isOverdue({ dueOn: '2026-12-01', completed: false }, now)).toBe(true);
    expect(isOverdue({ dueOn: '2026-12-01', completed: true }, now)).toBe(false);
  });

  it('adds calendar days across months and years', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });
});

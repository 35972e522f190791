import { londonDateOf } from '../calendar/london-time';
import { reportPeriod, ReportPeriodError } from './report-period';

const problemsOf = (input: { from?: string; to?: string }, now = new Date('2026-03-15T12:00:00Z')) => {
  try {
    reportPeriod(input, now);
    return null;
  } catch (error) {
    if (!(error instanceof ReportPeriodError)) throw error;
    return { problems: error.problems, errors: error.errors, code: error.code };
  }
};

describe('reportPeriod', () => {
  const now = new Date('2026-03-15T12:00:00Z');

  it('defaults to the last 12 months, today included', () => {
    expect(reportPeriod({}, now)).toEqual({
      from: '2025-03-16',
      to: '2026-03-15',
      startsAt: '2025-03-16T00:00:00.000Z',
      endsBefore: '2026-03-16T00:00:00.000Z',
    });
  });

  it('treats empty strings (empty date boxes) as not given', () => {
    expect(reportPeriod({ from: '', to: '' }, now)).toMatchObject({ from: '2025-03-16', to: '2026-03-15' });
  });

  it('takes "today" from the London calendar: 23:30 UTC on 14 June is already 15 June in BST', () => {
    expect(reportPeriod({}, new Date('2026-06-14T23:30:00Z'))).toMatchObject({ from: '2025-06-16', to: '2026-06-15' });
    expect(londonDateOf(new Date('2026-01-14T23:30:00Z'))).toBe('2026-01-14');
  });

  it('runs from London midnight to London midnight, across GMT and BST', () => {
    // 1 July is in BST (midnight = 23:00Z the day before); 1 December in GMT.
    expect(reportPeriod({ from: '2025-07-01', to: '2025-12-01' }, now)).toEqual({
      from: '2025-07-01',
      to: '2025-12-01',
      startsAt: '2025-06-30T23:00:00.000Z',
      endsBefore: '2025-12-02T00:00:00.000Z',
    });
    // The days the clocks change: 29 March 2026 (spring forward) and 25 October 2026 (fall back).
    expect(reportPeriod({ from: '2026-03-29', to: '2026-03-29' }, new Date('2026-11-01T00:00:00Z'))).toMatchObject({
      startsAt: '2026-03-29T00:00:00.000Z',
      endsBefore: '2026-03-29T23:00:00.000Z',
    });
    expect(reportPeriod({ from: '2026-10-25', to: '2026-10-25' }, new Date('2026-11-01T00:00:00Z'))).toMatchObject({
      startsAt: '2026-10-24T23:00:00.000Z',
      endsBefore: '2026-10-26T00:00:00.000Z',
    });
  });

  it('counts one day when from and to are the same day', () => {
    const period = reportPeriod({ from: '2026-01-10', to: '2026-01-10' }, now);
    expect(new Date(period.endsBefore).getTime() - new Date(period.startsAt).getTime()).toBe(24 * 3600 * 1000);
  });

  it('fills a missing end with today and a missing start with the 12 months up to the end', () => {
    expect(reportPeriod({ from: '2025-09-01' }, now)).toMatchObject({ from: '2025-09-01', to: '2026-03-15' });
    expect(reportPeriod({ to: '2025-12-31' }, now)).toMatchObject({ from: '2025-01-01', to: '2025-12-31' });
    expect(reportPeriod({ to: '2024-02-29' }, now)).toMatchObject({ from: '2023-03-01', to: '2024-02-29' });
  });

  it('rejects dates that are not real YYYY-MM-DD dates in 2000-2099, keyed by field', () => {
    for (const bad of [
      '2026-02-30',
      '2026-13-01',
      '26-01-01',
      '01/02/2026',
      '2026-1-5',
      'yesterday',
      '1999-12-31',
      '2100-01-01',
      '2026-01-01T00:00',
    ]) {
      expect(problemsOf({ from: bad })).toMatchObject({ problems: { from: 'invalid' }, code: 'invalid_input' });
      expect(problemsOf({ to: bad })?.problems).toEqual({ to: 'invalid' });
    }
    expect(problemsOf({ from: 'x', to: 'y' })).toMatchObject({
      problems: { from: 'invalid', to: 'invalid' },
      errors: { from: [expect.any(String)], to: [expect.any(String)] },
    });
  });

  it('rejects a start after the end (keyed to), or a start after today when no end is given (keyed from)', () => {
    expect(problemsOf({ from: '2026-02-02', to: '2026-02-01' })?.problems).toEqual({ to: 'before_from' });
    expect(problemsOf({ from: '2026-03-16' })?.problems).toEqual({ from: 'after_today' });
    expect(problemsOf({ from: '2026-03-15' })).toBeNull();
  });
});

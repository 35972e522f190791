import { isoWithOffset, londonDateAndTime, londonInstant } from './london-time';

describe('London wall-clock readings and instants', () => {
  it('reads a winter time as GMT and a summer time as BST', () => {
    expect(londonInstant('2026-01-15', '10:30')).toBe('2026-01-15T10:30:00+00:00');
    expect(londonInstant('2026-07-01', '09:15')).toBe('2026-07-01T09:15:00+01:00');
    expect(new Date(londonInstant('2026-07-01', '09:15')!).toISOString()).toBe('2026-07-01T08:15:00.000Z');
  });

  it('accepts seconds and single-digit hours, as browsers may send them', () => {
    expect(londonInstant('2026-01-15', '9:05')).toBe('2026-01-15T09:05:00+00:00');
    expect(londonInstant('2026-01-15', '09:05:30')).toBe('2026-01-15T09:05:30+00:00');
  });

  it('moves a time the clocks skip in spring to the same moment after the change', () => {
    // 29 March 2026: 01:00 GMT becomes 02:00 BST, so 01:30 never shows on the clock.
    expect(londonInstant('2026-03-29', '01:30')).toBe('2026-03-29T02:30:00+01:00');
    expect(londonInstant('2026-03-29', '00:59')).toBe('2026-03-29T00:59:00+00:00');
    expect(londonInstant('2026-03-29', '02:00')).toBe('2026-03-29T02:00:00+01:00');
  });

  it('reads a time the clocks show twice in autumn as the first (BST) one', () => {
    // 25 October 2026: 02:00 BST becomes 01:00 GMT, so 01:30 happens twice.
    expect(londonInstant('2026-10-25', '01:30')).toBe('2026-10-25T01:30:00+01:00');
    expect(londonInstant('2026-10-25', '02:30')).toBe('2026-10-25T02:30:00+00:00');
  });

  it('refuses dates and times that are not real', () => {
    for (const [date, time] of [
      ['2026-02-30', '10:00'],
      ['2026-13-01', '10:00'],
      ['2026-01-15', '24:00'],
      ['2026-01-15', '10:60'],
      ['15/01/2026', '10:00'],
      ['', '10:00'],
      ['2026-01-15', ''],
      ['2026-01-15', 'noon'],
    ]) {
      expect(londonInstant(date, time)).toBeNull();
    }
    expect(londonInstant(undefined, '10:00')).toBeNull();
  });

  it("gives the London date and time of an instant, for the inputs' defaults", () => {
    expect(londonDateAndTime(new Date('2026-07-01T23:30:00Z'))).toEqual({ date: '2026-07-02', time: '00:30' });
    expect(londonDateAndTime('2026-12-31T23:59:59Z')).toEqual({ date: '2026-12-31', time: '23:59' });
  });

  it('writes an instant with its London offset', () => {
    expect(isoWithOffset(Date.parse('2026-07-01T08:15:00Z'))).toBe('2026-07-01T09:15:00+01:00');
    expect(isoWithOffset(Date.parse('2026-01-01T00:00:00Z'))).toBe('2026-01-01T00:00:00+00:00');
  });
});

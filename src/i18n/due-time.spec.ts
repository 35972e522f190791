import { formatDueTime } from './i18n.service';

const NOW = new Date('2026-11-20T12:00:00Z');

describe('formatDueTime: due times as people say them', () => {
  it('says the London clock time, the weekday and the date, in English and Welsh', () => {
    const due = new Date('2026-11-24T14:15:00Z'); // GMT
    expect(formatDueTime('en', due, NOW)).toBe('by 14:15 on Tuesday 24 November');
    expect(formatDueTime('cy', due, NOW)).toBe('erbyn 14:15 ddydd Mawrth 24 Tachwedd');
  });

  it('reads summer times on the British Summer Time clock', () => {
    expect(formatDueTime('en', '2026-06-09T10:00:00Z', NOW)).toBe('by 11:00 on Tuesday 9 June');
  });

  it('names the year only when it is not this year', () => {
    expect(formatDueTime('en', '2027-01-05T09:30:00Z', NOW)).toBe('by 09:30 on Tuesday 5 January 2027');
  });

  it('never says 00:00: a due time at midnight is the end of the day before', () => {
    expect(formatDueTime('en', '2026-11-24T00:00:00Z', NOW)).toBe('by the end of Monday 23 November');
    expect(formatDueTime('cy', '2026-11-24T00:00:00Z', NOW)).toBe('erbyn diwedd dydd Llun 23 Tachwedd');
    expect(formatDueTime('en', '2026-06-08T23:00:00Z', NOW)).toBe('by the end of Monday 8 June');
  });
});

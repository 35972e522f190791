import { WALES_BANK_HOLIDAYS_2025_2028, WorkingDayCalendar } from '../../calendar/working-days';
import { londonDateAndTime } from '../../calendar/london-time';
import { referralDueBy } from './referral-clock';

const calendar = new WorkingDayCalendar(WALES_BANK_HOLIDAYS_2025_2028);
const at = (iso: string) => new Date(iso);
/** The London wall clock of an instant, as `YYYY-MM-DD HH:MM`. */
const london = (instant: Date) => {
  const { date, time } = londonDateAndTime(instant);
  return `${date} ${time}`;
};

// Monday 23 November 2026, 14:15 GMT.
const MONDAY_1415 = at('2026-11-23T14:15:00Z');

describe('referralDueBy (DOMAIN.md, Timescales)', () => {
  it('gives MASH one working day from sending when the DSP did not phone', () => {
    const due = referralDueBy(calendar, { route: 'mash', sentAt: MONDAY_1415, earlyHelpResponseDays: 5 });
    expect(london(due)).toBe('2026-11-24 14:15');
  });

  it('starts the MASH clock at the phone call when the DSP phoned first', () => {
    const due = referralDueBy(calendar, {
      route: 'mash',
      sentAt: MONDAY_1415,
      phonedAt: '2026-11-23T09:40:00Z',
      earlyHelpResponseDays: 5,
    });
    expect(london(due)).toBe('2026-11-24 09:40');
  });

  it('counts a phone call on Friday from the Friday, not from a written referral on Monday', () => {
    const due = referralDueBy(calendar, {
      route: 'mash',
      sentAt: MONDAY_1415,
      phonedAt: '2026-11-20T16:05:00Z',
      earlyHelpResponseDays: 5,
    });
    expect(london(due)).toBe('2026-11-23 16:05');
  });

  it('ignores a phone time after the written referral (it cannot have started the clock)', () => {
    const due = referralDueBy(calendar, {
      route: 'mash',
      sentAt: MONDAY_1415,
      phonedAt: '2026-11-23T15:00:00Z',
      earlyHelpResponseDays: 5,
    });
    expect(london(due)).toBe('2026-11-24 14:15');
  });

  it('gives the designated officer one working day too, from the phone call when there was one', () => {
    expect(
      london(referralDueBy(calendar, { route: 'designated_officer', sentAt: MONDAY_1415, earlyHelpResponseDays: 5 })),
    ).toBe('2026-11-24 14:15');
    expect(
      london(
        referralDueBy(calendar, {
          route: 'designated_officer',
          sentAt: MONDAY_1415,
          phonedAt: '2026-11-23T08:30:00Z',
          earlyHelpResponseDays: 5,
        }),
      ),
    ).toBe('2026-11-24 08:30');
  });

  it("gives early help the local authority's response time in working days, from sending, whatever the phone time", () => {
    expect(
      london(
        referralDueBy(calendar, {
          route: 'early_help',
          sentAt: MONDAY_1415,
          phonedAt: '2026-11-20T10:00:00Z',
          earlyHelpResponseDays: 5,
        }),
      ),
    ).toBe('2026-11-30 14:15');
    expect(
      london(referralDueBy(calendar, { route: 'early_help', sentAt: MONDAY_1415, earlyHelpResponseDays: 10 })),
    ).toBe('2026-12-07 14:15');
  });

  it('skips bank holidays and weekends in an early-help response time', () => {
    // Tuesday 22 December 2026: 25 and 28 December are holidays, 26–27 a weekend, 1 January a holiday.
    const due = referralDueBy(calendar, {
      route: 'early_help',
      sentAt: at('2026-12-22T11:00:00Z'),
      earlyHelpResponseDays: 5,
    });
    expect(london(due)).toBe('2026-12-31 11:00');
  });

  it('never lands at midnight: a referral sent on Saturday is due at the same clock time on Tuesday', () => {
    const due = referralDueBy(calendar, {
      route: 'mash',
      sentAt: at('2026-11-21T14:15:00Z'),
      earlyHelpResponseDays: 5,
    });
    expect(london(due)).toBe('2026-11-24 14:15');
  });

  it('keeps the clock time across the change to GMT (BST 10:00 on Friday → GMT 10:00 on Monday)', () => {
    const due = referralDueBy(calendar, {
      route: 'mash',
      sentAt: at('2026-10-23T09:00:00Z'),
      earlyHelpResponseDays: 5,
    });
    expect(due.toISOString()).toBe('2026-10-26T10:00:00.000Z');
  });
});

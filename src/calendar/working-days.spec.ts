import { WALES_BANK_HOLIDAYS_2025_2028, WorkingDayCalendar } from './working-days';

const calendar = new WorkingDayCalendar(WALES_BANK_HOLIDAYS_2025_2028);
const at = (iso: string) => new Date(iso);

/** Europe/London wall clock of an instant, read independently of the module under test. */
const londonFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  weekday: 'short',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});
function london(date: Date) {
  const parts = Object.fromEntries(londonFormat.formatToParts(date).map((part) => [part.type, part.value]));
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    weekday: parts.weekday,
    time: `${parts.hour}:${parts.minute}:${parts.second}.${String(date.getTime() % 1000).padStart(3, '0')}`,
  };
}

describe('WALES_BANK_HOLIDAYS_2025_2028', () => {
  /** Anonymous Gregorian algorithm (Meeus/Jones/Butcher): [month, day] of Easter Sunday. */
  function easterSunday(year: number): [number, number] {
    const a = year % 19;
    const b = Math.floor(year / 100);
    const c = year % 100;
    const d = Math.floor(b / 4);
    const e = b % 4;
    const f = Math.floor((b + 8) / 25);
    const g = Math.floor((b - f + 1) / 3);
    const h = (19 * a + b - d - g + 15) % 30;
    const i = Math.floor(c / 4);
    const k = c % 4;
    const l = (32 + 2 * e + 2 * i - h - k) % 7;
    const m = Math.floor((a + 11 * h + 22 * l) / 451);
    return [Math.floor((h + l - 7 * m + 114) / 31), ((h + l - 7 * m + 114) % 31) + 1];
  }
  const utc = (year: number, month: number, day: number) => new Date(Date.UTC(year, month - 1, day));
  const iso = (date: Date) => date.toISOString().slice(0, 10);
  const plusDays = (date: Date, days: number) => new Date(date.getTime() + days * 86_400_000);
  const firstMonday = (year: number, month: number) => {
    const first = utc(year, month, 1);
    return plusDays(first, (8 - first.getUTCDay()) % 7);
  };
  const lastMonday = (year: number, month: number) => {
    const last = utc(year, month + 1, 0);
    return plusDays(last, -((last.getUTCDay() + 6) % 7));
  };

  /** The England & Wales rules, derived from scratch, to check the hand-written list against. */
  function rules(year: number): string[] {
    const newYear = utc(year, 1, 1);
    const newYearObserved = plusDays(newYear, newYear.getUTCDay() === 6 ? 2 : newYear.getUTCDay() === 0 ? 1 : 0);
    const easter = utc(year, ...easterSunday(year));
    // Christmas and Boxing Day: a day falling at a weekend moves to the next weekday not already taken.
    const christmas: Date[] = [];
    for (const day of [utc(year, 12, 25), utc(year, 12, 26)]) {
      let observed = day;
      while ([0, 6].includes(observed.getUTCDay()) || christmas.some((taken) => iso(taken) === iso(observed))) {
        observed = plusDays(observed, 1);
      }
      christmas.push(observed);
    }
    return [
      newYearObserved,
      plusDays(easter, -2),
      plusDays(easter, 1),
      firstMonday(year, 5),
      lastMonday(year, 5),
      lastMonday(year, 8),
      ...christmas,
    ].map(iso);
  }

  it('knows the Easter dates the brief gives', () => {
    expect(easterSunday(2025)).toEqual([4, 20]);
    expect(easterSunday(2026)).toEqual([4, 5]);
    expect(easterSunday(2027)).toEqual([3, 28]);
    expect(easterSunday(2028)).toEqual([4, 16]);
  });

  it.each([2025, 2026, 2027, 2028])('lists exactly the eight %i bank holidays the rules give', (year) => {
    const listed = WALES_BANK_HOLIDAYS_2025_2028.filter((date) => date.startsWith(`${year}-`));
    expect(listed).toEqual(rules(year));
  });

  it('matches the published 2025–2028 dates', () => {
    expect(WALES_BANK_HOLIDAYS_2025_2028).toEqual([
      ...[
        '2025-01-01',
        '2025-04-18',
        '2025-04-21',
        '2025-05-05',
        '2025-05-26',
        '2025-08-25',
        '2025-12-25',
        '2025-12-26',
      ],
      ...[
        '2026-01-01',
        '2026-04-03',
        '2026-04-06',
        '2026-05-04',
        '2026-05-25',
        '2026-08-31',
        '2026-12-25',
        '2026-12-28',
      ],
      ...[
        '2027-01-01',
        '2027-03-26',
        '2027-03-29',
        '2027-05-03',
        '2027-05-31',
        '2027-08-30',
        '2027-12-27',
        '2027-12-28',
      ],
      ...[
        '2028-01-03',
        '2028-04-14',
        '2028-04-17',
        '2028-05-01',
        '2028-05-29',
        '2028-08-28',
        '2028-12-25',
        '2028-12-26',
      ],
    ]);
  });

  it('has every holiday on a weekday, and cannot be changed at run time', () => {
    for (const date of WALES_BANK_HOLIDAYS_2025_2028)
      expect([1, 2, 3, 4, 5]).toContain(new Date(`${date}T12:00:00Z`).getUTCDay());
    expect(Object.isFrozen(WALES_BANK_HOLIDAYS_2025_2028)).toBe(true);
  });
});

describe('WorkingDayCalendar', () => {
  describe('construction', () => {
    it('accepts real dates, including a leap day, and an empty list', () => {
      expect(() => new WorkingDayCalendar(['2028-02-29', '2026-12-31'])).not.toThrow();
      expect(new WorkingDayCalendar([]).isWorkingDay(at('2026-12-25T12:00:00Z'))).toBe(true);
    });

    it.each([
      '2027-02-29',
      '2026-02-30',
      '2026-13-01',
      '2026-00-10',
      '2026-04-31',
      '2026-4-3',
      '03/04/2026',
      '',
      ' 2026-04-03',
      '2026-04-03T00:00',
    ])('refuses the bank holiday %p and names it', (bad) => {
      expect(() => new WorkingDayCalendar(['2026-01-01', bad])).toThrow(RangeError);
      expect(() => new WorkingDayCalendar([bad])).toThrow(`"${bad}"`);
    });

    it('does not keep a reference to the caller’s array', () => {
      const holidays = ['2026-06-01'];
      const own = new WorkingDayCalendar(holidays);
      holidays.push('2026-06-02');
      expect(own.isWorkingDay(at('2026-06-01T12:00:00Z'))).toBe(false);
      expect(own.isWorkingDay(at('2026-06-02T12:00:00Z'))).toBe(true);
    });
  });

  describe('isWorkingDay', () => {
    it.each([
      ['Monday', '2026-06-01T12:00:00Z', true],
      ['Tuesday', '2026-06-02T12:00:00Z', true],
      ['Wednesday', '2026-06-03T12:00:00Z', true],
      ['Thursday', '2026-06-04T12:00:00Z', true],
      ['Friday', '2026-06-05T12:00:00Z', true],
      ['Saturday', '2026-06-06T12:00:00Z', false],
      ['Sunday', '2026-06-07T12:00:00Z', false],
    ])('%s is %p', (_day, instant, expected) => {
      expect(calendar.isWorkingDay(at(instant))).toBe(expected);
    });

    it('is false on every listed bank holiday', () => {
      for (const holiday of WALES_BANK_HOLIDAYS_2025_2028) {
        expect(calendar.isWorkingDay(at(`${holiday}T12:00:00Z`))).toBe(false);
      }
    });

    it('is false from 00:00 to 23:59:59.999 London time on a summer bank holiday (BST)', () => {
      // Monday 31 August 2026: BST, so local midnight is 23:00Z the day before.
      expect(calendar.isWorkingDay(at('2026-08-30T22:59:59.999Z'))).toBe(false); // Sunday 23:59 BST
      expect(calendar.isWorkingDay(at('2026-08-30T23:00:00Z'))).toBe(false); // Monday 00:00 BST, holiday
      expect(calendar.isWorkingDay(at('2026-08-31T22:59:59.999Z'))).toBe(false); // Monday 23:59 BST
      expect(calendar.isWorkingDay(at('2026-08-31T23:00:00Z'))).toBe(true); // Tuesday 00:00 BST
    });

    it('judges the London date, not the UTC date, in summer', () => {
      expect(calendar.isWorkingDay(at('2026-06-07T23:30:00Z'))).toBe(true); // Monday 00:30 BST, Sunday in UTC
      expect(calendar.isWorkingDay(at('2026-06-05T23:30:00Z'))).toBe(false); // Saturday 00:30 BST, Friday in UTC
    });

    it('uses GMT in winter: UTC midnight is London midnight', () => {
      expect(calendar.isWorkingDay(at('2026-01-09T23:59:59.999Z'))).toBe(true); // Friday 23:59 GMT
      expect(calendar.isWorkingDay(at('2026-01-10T00:00:00Z'))).toBe(false); // Saturday 00:00 GMT
      expect(calendar.isWorkingDay(at('2026-01-11T23:59:59.999Z'))).toBe(false); // Sunday 23:59 GMT
      expect(calendar.isWorkingDay(at('2026-01-12T00:00:00Z'))).toBe(true); // Monday 00:00 GMT
    });

    it('refuses an invalid Date', () => {
      expect(() => calendar.isWorkingDay(new Date('nonsense'))).toThrow(RangeError);
    });
  });

  describe('addWorkingDays', () => {
    it.each([
      ['Monday 10:00 + 1 is Tuesday 10:00', '2026-06-01T09:00:00Z', 1, '2026-06-02T09:00:00Z'],
      ['Friday 16:30 + 1 is Monday 16:30', '2026-06-05T15:30:00Z', 1, '2026-06-08T15:30:00Z'],
      ['Monday 10:00 + 5 is the next Monday 10:00', '2026-06-01T09:00:00Z', 5, '2026-06-08T09:00:00Z'],
      ['winter Wednesday 09:15 + 2 is Friday 09:15 GMT', '2026-02-04T09:15:00Z', 2, '2026-02-06T09:15:00Z'],
      [
        'Thursday 24 Dec 2026 + 1 is Tuesday 29 Dec (25, 28 holidays; 26, 27 weekend)',
        '2026-12-24T14:00:00Z',
        1,
        '2026-12-29T14:00:00Z',
      ],
      [
        'Thursday 23 Dec 2027 + 2 is Wednesday 29 Dec (27, 28 substitute days)',
        '2027-12-23T10:00:00Z',
        2,
        '2027-12-29T10:00:00Z',
      ],
      [
        'Thursday 2 Apr 2026 + 1 is Tuesday 7 Apr (Good Friday, Easter Monday)',
        '2026-04-02T10:00:00Z',
        1,
        '2026-04-07T10:00:00Z',
      ],
      [
        'Friday 31 Dec 2027 + 1 is Tuesday 4 Jan 2028 (Monday 3 Jan is the New Year substitute)',
        '2027-12-31T12:00:00Z',
        1,
        '2028-01-04T12:00:00Z',
      ],
      [
        'Friday 23:30 BST + 1 is Monday 23:30 BST (a Friday in UTC too late for the UTC date to matter)',
        '2026-06-05T22:30:00Z',
        1,
        '2026-06-08T22:30:00Z',
      ],
      ['Monday 00:30 BST (Sunday in UTC) + 1 is Tuesday 00:30 BST', '2026-06-07T23:30:00Z', 1, '2026-06-08T23:30:00Z'],
    ])('%s', (_label, from, n, due) => {
      expect(calendar.addWorkingDays(at(from), n).toISOString()).toBe(at(due).toISOString());
    });

    it('keeps the wall-clock time across the spring clock change: Fri 27 Mar 2026 10:00 GMT + 1 is Mon 30 Mar 10:00 BST = 09:00Z', () => {
      expect(calendar.addWorkingDays(at('2026-03-27T10:00:00Z'), 1).toISOString()).toBe('2026-03-30T09:00:00.000Z');
    });

    it('keeps the wall-clock time across the autumn clock change: Fri 23 Oct 2026 10:00 BST + 1 is Mon 26 Oct 10:00 GMT', () => {
      expect(calendar.addWorkingDays(at('2026-10-23T09:00:00Z'), 1).toISOString()).toBe('2026-10-26T10:00:00.000Z');
    });

    it('keeps late-evening times across a clock change (Fri 23:30 GMT + 1 is Mon 23:30 BST)', () => {
      expect(calendar.addWorkingDays(at('2026-03-27T23:30:00Z'), 1).toISOString()).toBe('2026-03-30T22:30:00.000Z');
      expect(calendar.addWorkingDays(at('2026-10-23T22:30:00Z'), 1).toISOString()).toBe('2026-10-26T23:30:00.000Z');
    });

    it('keeps milliseconds', () => {
      expect(calendar.addWorkingDays(at('2026-06-01T09:00:00.123Z'), 1).toISOString()).toBe('2026-06-02T09:00:00.123Z');
    });

    it('returns the same instant (a new Date) for 0 working days on a working day', () => {
      const from = at('2026-06-03T13:45:12.345Z');
      const result = calendar.addWorkingDays(from, 0);
      expect(result).not.toBe(from);
      expect(result.getTime()).toBe(from.getTime());
    });

    describe('from a weekend or bank holiday, the clock starts at the same time on the next working day', () => {
      it.each([
        ['Saturday 11:00 + 1 is Tuesday 11:00', '2026-06-06T10:00:00Z', 1, '2026-06-09T10:00:00Z'],
        ['Saturday 11:00 + 0 is Monday 11:00', '2026-06-06T10:00:00Z', 0, '2026-06-08T10:00:00Z'],
        ['Sunday 23:59 + 1 is Tuesday 23:59', '2026-06-07T22:59:00Z', 1, '2026-06-09T22:59:00Z'],
        ['Saturday 00:00 (Friday in UTC) + 1 is Tuesday 00:00', '2026-06-05T23:00:00Z', 1, '2026-06-08T23:00:00Z'],
        ['Easter Monday 15:00 + 1 is Wednesday 15:00', '2026-04-06T14:00:00Z', 1, '2026-04-08T14:00:00Z'],
        [
          'Christmas Day 12:00 + 1 is Wednesday 30 Dec 12:00 (Boxing Day weekend, 28th substitute)',
          '2026-12-25T12:00:00Z',
          1,
          '2026-12-30T12:00:00Z',
        ],
        [
          'Saturday 28 Mar 2026 11:00 GMT + 1 is Tuesday 31 Mar 11:00 BST',
          '2026-03-28T11:00:00Z',
          1,
          '2026-03-31T10:00:00Z',
        ],
        [
          'Saturday 24 Oct 2026 11:00 BST + 1 is Tuesday 27 Oct 11:00 GMT',
          '2026-10-24T10:00:00Z',
          1,
          '2026-10-27T11:00:00Z',
        ],
        [
          'Sunday 29 Mar 2026 02:30 BST (just after the skipped hour) + 0 is Monday 02:30 BST',
          '2026-03-29T01:30:00Z',
          0,
          '2026-03-30T01:30:00Z',
        ],
        [
          'Sunday 25 Oct 2026 01:30 GMT (the repeated hour, second time) + 0 is Monday 01:30 GMT',
          '2026-10-25T01:30:00Z',
          0,
          '2026-10-26T01:30:00Z',
        ],
      ])('%s', (_label, from, n, due) => {
        expect(calendar.addWorkingDays(at(from), n).toISOString()).toBe(at(due).toISOString());
      });
    });

    it('counts a whole year: 31 Dec 2025 + 253 working days is 31 Dec 2026 (261 weekdays less 8 holidays)', () => {
      expect(calendar.addWorkingDays(at('2025-12-31T10:00:00Z'), 253).toISOString()).toBe('2026-12-31T10:00:00.000Z');
    });

    it('treats a date as a working day when no bank holidays are configured', () => {
      expect(new WorkingDayCalendar([]).addWorkingDays(at('2026-12-24T14:00:00Z'), 1).toISOString()).toBe(
        '2026-12-25T14:00:00.000Z',
      );
    });

    it.each([-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('refuses n = %p', (n) => {
      expect(() => calendar.addWorkingDays(at('2026-06-01T09:00:00Z'), n)).toThrow(RangeError);
    });

    it('refuses an invalid Date', () => {
      expect(() => calendar.addWorkingDays(new Date(Number.NaN), 1)).toThrow(RangeError);
    });

    it('does not change the Date it was given', () => {
      const from = at('2026-06-05T15:30:00Z');
      calendar.addWorkingDays(from, 3);
      expect(from.toISOString()).toBe('2026-06-05T15:30:00.000Z');
    });
  });

  describe('workingDaysBetween', () => {
    it('is 0 when to is at or before from', () => {
      expect(calendar.workingDaysBetween(at('2026-06-02T09:00:00Z'), at('2026-06-02T09:00:00Z'))).toBe(0);
      expect(calendar.workingDaysBetween(at('2026-06-09T09:00:00Z'), at('2026-06-02T09:00:00Z'))).toBe(0);
    });

    it('counts a working day once the same local time on the next working day is reached', () => {
      const monday10 = at('2026-06-01T09:00:00Z');
      expect(calendar.workingDaysBetween(monday10, at('2026-06-02T08:59:59.999Z'))).toBe(0);
      expect(calendar.workingDaysBetween(monday10, at('2026-06-02T09:00:00Z'))).toBe(1);
      expect(calendar.workingDaysBetween(monday10, at('2026-06-05T09:00:00Z'))).toBe(4);
    });

    it('does not count weekends', () => {
      const friday1630 = at('2026-06-05T15:30:00Z');
      expect(calendar.workingDaysBetween(friday1630, at('2026-06-07T23:59:00Z'))).toBe(0); // Sunday night
      expect(calendar.workingDaysBetween(friday1630, at('2026-06-08T15:29:59Z'))).toBe(0); // Monday 16:29
      expect(calendar.workingDaysBetween(friday1630, at('2026-06-08T15:30:00Z'))).toBe(1); // Monday 16:30
      expect(calendar.workingDaysBetween(friday1630, at('2026-06-12T15:30:00Z'))).toBe(5); // next Friday
    });

    it('does not count bank holidays', () => {
      const christmasEve = at('2026-12-24T10:00:00Z');
      expect(calendar.workingDaysBetween(christmasEve, at('2026-12-28T23:59:59Z'))).toBe(0);
      expect(calendar.workingDaysBetween(christmasEve, at('2026-12-29T09:59:59Z'))).toBe(0);
      expect(calendar.workingDaysBetween(christmasEve, at('2026-12-29T10:00:00Z'))).toBe(1);
      expect(calendar.workingDaysBetween(christmasEve, at('2027-01-04T09:59:59Z'))).toBe(3); // 29, 30, 31 Dec; 1 Jan holiday, 2-3 weekend
      expect(calendar.workingDaysBetween(christmasEve, at('2027-01-04T10:00:00Z'))).toBe(4); // and Monday 4 Jan
    });

    it('starts the count at the same time on the next working day when from is not a working day', () => {
      const saturday11 = at('2026-06-06T10:00:00Z');
      expect(calendar.workingDaysBetween(saturday11, at('2026-06-08T23:00:00Z'))).toBe(0); // Tuesday 00:00 BST
      expect(calendar.workingDaysBetween(saturday11, at('2026-06-09T09:59:59.999Z'))).toBe(0); // Tuesday 10:59 BST
      expect(calendar.workingDaysBetween(saturday11, at('2026-06-09T10:00:00Z'))).toBe(1); // Tuesday 11:00 BST
    });

    it('counts across the clock change by wall-clock time', () => {
      const friday10gmt = at('2026-03-27T10:00:00Z');
      expect(calendar.workingDaysBetween(friday10gmt, at('2026-03-30T08:59:59.999Z'))).toBe(0);
      expect(calendar.workingDaysBetween(friday10gmt, at('2026-03-30T09:00:00Z'))).toBe(1);
      const friday10bst = at('2026-10-23T09:00:00Z');
      expect(calendar.workingDaysBetween(friday10bst, at('2026-10-26T09:59:59.999Z'))).toBe(0);
      expect(calendar.workingDaysBetween(friday10bst, at('2026-10-26T10:00:00Z'))).toBe(1);
    });

    it('counts a whole year', () => {
      expect(calendar.workingDaysBetween(at('2025-12-31T10:00:00Z'), at('2026-12-31T10:00:00Z'))).toBe(253);
      expect(calendar.workingDaysBetween(at('2025-12-31T10:00:00Z'), at('2026-12-31T09:59:59Z'))).toBe(252);
    });

    describe('the chase rule: prompt after 7 working days without acknowledgement', () => {
      const due = (sentAt: Date, now: Date) => calendar.workingDaysBetween(sentAt, now) >= 7;

      it('over Easter 2026: sent Wed 1 Apr 11:00 BST, chase from Tue 14 Apr 11:00 BST', () => {
        const sentAt = at('2026-04-01T10:00:00Z');
        expect(calendar.addWorkingDays(sentAt, 7).toISOString()).toBe('2026-04-14T10:00:00.000Z');
        expect(calendar.workingDaysBetween(sentAt, at('2026-04-14T09:59:59.999Z'))).toBe(6);
        expect(due(sentAt, at('2026-04-14T09:59:59.999Z'))).toBe(false);
        expect(due(sentAt, at('2026-04-14T10:00:00Z'))).toBe(true);
      });

      it('over Christmas 2026: sent Fri 18 Dec 15:00, chase from Thu 31 Dec 15:00', () => {
        const sentAt = at('2026-12-18T15:00:00Z');
        expect(calendar.addWorkingDays(sentAt, 7).toISOString()).toBe('2026-12-31T15:00:00.000Z');
        expect(due(sentAt, at('2026-12-31T14:59:00Z'))).toBe(false);
        expect(due(sentAt, at('2026-12-31T15:00:00Z'))).toBe(true);
      });

      it('in an ordinary fortnight: sent Tue 9 Jun 2026 09:30, chase from Thu 18 Jun 09:30', () => {
        const sentAt = at('2026-06-09T08:30:00Z');
        expect(calendar.addWorkingDays(sentAt, 7).toISOString()).toBe('2026-06-18T08:30:00.000Z');
        expect(calendar.workingDaysBetween(sentAt, at('2026-06-18T08:30:00Z'))).toBe(7);
        expect(calendar.workingDaysBetween(sentAt, at('2026-06-19T08:30:00Z'))).toBe(8);
      });

      it('across the spring clock change: sent Mon 23 Mar 2026 16:00 GMT, chase from Wed 1 Apr 16:00 BST', () => {
        const sentAt = at('2026-03-23T16:00:00Z');
        expect(calendar.addWorkingDays(sentAt, 7).toISOString()).toBe('2026-04-01T15:00:00.000Z');
        expect(due(sentAt, at('2026-04-01T14:59:59Z'))).toBe(false);
        expect(due(sentAt, at('2026-04-01T15:00:00Z'))).toBe(true);
      });
    });

    it('refuses invalid Dates', () => {
      expect(() => calendar.workingDaysBetween(new Date(Number.NaN), at('2026-06-01T09:00:00Z'))).toThrow(RangeError);
      expect(() => calendar.workingDaysBetween(at('2026-06-01T09:00:00Z'), new Date(Number.NaN))).toThrow(RangeError);
    });
  });

  describe('properties, over instants every 7h13m from 2025 to 2028', () => {
    const step = (7 * 60 + 13) * 60 * 1000 + 17;
    const instants: Date[] = [];
    for (let t = Date.UTC(2025, 0, 1); t < Date.UTC(2029, 0, 1); t += step) instants.push(new Date(t));
    const holidays = new Set(WALES_BANK_HOLIDAYS_2025_2028);
    const workingByIntl = (date: Date) => {
      const local = london(date);
      return !['Sat', 'Sun'].includes(local.weekday) && !holidays.has(local.date);
    };

    it('isWorkingDay agrees with an independent reading of the London date', () => {
      const wrong = instants.filter((instant) => calendar.isWorkingDay(instant) !== workingByIntl(instant));
      expect(wrong).toEqual([]);
    });

    it('addWorkingDays lands on a working day at the same London time, and workingDaysBetween inverts it', () => {
      const failures: string[] = [];
      for (const from of instants) {
        const startTime = london(from).time;
        let previous = from;
        for (const n of [0, 1, 2, 7]) {
          const due = calendar.addWorkingDays(from, n);
          const problems = [
            !workingByIntl(due) && 'not a working day',
            london(due).time !== startTime && `London time ${london(due).time}, expected ${startTime}`,
            due < previous && 'earlier than for n - 1',
            calendar.workingDaysBetween(from, due) !== n &&
              `workingDaysBetween(from, due) = ${calendar.workingDaysBetween(from, due)}`,
            n > 0 &&
              calendar.workingDaysBetween(from, new Date(due.getTime() - 1)) !== n - 1 &&
              'a millisecond earlier is not n - 1',
          ].filter(Boolean);
          if (problems.length > 0)
            failures.push(`${from.toISOString()} + ${n} = ${due.toISOString()}: ${problems.join(', ')}`);
          previous = due;
        }
      }
      expect(failures).toEqual([]);
    });

    it('addWorkingDays never goes backwards as from moves forwards through working days', () => {
      const working = instants.filter(workingByIntl);
      const dues = working.map((from) => calendar.addWorkingDays(from, 1).getTime());
      const backwards = dues.flatMap((due, i) => (i > 0 && due < dues[i - 1] ? [working[i].toISOString()] : []));
      expect(backwards).toEqual([]);
    });

    it('workingDaysBetween from Mon 5 Jan 2026 10:00 to 10:00 London on each later date of 2026 matches a plain count', () => {
      let count = 0;
      const start = at('2026-01-05T10:00:00Z');
      for (let day = 1; day <= 360; day += 1) {
        const tenUtc = new Date(start.getTime() + day * 86_400_000);
        if (workingByIntl(tenUtc)) count += 1;
        // 10:00 London is 10:00Z in GMT and 09:00Z in BST (29 March to 25 October 2026).
        const bst = tenUtc >= at('2026-03-29T01:00:00Z') && tenUtc < at('2026-10-25T01:00:00Z');
        const tenLondon = new Date(tenUtc.getTime() - (bst ? 3_600_000 : 0));
        expect(london(tenLondon).time).toBe('10:00:00.000');
        expect(calendar.workingDaysBetween(start, tenLondon)).toBe(count);
      }
    });
  });

  describe('does not depend on the host time zone', () => {
    const originalTz = process.env.TZ;
    afterEach(() => {
      if (originalTz === undefined) delete process.env.TZ;
      else process.env.TZ = originalTz;
    });

    it.each(['America/New_York', 'Pacific/Auckland', 'Asia/Kolkata', 'UTC'])(
      'gives the London answers with TZ=%s',
      (tz) => {
        process.env.TZ = tz;
        const fresh = new WorkingDayCalendar(WALES_BANK_HOLIDAYS_2025_2028);
        expect(fresh.addWorkingDays(at('2026-03-27T10:00:00Z'), 1).toISOString()).toBe('2026-03-30T09:00:00.000Z');
        expect(fresh.addWorkingDays(at('2026-06-06T10:00:00Z'), 1).toISOString()).toBe('2026-06-09T10:00:00.000Z');
        expect(fresh.isWorkingDay(at('2026-06-07T23:30:00Z'))).toBe(true);
        expect(fresh.workingDaysBetween(at('2026-12-24T10:00:00Z'), at('2026-12-29T10:00:00Z'))).toBe(1);
      },
    );
  });
});

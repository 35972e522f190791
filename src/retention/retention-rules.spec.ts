import { isDueForReview, reviewCutOff, reviewDateOf } from './retention-rules';

describe('retention review date', () => {
  it('is the 25th birthday', () => {
    expect(reviewDateOf('2001-06-15')).toBe('2026-06-15');
    expect(reviewDateOf('1999-12-31')).toBe('2024-12-31');
  });

  it('falls on 1 March for a 29 February birth when the 25th year has no 29 February', () => {
    expect(reviewDateOf('2004-02-29')).toBe('2029-03-01');
    // 2000 + 25 = 2025: no 29 February.
    expect(reviewDateOf('2000-02-29')).toBe('2025-03-01');
    expect(reviewDateOf('1980-02-29')).toBe('2005-03-01');
    expect(reviewDateOf('2003-02-28')).toBe('2028-02-28');
  });

  it('is due on the birthday, not the day before', () => {
    expect(isDueForReview('2001-06-15', '2026-06-14')).toBe(false);
    expect(isDueForReview('2001-06-15', '2026-06-15')).toBe(true);
    expect(isDueForReview('2004-02-29', '2029-02-28')).toBe(false);
    expect(isDueForReview('2004-02-29', '2029-03-01')).toBe(true);
  });

  it('agrees with the indexed cut-off on every day of leap and common years', () => {
    const births = [
      '2000-02-28',
      '2000-02-29',
      '2000-03-01',
      '2001-02-28',
      '2001-03-01',
      '2003-02-28',
      '2003-03-01',
      '2004-02-29',
      '2004-03-01',
    ];
    for (const year of [2025, 2026, 2028, 2029]) {
      for (let t = Date.UTC(year, 1, 20); t <= Date.UTC(year, 2, 5); t += 86_400_000) {
        const today = new Date(t).toISOString().slice(0, 10);
        for (const birth of births)
          expect([birth, today, birth <= reviewCutOff(today)]).toEqual([birth, today, isDueForReview(birth, today)]);
      }
    }
  });

  it('cuts off on 28 February when 25 years before 29 February has none', () => {
    expect(reviewCutOff('2028-02-29')).toBe('2003-02-28');
    expect(reviewCutOff('2029-03-01')).toBe('2004-03-01');
  });
});

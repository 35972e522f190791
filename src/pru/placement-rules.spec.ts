import { PlacementError, PlacementRuleError } from './placement-errors';
import { assertNotBeforeStart, currentReviewOn, isReviewOverdue, placementStatus } from './placement-rules';

describe('placement rules', () => {
  it('is active until it has an ending', () => {
    expect(placementStatus(undefined)).toBe('active');
    expect(placementStatus(null)).toBe('active');
    expect(placementStatus({ endOn: '2026-12-01' })).toBe('ended');
  });

  it.each([
    ['2026-10-05', '2026-10-04', true],
    ['2026-10-05', '2026-10-05', false],
    ['2026-10-05', '2027-01-10', false],
    ['2026-10-05', null, false],
  ])('a date before the start %s (%s) is refused: %p', (startOn, date, refused) => {
    const check = () => assertNotBeforeStart(startOn, date, PlacementError.EndBeforeStart);
    if (refused) {
      expect(check).toThrow(PlacementRuleError);
      try {
        check();
      } catch (error) {
        expect(error).toMatchObject({ rule: 'dates_out_of_order', errors: { endOn: [expect.any(String)] } });
      }
    } else expect(check).not.toThrow();
  });

  it('is reviewed next on the latest review’s date, or the one set at the start before any review', () => {
    expect(currentReviewOn('2026-11-01', [])).toBe('2026-11-01');
    expect(currentReviewOn('2026-11-01', [{ nextReviewOn: '2026-12-01' }, { nextReviewOn: '2027-01-15' }])).toBe(
      '2027-01-15',
    );
    expect(currentReviewOn('2026-11-01', [{ nextReviewOn: '2026-12-01' }, { nextReviewOn: null }])).toBeNull();
  });

  it('is overdue for review only while active and only after the review day', () => {
    expect(isReviewOverdue('active', '2026-11-01', '2026-11-02')).toBe(true);
    expect(isReviewOverdue('active', '2026-11-01', '2026-11-01')).toBe(false);
    expect(isReviewOverdue('active', null, '2026-11-02')).toBe(false);
    expect(isReviewOverdue('ended', '2026-11-01', '2026-11-02')).toBe(false);
  });

  it('names each broken rule for the API', () => {
    expect(new PlacementRuleError(PlacementError.AlreadyActive).rule).toBe('placement_already_active');
    expect(new PlacementRuleError(PlacementError.AlreadyEnded).rule).toBe('placement_ended');
    expect(new PlacementRuleError(PlacementError.HomeNotPupilsSchool).rule).toBe('home_organisation_not_pupils_school');
  });
});

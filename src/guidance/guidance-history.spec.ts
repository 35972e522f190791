import { ConcernCategory } from './codes';
import {
  DEFAULT_THRESHOLDS,
  GuidanceHistory,
  GuidanceInput,
  GuidanceThresholds,
  daysBefore,
  monthsBefore,
} from './guidance-engine';
import { GuidanceAnswer } from './guidance.mapper';
import { DAY, T, at, concern, guidanceInWords } from './guidance-test-helpers';

const evaluate = (input: Partial<GuidanceInput>, thresholds?: GuidanceThresholds): GuidanceAnswer =>
  guidanceInWords(concern(input), [], 'en', thresholds);
const triggerCodes = (answer: GuidanceAnswer) => answer.triggers.map((trigger) => trigger.code);
const other = (occurredAt: Date, category: ConcernCategory = 'wellbeing') => ({ occurredAt, category });
type Escalation = GuidanceHistory['mashEscalations'][number];
const escalation = (overrides: Partial<Escalation>): Escalation => ({
  sentAt: at(400 * DAY),
  concernIsThisOne: false,
  outcome: null,
  outcomeAt: null,
  ...overrides,
});
const history = (partial: Partial<GuidanceHistory>): GuidanceHistory => ({
  otherConcerns: [],
  mashEscalations: [],
  ...partial,
});

/** 12 calendar months before T (2025-06-15T12:00Z). */
const TWELVE_MONTHS = new Date('2024-06-15T12:00:00.000Z');

describe('default thresholds', () => {
  it('are the product defaults from DOMAIN.md', () => {
    expect(DEFAULT_THRESHOLDS).toEqual({
      patternFrequencyCount: 2,
      patternFrequencyDays: 30,
      patternCategoriesCount: 2,
      patternCategoriesDays: 90,
      afterMashClosureMonths: 12,
      repeatMashCount: 2,
      repeatMashMonths: 12,
    });
  });

  it('cannot be changed by accident', () => {
    expect(Object.isFrozen(DEFAULT_THRESHOLDS)).toBe(true);
  });
});

describe('windows', () => {
  it('count days as exact 24-hour days back from T', () => {
    expect(daysBefore(T, 30).toISOString()).toBe('2025-05-16T12:00:00.000Z');
  });

  it('count months as calendar months back from T, keeping the time of day', () => {
    expect(monthsBefore(T, 12).toISOString()).toBe('2024-06-15T12:00:00.000Z');
    expect(monthsBefore(new Date('2025-01-10T08:30:00Z'), 1).toISOString()).toBe('2024-12-10T08:30:00.000Z');
  });

  it('use the last day of the month when the day does not exist there', () => {
    expect(monthsBefore(new Date('2024-02-29T09:00:00Z'), 12).toISOString()).toBe('2023-02-28T09:00:00.000Z');
    expect(monthsBefore(new Date('2025-03-31T09:00:00Z'), 1).toISOString()).toBe('2025-02-28T09:00:00.000Z');
    expect(monthsBefore(new Date('2024-03-31T09:00:00Z'), 1).toISOString()).toBe('2024-02-29T09:00:00.000Z');
  });
});

describe('history trigger: pattern_frequency (2 or more other concerns in the 30 days up to T)', () => {
  it('fires on two other concerns in the window and raises a universal concern to level 3 (early help)', () => {
    const answer = evaluate({ history: history({ otherConcerns: [other(at(2 * DAY)), other(at(10 * DAY))] }) });
    expect(triggerCodes(answer)).toEqual(['pattern_frequency']);
    expect(answer).toMatchObject({ level: 3, route: 'early_help' });
    expect(answer.triggers[0].message).toContain('2 other concerns');
    expect(answer.triggers[0].message).toContain('30 days');
  });

  it('keeps the concern’s own reasons (a pattern is a trigger, not a reason)', () => {
    const answer = evaluate({ history: history({ otherConcerns: [other(at(DAY)), other(at(2 * DAY))] }) });
    expect(answer.reasons.map((reason) => reason.code)).toEqual(['universal']);
    // Worded for the level the pattern raised it to, in words, never a catalogue key.
    expect(answer.reasons[0].message).toContain("what raises the guidance is the pupil's history");
  });

  it('does not fire on a single other concern', () => {
    const answer = evaluate({ history: history({ otherConcerns: [other(at(DAY))] }) });
    expect(answer.triggers).toEqual([]);
    expect(answer.level).toBe(1);
  });

  it('counts a concern exactly 30 days before T', () => {
    const answer = evaluate({ history: history({ otherConcerns: [other(at(30 * DAY)), other(at(DAY))] }) });
    expect(triggerCodes(answer)).toEqual(['pattern_frequency']);
  });

  it('does not count a concern 30 days and 1 ms before T', () => {
    const answer = evaluate({ history: history({ otherConcerns: [other(at(30 * DAY + 1)), other(at(DAY))] }) });
    expect(answer.triggers).toEqual([]);
  });

  it('counts a concern at exactly T', () => {
    expect(triggerCodes(evaluate({ history: history({ otherConcerns: [other(T), other(at(DAY))] }) }))).toEqual([
      'pattern_frequency',
    ]);
  });

  it('does not count concerns that happened after T (for a backdated concern)', () => {
    const answer = evaluate({
      history: history({ otherConcerns: [other(at(-1)), other(at(-5 * DAY)), other(at(DAY))] }),
    });
    expect(answer.triggers).toEqual([]);
  });

  it('never lowers a level-4 or level-0 concern', () => {
    const otherConcerns = [other(at(DAY)), other(at(2 * DAY)), other(at(3 * DAY))];
    expect(evaluate({ category: 'sexual', history: history({ otherConcerns }) }).level).toBe(4);
    expect(evaluate({ indicators: ['immediate_danger'], history: history({ otherConcerns }) })).toMatchObject({
      level: 0,
      route: 'police',
      emergency: true,
    });
  });

  it('follows the local authority’s thresholds', () => {
    const otherConcerns = [other(at(DAY)), other(at(40 * DAY))];
    expect(evaluate({ history: history({ otherConcerns }) }).triggers).toEqual([]);
    const wider = { ...DEFAULT_THRESHOLDS, patternFrequencyDays: 45 };
    expect(triggerCodes(evaluate({ history: history({ otherConcerns }) }, wider))).toEqual(['pattern_frequency']);
    const stricter = { ...DEFAULT_THRESHOLDS, patternFrequencyCount: 3 };
    expect(
      evaluate({ history: history({ otherConcerns: [other(at(DAY)), other(at(2 * DAY))] }) }, stricter).triggers,
    ).toEqual([]);
  });
});

describe('history trigger: pattern_categories (2 or more categories other than wellbeing in the 90 days up to T)', () => {
  it('counts this concern’s own category with another concern’s different category', () => {
    // The DSP judged there is no reasonable cause to suspect (rule 6 gives level 3): the pattern still counts.
    const answer = evaluate({
      category: 'physical',
      reasonableCause: 'no',
      history: history({ otherConcerns: [other(at(60 * DAY), 'neglect')] }),
    });
    expect(triggerCodes(answer)).toEqual(['pattern_categories']);
    expect(answer.level).toBe(3);
    expect(answer.triggers[0].message).toContain('2 different categories');
    expect(answer.triggers[0].message).toContain('Physical abuse, Neglect');
  });

  it('raises a wellbeing concern to level 3 when other concerns span two categories of abuse', () => {
    const answer = evaluate({
      history: history({ otherConcerns: [other(at(80 * DAY), 'emotional'), other(at(50 * DAY), 'financial')] }),
    });
    expect(triggerCodes(answer)).toEqual(['pattern_categories']);
    expect(answer).toMatchObject({ level: 3, route: 'early_help' });
  });

  it('does not count wellbeing as a category', () => {
    expect(
      evaluate({
        category: 'wellbeing',
        history: history({ otherConcerns: [other(at(DAY), 'wellbeing'), other(at(60 * DAY), 'physical')] }),
      }).triggers,
    ).toEqual([]);
    expect(
      evaluate({ category: 'neglect', history: history({ otherConcerns: [other(at(60 * DAY), 'wellbeing')] }) })
        .triggers,
    ).toEqual([]);
  });

  it('does not fire when every concern is in the same category', () => {
    expect(
      evaluate({ category: 'neglect', history: history({ otherConcerns: [other(at(60 * DAY), 'neglect')] }) }).triggers,
    ).toEqual([]);
  });

  it('counts a concern exactly 90 days before T, and not one 90 days and 1 ms before', () => {
    expect(
      triggerCodes(
        evaluate({ category: 'physical', history: history({ otherConcerns: [other(at(90 * DAY), 'neglect')] }) }),
      ),
    ).toEqual(['pattern_categories']);
    expect(
      evaluate({ category: 'physical', history: history({ otherConcerns: [other(at(90 * DAY + 1), 'neglect')] }) })
        .triggers,
    ).toEqual([]);
  });

  it('does not count concerns after T', () => {
    expect(
      evaluate({ category: 'physical', history: history({ otherConcerns: [other(at(-1), 'neglect')] }) }).triggers,
    ).toEqual([]);
  });

  it('can fire together with pattern_frequency', () => {
    const answer = evaluate({
      category: 'emotional',
      reasonableCause: 'no',
      history: history({ otherConcerns: [other(at(DAY), 'neglect'), other(at(2 * DAY), 'neglect')] }),
    });
    expect(triggerCodes(answer)).toEqual(['pattern_frequency', 'pattern_categories']);
    expect(answer.level).toBe(3);
  });

  it('follows the local authority’s thresholds', () => {
    const three = { ...DEFAULT_THRESHOLDS, patternCategoriesCount: 3 };
    expect(
      evaluate({ category: 'physical', history: history({ otherConcerns: [other(at(DAY), 'neglect')] }) }, three)
        .triggers,
    ).toEqual([]);
    expect(
      triggerCodes(
        evaluate(
          {
            category: 'physical',
            history: history({ otherConcerns: [other(at(DAY), 'neglect'), other(at(DAY * 40), 'financial')] }),
          },
          three,
        ),
      ),
    ).toEqual(['pattern_categories']);
  });
});

describe('history trigger: after_mash_closure (MASH closed a referral in the 12 months up to T)', () => {
  it.each(['no_further_action', 'information_advice_assistance', 'redirect_early_help'])(
    'fires on outcome %s, asks for a chronology review and raises to level 3',
    (outcome) => {
      const answer = evaluate({
        history: history({ mashEscalations: [escalation({ outcome, outcomeAt: at(100 * DAY) })] }),
      });
      expect(triggerCodes(answer)).toEqual(['after_mash_closure']);
      expect(answer).toMatchObject({ level: 3, route: 'early_help', chronologyReviewAdvised: true });
      expect(answer.triggers[0].message).toContain('Read the chronology and say in any new referral what has changed');
      // It never advises against a new report (DOMAIN.md, after_mash_closure).
      expect(answer.triggers[0].message).toContain('This never stops a new report');
      expect(answer.triggers[0].message).not.toMatch(/consider early help/i);
    },
  );

  it.each(['strategy_discussion', 'care_and_support_assessment'])(
    'does not fire when MASH took statutory action (%s)',
    (outcome) => {
      const answer = evaluate({
        history: history({ mashEscalations: [escalation({ outcome, outcomeAt: at(100 * DAY) })] }),
      });
      expect(answer.triggers).toEqual([]);
      expect(answer.chronologyReviewAdvised).toBe(false);
    },
  );

  it('does not fire while MASH has not recorded an outcome', () => {
    expect(
      evaluate({ history: history({ mashEscalations: [escalation({ sentAt: at(DAY) })] }) }).chronologyReviewAdvised,
    ).toBe(false);
  });

  it('counts an outcome recorded exactly 12 calendar months before T, and not 1 ms earlier', () => {
    expect(
      evaluate({
        history: history({ mashEscalations: [escalation({ outcome: 'no_further_action', outcomeAt: TWELVE_MONTHS })] }),
      }).chronologyReviewAdvised,
    ).toBe(true);
    const tooOld = new Date(TWELVE_MONTHS.getTime() - 1);
    expect(
      evaluate({
        history: history({ mashEscalations: [escalation({ outcome: 'no_further_action', outcomeAt: tooOld })] }),
      }).chronologyReviewAdvised,
    ).toBe(false);
  });

  it('uses calendar months, not 365 days (a leap year makes the window 366 days)', () => {
    const leapT = new Date('2024-03-01T00:00:00Z');
    const outcomeAt = new Date('2023-03-01T00:00:00Z'); // 366 days before
    const answer = guidanceInWords(
      concern({
        occurredAt: leapT,
        history: history({ mashEscalations: [escalation({ outcome: 'redirect_early_help', outcomeAt })] }),
      }),
      [],
      'en',
    );
    expect(answer.chronologyReviewAdvised).toBe(true);
  });

  it('goes by when the outcome was recorded, not when the referral was sent', () => {
    const answer = evaluate({
      history: history({
        mashEscalations: [escalation({ sentAt: at(800 * DAY), outcome: 'no_further_action', outcomeAt: at(10 * DAY) })],
      }),
    });
    expect(answer.chronologyReviewAdvised).toBe(true);
  });

  it('does not count an outcome recorded after T', () => {
    expect(
      evaluate({
        history: history({ mashEscalations: [escalation({ outcome: 'no_further_action', outcomeAt: at(-1) })] }),
      }).chronologyReviewAdvised,
    ).toBe(false);
  });

  it('counts a closed MASH referral whichever of the pupil’s concerns it was about', () => {
    const answer = evaluate({
      history: history({
        mashEscalations: [escalation({ concernIsThisOne: true, outcome: 'no_further_action', outcomeAt: at(DAY) })],
      }),
    });
    expect(answer.chronologyReviewAdvised).toBe(true);
  });

  it('never lowers a level-4 concern, and keeps recommending MASH for it', () => {
    const answer = evaluate({
      indicators: ['disclosure_of_abuse'],
      history: history({ mashEscalations: [escalation({ outcome: 'no_further_action', outcomeAt: at(DAY) })] }),
    });
    expect(answer).toMatchObject({ level: 4, route: 'mash', chronologyReviewAdvised: true });
  });

  it('follows the local authority’s window', () => {
    const six = { ...DEFAULT_THRESHOLDS, afterMashClosureMonths: 6 };
    expect(
      evaluate(
        {
          history: history({
            mashEscalations: [escalation({ outcome: 'no_further_action', outcomeAt: at(200 * DAY) })],
          }),
        },
        six,
      ).chronologyReviewAdvised,
    ).toBe(false);
  });
});

describe('history trigger: repeat_mash (2 or more MASH referrals of other concerns sent in the 12 months up to T)', () => {
  const twoOthers = () => [escalation({ sentAt: at(30 * DAY) }), escalation({ sentAt: at(200 * DAY) })];

  it('raises the concern to level 4 and asks for a strategy discussion rather than another single referral', () => {
    const answer = evaluate({ history: history({ mashEscalations: twoOthers() }) });
    expect(triggerCodes(answer)).toEqual(['repeat_mash']);
    expect(answer).toMatchObject({ level: 4, route: 'mash', emergency: false });
    expect(answer.triggers[0].message).toContain('strategy discussion');
    expect(answer.triggers[0].message).toContain('Rather than another single referral');
    expect(answer.triggers[0].message).toContain('2 MASH referrals');
  });

  it('ignores referrals of the concern being evaluated', () => {
    const mashEscalations = [
      escalation({ sentAt: at(30 * DAY) }),
      escalation({ sentAt: at(DAY), concernIsThisOne: true }),
      escalation({ sentAt: at(2 * DAY), concernIsThisOne: true }),
    ];
    const answer = evaluate({ history: history({ mashEscalations }) });
    expect(answer.triggers).toEqual([]);
    expect(answer.level).toBe(1);
  });

  it('does not fire on one referral', () => {
    expect(evaluate({ history: history({ mashEscalations: [escalation({ sentAt: at(DAY) })] }) }).triggers).toEqual([]);
  });

  it('counts a referral sent exactly 12 calendar months before T, and not 1 ms earlier', () => {
    expect(
      triggerCodes(
        evaluate({
          history: history({
            mashEscalations: [escalation({ sentAt: TWELVE_MONTHS }), escalation({ sentAt: at(DAY) })],
          }),
        }),
      ),
    ).toEqual(['repeat_mash']);
    const tooOld = new Date(TWELVE_MONTHS.getTime() - 1);
    expect(
      evaluate({
        history: history({ mashEscalations: [escalation({ sentAt: tooOld }), escalation({ sentAt: at(DAY) })] }),
      }).triggers,
    ).toEqual([]);
  });

  it('does not count referrals sent after T', () => {
    expect(
      evaluate({
        history: history({ mashEscalations: [escalation({ sentAt: at(-1) }), escalation({ sentAt: at(DAY) })] }),
      }).triggers,
    ).toEqual([]);
  });

  it('counts referrals whatever their outcome', () => {
    const mashEscalations = [
      escalation({ sentAt: at(300 * DAY), outcome: 'strategy_discussion', outcomeAt: at(299 * DAY) }),
      escalation({ sentAt: at(100 * DAY), outcome: 'care_and_support_assessment', outcomeAt: at(99 * DAY) }),
    ];
    expect(triggerCodes(evaluate({ history: history({ mashEscalations }) }))).toEqual(['repeat_mash']);
  });

  it('keeps a level-0 concern at level 0, route police', () => {
    const answer = evaluate({ indicators: ['suicidal_intent'], history: history({ mashEscalations: twoOthers() }) });
    expect(answer).toMatchObject({ level: 0, route: 'police', emergency: true });
    expect(triggerCodes(answer)).toEqual(['repeat_mash']);
  });

  it('can fire together with after_mash_closure', () => {
    const mashEscalations = [
      escalation({ sentAt: at(300 * DAY), outcome: 'no_further_action', outcomeAt: at(290 * DAY) }),
      escalation({ sentAt: at(100 * DAY), outcome: 'information_advice_assistance', outcomeAt: at(95 * DAY) }),
    ];
    const answer = evaluate({ history: history({ mashEscalations }) });
    expect(triggerCodes(answer)).toEqual(['after_mash_closure', 'repeat_mash']);
    expect(answer).toMatchObject({ level: 4, route: 'mash', chronologyReviewAdvised: true });
  });

  it('follows the local authority’s thresholds', () => {
    const three = { ...DEFAULT_THRESHOLDS, repeatMashCount: 3 };
    expect(evaluate({ history: history({ mashEscalations: twoOthers() }) }, three).triggers).toEqual([]);
    const six = { ...DEFAULT_THRESHOLDS, repeatMashMonths: 6 };
    expect(evaluate({ history: history({ mashEscalations: twoOthers() }) }, six).triggers).toEqual([]);
  });
});

describe('every trigger together', () => {
  it('fires in a fixed order and takes the most severe level', () => {
    const answer = evaluate({
      category: 'neglect',
      history: history({
        otherConcerns: [other(at(DAY), 'physical'), other(at(5 * DAY), 'emotional')],
        mashEscalations: [
          escalation({ sentAt: at(200 * DAY), outcome: 'no_further_action', outcomeAt: at(190 * DAY) }),
          escalation({ sentAt: at(20 * DAY) }),
        ],
      }),
    });
    expect(triggerCodes(answer)).toEqual([
      'pattern_frequency',
      'pattern_categories',
      'after_mash_closure',
      'repeat_mash',
    ]);
    expect(answer).toMatchObject({ level: 4, route: 'mash', chronologyReviewAdvised: true });
    expect(answer.reasons.map((reason) => reason.code)).toEqual(['abuse_category']);
  });

  it('is silent when there is no pupil (empty history)', () => {
    const answer = evaluate({ category: 'physical' });
    expect(answer.triggers).toEqual([]);
    expect(answer.chronologyReviewAdvised).toBe(false);
  });

  it('ignores history entries with missing or invalid dates', () => {
    const answer = evaluate({
      history: history({
        otherConcerns: [other(new Date('not a date')), other(new Date('not a date'))],
        mashEscalations: [
          escalation({ sentAt: new Date(NaN) }),
          escalation({ sentAt: new Date(NaN) }),
          escalation({ outcome: 'no_further_action', outcomeAt: null }),
        ],
      }),
    });
    expect(answer.triggers).toEqual([]);
  });
});

import { InvalidInputError } from '../../common/domain-error';
import { AMENDMENT_WINDOW_MS, parseAmendmentValue, sameValue, valueOf, withinRecorderWindow } from './amendment-rules';
import { amendValueOf } from './amendment-page.view';

describe('amendment rules', () => {
  it('checks a value as recording a concern checks that field', () => {
    expect(parseAmendmentValue('category', 'physical')).toBe('physical');
    expect(parseAmendmentValue('occurredAt', '2026-11-20T10:00:00+00:00')).toBe('2026-11-20T10:00:00.000Z');
    expect(parseAmendmentValue('indicators', ['immediate_danger'])).toEqual(['immediate_danger']);
    expect(parseAmendmentValue('context', null)).toBeNull();
    for (const [field, value] of [
      ['category', 'nonsense'],
      ['occurredAt', '2999-01-01T00:00:00Z'],
      ['occurredAt', '20 November'],
      ['issues', ['not_an_issue']],
      ['summary', ''],
      ['summary', 'x'.repeat(10_001)],
      ['summary', undefined],
      ['context', 'garden'],
    ] as const)
      expect(() => parseAmendmentValue(field, value)).toThrow(InvalidInputError);
  });

  it('names the error by `value`, not the concern field', () => {
    try {
      parseAmendmentValue('category', 'nonsense');
      throw new Error('expected a 400');
    } catch (error) {
      expect(Object.keys((error as InvalidInputError).errors)).toEqual(['value']);
    }
  });

  it('compares lists of codes as sets and everything else exactly', () => {
    expect(sameValue(['a', 'b'], ['b', 'a'])).toBe(true);
    expect(sameValue(['a'], ['a', 'b'])).toBe(false);
    expect(sameValue('x', 'x')).toBe(true);
    expect(sameValue(null, '')).toBe(false);
    expect(valueOf({ occurredAt: new Date('2026-11-20T10:00:00Z') } as never, 'occurredAt')).toBe(
      '2026-11-20T10:00:00.000Z',
    );
  });

  it('gives the recorder 24 hours from recording', () => {
    const recordedAt = new Date('2026-11-20T10:00:00Z');
    expect(withinRecorderWindow(recordedAt, new Date(recordedAt.getTime() + AMENDMENT_WINDOW_MS))).toBe(true);
    expect(withinRecorderWindow(recordedAt, new Date(recordedAt.getTime() + AMENDMENT_WINDOW_MS + 1))).toBe(false);
  });

  it('reads the page form: a London date and time, empty optional text as none', () => {
    const base = { text: '', date: '', time: '', choice: '', codes: [], reason: 'r' };
    expect(amendValueOf({ ...base, field: 'occurredAt', date: '2026-07-01', time: '09:30' }).value).toBe(
      '2026-07-01T09:30:00+01:00',
    );
    expect(amendValueOf({ ...base, field: 'occurredAt', date: '2026-02-30', time: '09:30' }).errors).toHaveLength(1);
    expect(amendValueOf({ ...base, field: 'actionTaken', text: '  ' }).value).toBeNull();
    expect(amendValueOf({ ...base, field: 'context' }).value).toBeNull();
  });
});

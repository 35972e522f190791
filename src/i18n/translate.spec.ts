import { message } from '../common/language';
import { translate, translateMessage } from './i18n.service';
import { safeReturnPath } from './language';

describe('translating a domain message', () => {
  it('puts a key and its parameters into words, in either language', () => {
    const text = message('chronology.titles.enrolment_ended', { organisation: 'Ysgol Hillcrest' });
    expect(translateMessage('en', text)).toBe('Left the roll of Ysgol Hillcrest');
    expect(translateMessage('cy', text)).toBe(
      translate('cy', 'chronology.titles.enrolment_ended', { organisation: 'Ysgol Hillcrest' }),
    );
  });

  it('translates parameters that are messages (labels), and reads a list of them with commas', () => {
    const decision = message('chronology.titles.decision', { outcome: message('decisionOutcomes.monitor') });
    expect(translateMessage('en', decision)).toBe(`DSP decision: ${translate('en', 'decisionOutcomes.monitor')}`);
    expect(translateMessage('cy', decision)).toContain(translate('cy', 'decisionOutcomes.monitor'));

    const reason = message('guidance.reasons.family_needs', {
      count: 2,
      items: [message('guidance.issues.housing'), message('guidance.issues.young_carer')],
    });
    expect(translateMessage('en', reason)).toContain('2 family needs together (Housing, Young carer)');
    expect(translateMessage('cy', reason)).toContain(
      `(${translate('cy', 'guidance.issues.housing')}, ${translate('cy', 'guidance.issues.young_carer')})`,
    );
  });
});

describe('the page to come back to after switching language', () => {
  it.each(['/', '/pupils?q=jones', '/concerns/123?done=recorded#decisions', '/login?next=%2Fpupils'])(
    'keeps the same-site path %s',
    (path) => expect(safeReturnPath(path)).toBe(path),
  );

  it.each([
    ['another site', 'https://evil.example/'],
    ['a protocol-relative address', '//evil.example/'],
    ['a backslash address', '/\\evil.example/'],
    ['a relative path', 'pupils'],
    ['a control character', '/pupils\n/x'],
    ['nothing', undefined],
    ['not text', ['/pupils']],
  ])('goes home instead of %s', (_, path) => expect(safeReturnPath(path)).toBe('/'));
});

import { chooseLanguage, languageFromAcceptLanguage } from './language';

describe('language choice', () => {
  it('lets the page switch (?lang=) win over everything', () => {
    expect(chooseLanguage('cy', 'en', 'en-GB')).toEqual({ language: 'cy', source: 'query' });
  });

  it('remembers the last choice in a cookie before asking the browser', () => {
    expect(chooseLanguage(undefined, 'cy', 'en-GB,en;q=0.9')).toEqual({ language: 'cy', source: 'cookie' });
  });

  it('falls back to the browser, then English', () => {
    expect(chooseLanguage(undefined, undefined, 'fr-FR, cy;q=0.8, en;q=0.5')).toEqual({
      language: 'cy',
      source: 'header',
    });
    expect(chooseLanguage('de', 'xx', 'fr')).toEqual({ language: 'en', source: 'default' });
  });

  it('ignores languages weighted zero', () => {
    expect(languageFromAcceptLanguage('cy;q=0, en;q=0.1')).toBe('en');
  });
});

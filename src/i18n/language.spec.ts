import { chooseLanguage, languageFromAcceptLanguage, languageReturnPath } from './language';

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

describe("the language switch's way back", () => {
  it('is the page without its ?lang=', () => {
    expect(languageReturnPath('/pupils?page=2&lang=cy')).toBe('/pupils?page=2');
  });

  it('is the home page for a request target that is not a URL (a port out of range), not an error', () => {
    expect(languageReturnPath('http://127.0.0.1:99999/')).toBe('/');
  });

  it('never leaves the site', () => {
    expect(languageReturnPath('//evil.example//attacker.example/')).toBe('/');
    expect(languageReturnPath('http://evil.example//attacker.example/?lang=en')).toBe('/');
    expect(languageReturnPath('/\\attacker.example/')).toBe('/');
  });
});

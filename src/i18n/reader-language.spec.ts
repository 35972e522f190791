import { Request, Response } from 'express';
import { chooseLanguage } from './language';
import { readerLanguageOf } from './reader-language';

/** A request as the language middleware and auth leave it. */
function reading(
  path: string,
  options: { query?: string; cookie?: string; account?: 'en' | 'cy'; via?: 'bearer' | 'cookie'; page?: 'en' | 'cy' },
) {
  const request = {
    path,
    languageChoice: chooseLanguage(options.query, options.cookie, undefined),
    user: options.account ? { language: options.account } : undefined,
    authSource: options.via,
  } as unknown as Request;
  const response = { locals: { lang: options.page } } as unknown as Response;
  return readerLanguageOf(request, response);
}

describe("the reader's language", () => {
  it("is a page's own language on pages", () => {
    expect(reading('/pupils/1/chronology', { page: 'cy', account: 'en' })).toBe('cy');
    expect(reading('/concerns/1', { page: 'en', account: 'cy' })).toBe('en');
  });

  it("is the account's saved language for a scripted API client, whatever its cookies say (as before)", () => {
    expect(reading('/api/concerns/1', { account: 'cy', via: 'bearer' })).toBe('cy');
    expect(reading('/api/concerns/1', { account: 'en', via: 'bearer', cookie: 'cy' })).toBe('en');
  });

  it("is the browser's chosen language for a page's own script (session cookie), else the account's", () => {
    expect(reading('/api/guidance/evaluate', { account: 'en', via: 'cookie', cookie: 'cy' })).toBe('cy');
    expect(reading('/api/guidance/evaluate', { account: 'cy', via: 'cookie' })).toBe('cy');
  });
});

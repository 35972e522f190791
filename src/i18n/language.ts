import { CookieOptions, NextFunction, Request, Response } from 'express';
import { isLanguage, Language } from '../common/language';
import { lazyLocal } from '../common/lazy-local';

/** Remembers a browser's language (the page switch, or the account's choice once signed in). */
export const LANGUAGE_COOKIE = 'sg_lang';

export function languageCookieOptions(cookieSecure: boolean): CookieOptions {
  return { sameSite: 'lax', secure: cookieSecure, path: '/', maxAge: 365 * 24 * 3600 * 1000 };
}

export type LanguageSource = 'query' | 'cookie' | 'header' | 'default';

export interface LanguageChoice {
  language: Language;
  source: LanguageSource;
}

/** `cy-GB;q=0.9, en;q=0.8` → the supported language with the highest weight, if any. */
export function languageFromAcceptLanguage(header: string | undefined): Language | null {
  if (!header) return null;
  const ranked = header
    .split(',')
    .map((part) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { primary: tag.trim().toLowerCase().split('-')[0], weight: q ? Number(q.slice(2)) : 1 };
    })
    .filter((entry) => isLanguage(entry.primary) && entry.weight > 0)
    .sort((a, b) => b.weight - a.weight);
  return ranked.length > 0 ? (ranked[0].primary as Language) : null;
}

/** An explicit `?lang=` (a link that names its language), then the remembered choice, then the browser's. */
export function chooseLanguage(query: unknown, cookie: unknown, acceptLanguage: string | undefined): LanguageChoice {
  if (isLanguage(query)) return { language: query, source: 'query' };
  if (isLanguage(cookie)) return { language: cookie, source: 'cookie' };
  const fromHeader = languageFromAcceptLanguage(acceptLanguage);
  if (fromHeader) return { language: fromHeader, source: 'header' };
  return { language: 'en', source: 'default' };
}

export type RequestWithLanguage = Request & { languageChoice?: LanguageChoice };

/** A same-site path to come back to: never another site (`//host`, `/\\host`), else the home page. */
export function safeReturnPath(path: unknown): string {
  const controlCharacter = (text: string) => [...text].some((character) => character.charCodeAt(0) < 0x20);
  return typeof path === 'string' && /^\/(?![/\\])/.test(path) && !controlCharacter(path) ? path : '/';
}

/** The pages whose forms post to a path that has no page of its own (GET), by the posted path. */
const FORM_PAGES: ReadonlyArray<[RegExp, string]> = [
  [/^(\/concerns\/[^/]+)\/(?:decision|escalations|close)$/, '$1'],
  [/^(\/la\/escalations\/[^/]+)\/(?:outcome|acknowledge)$/, '$1'],
  [/^\/la\/services\/thresholds$/, '/la/services'],
];

/**
 * The page a form that was posted to `path` lives on: where the language switch goes back to when a
 * form comes back with errors (the posted path itself may answer only POST, so going back to it would
 * be "Page not found").
 */
export function formPageOf(path: string, body: unknown): string {
  if (path === '/concerns') {
    const pupilId = (body as { pupilId?: unknown } | undefined)?.pupilId;
    return typeof pupilId === 'string' && /^[0-9a-f-]{36}$/i.test(pupilId) ? `/concerns/new?pupilId=${pupilId}` : '/';
  }
  for (const [pattern, page] of FORM_PAGES) if (pattern.test(path)) return path.replace(pattern, page);
  return safeReturnPath(path);
}

/** The page's address without `?lang=`, for the header's switch to come back to; `/` when it is not a path. */
export function languageReturnPath(originalUrl: string): string {
  let here: URL;
  try {
    // An absolute-form request target (`GET http://host:99999/ HTTP/1.1`) may not even parse as a URL.
    here = new URL(originalUrl, 'http://localhost');
  } catch {
    return '/';
  }
  here.searchParams.delete('lang');
  return safeReturnPath(here.pathname + here.search);
}

/**
 * Chooses each request's language (it changes nothing stored: a `?lang=` only sets the cookie) and
 * gives the header's switch the page to come back to.
 */
export function languageMiddleware(cookieSecure: boolean) {
  return (request: Request, response: Response, next: NextFunction) => {
    const choice = chooseLanguage(
      request.query?.lang,
      request.cookies?.[LANGUAGE_COOKIE],
      request.header('accept-language'),
    );
    if (choice.source === 'query')
      response.cookie(LANGUAGE_COOKIE, choice.language, languageCookieOptions(cookieSecure));
    (request as RequestWithLanguage).languageChoice = choice;
    response.locals.lang = choice.language;
    // A URL parse: only when a page is rendered.
    const originalUrl = request.originalUrl;
    lazyLocal(response, 'languageReturnTo', () => languageReturnPath(originalUrl));
    next();
  };
}

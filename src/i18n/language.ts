import { NextFunction, Request, Response } from 'express';
import { LANGUAGE_COOKIE } from '../auth/session-cookie';
import { Language, LANGUAGES } from '../organisations/roles';

export type LanguageSource = 'query' | 'cookie' | 'header' | 'default';

export interface LanguageChoice {
  language: Language;
  source: LanguageSource;
}

const isLanguage = (value: unknown): value is Language =>
  typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);

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

/** An explicit `?lang=` (the switch on every page), then the remembered choice, then the browser's. */
export function chooseLanguage(query: unknown, cookie: unknown, acceptLanguage: string | undefined): LanguageChoice {
  if (isLanguage(query)) return { language: query, source: 'query' };
  if (isLanguage(cookie)) return { language: cookie, source: 'cookie' };
  const fromHeader = languageFromAcceptLanguage(acceptLanguage);
  if (fromHeader) return { language: fromHeader, source: 'header' };
  return { language: 'en', source: 'default' };
}

export type RequestWithLanguage = Request & { languageChoice?: LanguageChoice };

export function languageMiddleware(cookieSecure: boolean) {
  return (request: Request, response: Response, next: NextFunction) => {
    const choice = chooseLanguage(
      request.query?.lang,
      request.cookies?.[LANGUAGE_COOKIE],
      request.header('accept-language'),
    );
    if (choice.source === 'query') {
      response.cookie(LANGUAGE_COOKIE, choice.language, {
        sameSite: 'lax',
        secure: cookieSecure,
        path: '/',
        maxAge: 365 * 24 * 3600 * 1000,
      });
    }
    (request as RequestWithLanguage).languageChoice = choice;
    response.locals.lang = choice.language;
    const switchTo = new URL(request.originalUrl, 'http://localhost');
    switchTo.searchParams.set('lang', choice.language === 'cy' ? 'en' : 'cy');
    response.locals.languageSwitchHref = switchTo.pathname + switchTo.search;
    next();
  };
}

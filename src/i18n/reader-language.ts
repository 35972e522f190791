import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { Request, Response } from 'express';
import { Language } from '../common/language';
import { RequestWithLanguage } from './language';

/** What auth leaves on the request: who is signed in, and whether by Bearer header or session cookie. */
type ReaderRequest = RequestWithLanguage & { user?: { language?: Language } | null; authSource?: 'bearer' | 'cookie' };

/**
 * The language to put domain messages (guidance, chronology titles) into for this reader. Domain code
 * never asks: it answers in codes, and controllers translate with this.
 *
 * - A page: the page's language (`?lang=`, the browser's cookie, else the account's, else the browser's).
 * - The API from a page's script (session cookie): the same language as that browser's pages.
 * - The API from a scripted client (Bearer): the account's saved language, as always.
 */
export function readerLanguageOf(request: Request, response: Response): Language {
  const reader = request as ReaderRequest;
  if (!request.path.startsWith('/api/')) return pageLanguageOf(response);
  const choice = reader.languageChoice;
  const browserChose = choice && (choice.source === 'query' || choice.source === 'cookie');
  if (reader.authSource === 'cookie' && browserChose) return choice.language;
  return reader.user?.language ?? choice?.language ?? 'en';
}

export const ReaderLanguage = createParamDecorator((_: unknown, context: ExecutionContext): Language => {
  const http = context.switchToHttp();
  return readerLanguageOf(http.getRequest<Request>(), http.getResponse<Response>());
});

/** The language a page is being drawn in (chosen by the language middleware and the page interceptor). */
export function pageLanguageOf(response: Response): Language {
  return response.locals?.lang === 'cy' ? 'cy' : 'en';
}

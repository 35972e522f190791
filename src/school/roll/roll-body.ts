import { NextFunction, Request, Response, text } from 'express';
import multer from 'multer';
import type { MulterFile } from 'multer';
import { RollFileFormat } from './roll-file';

/**
 * Bodies of the roll routes only: everywhere else keeps the 1 MB JSON and form limits. A 10,000-pupil
 * CTF with addresses and two contacts each is about 8 MB; 20 MB leaves room for long names and
 * extra elements while still bounding what one request may hold in memory.
 */
export const ROLL_BODY_LIMIT_BYTES = 20 * 1024 * 1024;

export const ROLL_CONTENT_TYPES: Record<string, RollFileFormat> = {
  'text/csv': 'csv',
  'application/csv': 'csv',
  'application/xml': 'ctf',
  'text/xml': 'ctf',
};

/** The format a request's Content-Type names, or undefined for any other type. */
export function rollFormatOf(request: Request): RollFileFormat | undefined {
  const type = (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  return ROLL_CONTENT_TYPES[type];
}

function answer(response: Response, statusCode: number, message: string, errors: Record<string, string[]>) {
  response.status(statusCode).json({ statusCode, message, errors });
}

const readText = text({ type: Object.keys(ROLL_CONTENT_TYPES), limit: ROLL_BODY_LIMIT_BYTES, defaultCharset: 'utf-8' });

/**
 * `POST /api/organisations/:id/roll-imports`: a CSV or CTF body read as text up to 20 MB. Any other
 * Content-Type is 415 and a larger body 413, each with API.md's error shape, before any route runs.
 */
export function rollImportBody(request: Request, response: Response, next: NextFunction): void {
  if (request.method !== 'POST') return next();
  if (!rollFormatOf(request))
    return answer(response, 415, 'Send the roll as text/csv or application/xml (a Common Transfer File)', {
      'content-type': [
        `Content-Type must be text/csv or application/xml, not ${request.headers['content-type'] ?? 'none'}`,
      ],
    });
  readText(request, response, (error?: unknown) => {
    if (!error) return next();
    const status = (error as { status?: number }).status ?? 400;
    if (status === 413)
      return answer(response, 413, 'The file is too large', {
        file: [`A roll file may be at most ${ROLL_BODY_LIMIT_BYTES / 1024 / 1024} MB`],
      });
    answer(response, 400, 'The body could not be read', { file: ['The body could not be read as text'] });
  });
}

/** What the upload page's middleware leaves on the request for the controller. */
export interface RollUploadRequest extends Request {
  file?: MulterFile;
  rollUploadProblem?: 'too_large' | 'unreadable';
}

const upload = multer({
  storage: multer.memoryStorage(),
  limits: { fileSize: ROLL_BODY_LIMIT_BYTES, files: 1, fields: 10, fieldSize: 10_000 },
}).single('file');

/**
 * `POST /roll/import` (the page): a multipart form with the file, read by multer (from
 * @nestjs/platform-express) before the guards, so the form's CSRF field (sent before the file) is
 * there for the CSRF guard. A file over the limit is not an error page: the form comes back saying so.
 */
export function rollUploadBody(request: Request, response: Response, next: NextFunction): void {
  if (request.method !== 'POST' || !request.is('multipart/form-data')) return next();
  upload(request, response, (error?: unknown) => {
    if (error) {
      const code = (error as { code?: string }).code;
      (request as RollUploadRequest).rollUploadProblem = code === 'LIMIT_FILE_SIZE' ? 'too_large' : 'unreadable';
      request.body ??= {};
    }
    next();
  });
}

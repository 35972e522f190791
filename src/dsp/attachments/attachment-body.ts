import { NextFunction, Request, Response } from 'express';
import multer from 'multer';
import type { MulterFile } from 'multer';
import { ATTACHMENT_MAX_BYTES } from './attachment-file';
import { AttachmentUpload } from './attachments.service';

/** What the middleware leaves on the request for the controllers. */
export interface AttachmentUploadRequest extends Request {
  file?: MulterFile;
  attachmentUploadProblem?: 'too_large' | 'unreadable';
}

const options = {
  storage: multer.memoryStorage(),
  limits: { fileSize: ATTACHMENT_MAX_BYTES, files: 1, fields: 10, fieldSize: 10_000, parts: 12 },
  // Browsers send a part's filename as UTF-8 without saying so; multer's default would read it as Latin-1.
  defParamCharset: 'utf8',
};
const upload = multer(options).single('file');

/**
 * `POST /concerns/:id/attachments` (the page) and `POST /api/concerns/:id/attachments`: the multipart
 * body, read into memory up to 10 MB by multer before the guards, so the page form's CSRF field (sent
 * before the file) is there for the unchanged CSRF guard. A problem is not answered here: it is left on
 * the request, so a signed-out caller still gets 401, a stranger 404, and the page its form error
 * (a file over the limit is drained, not stored).
 */
export function attachmentUploadBody(request: Request, response: Response, next: NextFunction): void {
  if (request.method !== 'POST' || !request.is('multipart/form-data')) return next();
  upload(request, response, (error?: unknown) => {
    if (error) {
      const code = (error as { code?: string }).code;
      (request as AttachmentUploadRequest).attachmentUploadProblem =
        code === 'LIMIT_FILE_SIZE' ? 'too_large' : 'unreadable';
      request.body ??= {};
    }
    next();
  });
}

/** The upload as the service takes it. */
export function attachmentUploadOf(request: AttachmentUploadRequest): AttachmentUpload {
  return {
    originalName: request.file?.originalname,
    bytes: request.attachmentUploadProblem ? undefined : request.file?.buffer,
    problem: request.attachmentUploadProblem,
  };
}

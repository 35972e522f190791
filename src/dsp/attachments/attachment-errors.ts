import { DomainError, ErrorCode } from '../../common/domain-error';
import { ATTACHMENT_MAX_BYTES } from './attachment-file';

/** Why an upload was refused; the page shows each on the file field. */
export enum AttachmentProblem {
  Missing = 'missing',
  TooLarge = 'too_large',
  UnsupportedType = 'unsupported_type',
}

/** The API's answer for each problem: 400, 413 or 415, each with its code and the `file` field's message. */
export class AttachmentRefusedError extends DomainError {
  constructor(readonly problem: AttachmentProblem) {
    const { code, message } = describe(problem);
    super(code, message, { file: [message] });
  }
}

function describe(problem: AttachmentProblem): { code: ErrorCode; message: string } {
  switch (problem) {
    case AttachmentProblem.Missing:
      return { code: ErrorCode.InvalidInput, message: 'Choose a file to attach (multipart field "file")' };
    case AttachmentProblem.TooLarge:
      return {
        code: ErrorCode.PayloadTooLarge,
        message: `A file may be at most ${ATTACHMENT_MAX_BYTES / 1024 / 1024} MB`,
      };
    case AttachmentProblem.UnsupportedType:
      return {
        code: ErrorCode.UnsupportedMediaType,
        message: 'Attach a PDF, PNG, JPEG, Word (.docx) or plain text file: the content is not one of these',
      };
  }
}

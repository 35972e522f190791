import { PupilNotOnRollError } from '../../access/access-policy';
import { FormError } from '../../web/forms';
import { AttachmentProblem, AttachmentRefusedError } from './attachment-errors';
import { ATTACHMENT_MAX_BYTES, DOCX_TYPE } from './attachment-file';
import { AttachmentResponse } from './concern-attachments.reader';

/** The file input's id: the error summary links to it. */
export const ATTACHMENT_FIELD = 'attachment-file';

const TYPE_KEYS: Record<string, string> = {
  'application/pdf': 'pdf',
  'image/png': 'png',
  'image/jpeg': 'jpeg',
  [DOCX_TYPE]: 'docx',
  'text/plain': 'text',
};

/** A size as people read it: bytes, KB or MB (one decimal), with the unit's catalogue key. */
export function sizeOf(bytes: number): { value: string; unitKey: string } {
  if (bytes < 1024) return { value: String(bytes), unitKey: 'attachments.units.bytes' };
  if (bytes < 1024 * 1024) return { value: String(Math.round(bytes / 1024)), unitKey: 'attachments.units.kb' };
  return { value: (bytes / 1024 / 1024).toFixed(1), unitKey: 'attachments.units.mb' };
}

/** The concern page's attachments section (views/partials/concern-attachments.hbs). */
export function attachmentsSectionView(attachments: AttachmentResponse[], canAdd: boolean, errors: FormError[]) {
  const fileError = errors.find((error) => error.field === ATTACHMENT_FIELD) ?? null;
  return {
    items: attachments.map((attachment) => ({
      ...attachment,
      href: `/attachments/${attachment.id}`,
      typeKey: `attachments.types.${TYPE_KEYS[attachment.contentType] ?? 'other'}`,
      size: sizeOf(attachment.size),
    })),
    canAdd,
    field: ATTACHMENT_FIELD,
    fileError,
    maxMb: ATTACHMENT_MAX_BYTES / 1024 / 1024,
  };
}

/** A refused upload as the page shows it (with the status the page answers), or null for the error page. */
export function attachmentPageErrorOf(error: unknown): { status: number; error: FormError } | null {
  const max = ATTACHMENT_MAX_BYTES / 1024 / 1024;
  if (error instanceof PupilNotOnRollError)
    return { status: 422, error: { field: ATTACHMENT_FIELD, key: 'attachments.errors.notOnRoll' } };
  if (!(error instanceof AttachmentRefusedError)) return null;
  switch (error.problem) {
    case AttachmentProblem.Missing:
      return { status: 400, error: { field: ATTACHMENT_FIELD, key: 'attachments.errors.missing' } };
    case AttachmentProblem.TooLarge:
      return { status: 413, error: { field: ATTACHMENT_FIELD, key: 'attachments.errors.tooLarge', max } };
    case AttachmentProblem.UnsupportedType:
      return { status: 415, error: { field: ATTACHMENT_FIELD, key: 'attachments.errors.unsupportedType' } };
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { AccessPolicy } from '../../access/access-policy';
import { AuditService } from '../../audit/audit.service';
import { Actor } from '../../common/actor';
import { NotFoundError } from '../../common/domain-error';
import { newId } from '../../common/ids';
import { recordedBy } from '../../common/recorded-by';
import { UnitOfWork } from '../../database/unit-of-work';
import { AttachmentContents } from './attachment-contents';
import { AttachmentProblem, AttachmentRefusedError } from './attachment-errors';
import { ATTACHMENT_MAX_BYTES, detectAttachmentType, sanitiseFilename } from './attachment-file';
import { ConcernAttachment } from './concern-attachment.entity';
import { VISIBLE_CONCERNS, VisibleConcerns } from './visible-concerns';

/** What the upload middleware read: the file, or why there is none. */
export interface AttachmentUpload {
  originalName?: string;
  bytes?: Buffer;
  problem?: 'too_large' | 'unreadable';
}

export interface AddedAttachment {
  id: string;
  filename: string;
  contentType: string;
  size: number;
  sha256: string;
}

export interface AttachmentDownload {
  filename: string;
  contentType: string;
  bytes: Buffer;
}

/**
 * Files on a concern (API.md, Daily work): added by whoever may read the concern and record concerns
 * (the pupil on their roll, as for recording), downloaded by whoever may read the concern. Each add
 * and each download is audited in its own transaction with the row it is about.
 */
@Injectable()
export class AttachmentsService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly accessPolicy: AccessPolicy,
    private readonly audit: AuditService,
    @Inject(VISIBLE_CONCERNS) private readonly concernRecords: VisibleConcerns,
    private readonly contents: AttachmentContents,
  ) {}

  /** Whether the concern page offers the upload form (the service still checks the concern). */
  mayAdd(actor: Actor): boolean {
    return this.accessPolicy.may(actor, 'concern.record');
  }

  async add(actor: Actor, concernId: string, upload: AttachmentUpload): Promise<AddedAttachment> {
    this.accessPolicy.require(actor, 'concern.record');
    return this.unitOfWork.run(async (manager) => {
      const concern = await this.concernRecords.findVisible(manager, actor, concernId);
      await this.accessPolicy.assertPupilOnRoll(actor, concern.pupilId, manager);
      const bytes = this.bytesOf(upload);
      const contentType = await detectAttachmentType(bytes);
      if (!contentType) throw new AttachmentRefusedError(AttachmentProblem.UnsupportedType);
      const attachment: ConcernAttachment = {
        id: newId(),
        concernId: concern.id,
        filename: sanitiseFilename(upload.originalName),
        contentType,
        size: bytes.length,
        sha256: createHash('sha256').update(bytes).digest('hex'),
        ...recordedBy('addedBy', actor),
        addedAt: new Date(),
      };
      await this.contents.insert(manager, attachment, bytes);
      await this.audit.record(
        manager,
        actor,
        'attachment.added',
        { type: 'concern', id: concern.id },
        {
          pupilId: concern.pupilId,
          attachmentId: attachment.id,
          filename: attachment.filename,
          contentType,
          size: attachment.size,
          sha256: attachment.sha256,
        },
      );
      const { id, filename, size, sha256 } = attachment;
      return { id, filename, contentType, size, sha256 };
    });
  }

  /**
   * The file, for whoever may read its concern as it stands for them (an organisation that left reads
   * only what was added by the time it stopped); 404 otherwise, as if it did not exist.
   */
  async download(actor: Actor, attachmentId: string): Promise<AttachmentDownload> {
    return this.unitOfWork.read(async (manager) => {
      const attachment = await manager.getRepository(ConcernAttachment).findOne({ where: { id: attachmentId } });
      if (!attachment) throw new NotFoundError('Attachment');
      const concern = await this.concernRecords
        .findVisible(manager, actor, attachment.concernId)
        .catch((error: unknown) => {
          throw error instanceof NotFoundError ? new NotFoundError('Attachment') : error;
        });
      const cutOff = await this.accessPolicy.recordsCutOff(actor, concern, manager);
      if (cutOff !== null && attachment.addedAt.getTime() > cutOff.getTime()) throw new NotFoundError('Attachment');
      const bytes = await this.contents.bytesOf(manager, attachment.id);
      await this.audit.record(
        manager,
        actor,
        'attachment.viewed',
        { type: 'concern', id: concern.id },
        { pupilId: concern.pupilId, attachmentId: attachment.id, filename: attachment.filename },
      );
      return { filename: attachment.filename, contentType: attachment.contentType, bytes };
    });
  }

  private bytesOf(upload: AttachmentUpload): Buffer {
    if (upload.problem === 'too_large') throw new AttachmentRefusedError(AttachmentProblem.TooLarge);
    if (upload.problem || !upload.bytes || upload.bytes.length === 0)
      throw new AttachmentRefusedError(AttachmentProblem.Missing);
    // The middleware stops at the limit; this keeps the rule true for any other caller.
    if (upload.bytes.length > ATTACHMENT_MAX_BYTES) throw new AttachmentRefusedError(AttachmentProblem.TooLarge);
    return upload.bytes;
  }
}

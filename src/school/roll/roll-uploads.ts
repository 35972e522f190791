import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { Actor } from '../../common/actor';
import { NotFoundError } from '../../common/domain-error';
import { newId } from '../../common/ids';
import { UnitOfWork } from '../../database/unit-of-work';
import { RollFileFormat } from './roll-file';
import { RollMode } from './roll-import.service';
import { RollUpload } from './roll-upload.entity';

/** How long an uploaded file waits for its confirm. */
export const ROLL_UPLOAD_TTL_MS = 24 * 3600 * 1000;

export function sha256Of(content: string): string {
  return createHash('sha256').update(content, 'utf8').digest('hex');
}

/**
 * The files uploaded on `/roll/import`, kept from the preview to the confirm so that the confirm applies
 * exactly the file previewed (the confirm carries the SHA-256 the preview showed, and must match). Only
 * the person who uploaded a file can see or apply it; it is deleted once applied, and files older than
 * a day are deleted by the next upload (they hold pupils' details and are nobody's record).
 */
@Injectable()
export class RollUploads {
  constructor(private readonly unitOfWork: UnitOfWork) {}

  async keep(
    actor: Actor,
    upload: { organisationId: string; mode: RollMode; format: RollFileFormat; fileName: string; content: string },
  ): Promise<RollUpload> {
    return this.unitOfWork.run(async (manager) => {
      await manager
        .createQueryBuilder()
        .delete()
        .from(RollUpload)
        .where('created_at < :cutoff', { cutoff: new Date(Date.now() - ROLL_UPLOAD_TTL_MS).toISOString() })
        .execute();
      const row = Object.assign(new RollUpload(), {
        id: newId(),
        userId: actor.userId,
        ...upload,
        fileName: upload.fileName.slice(0, 255),
        sha256: sha256Of(upload.content),
        createdAt: new Date(),
      });
      await manager.insert(RollUpload, row);
      return row;
    });
  }

  /** The actor's own upload, not expired; 404 otherwise (someone else's looks missing). */
  async find(actor: Actor, id: string): Promise<RollUpload> {
    const row = await this.unitOfWork.manager.getRepository(RollUpload).findOne({ where: { id } });
    if (!row || row.userId !== actor.userId || row.createdAt.getTime() < Date.now() - ROLL_UPLOAD_TTL_MS)
      throw new NotFoundError('Upload');
    return row;
  }

  async forget(id: string): Promise<void> {
    await this.unitOfWork.run((manager) => manager.delete(RollUpload, { id }));
  }
}

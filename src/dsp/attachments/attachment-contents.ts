import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { UnitOfWork } from '../../database/unit-of-work';
import { ConcernAttachment } from './concern-attachment.entity';

/**
 * The one place that touches `concern_attachments.content`. The entity leaves the bytes unmapped (no
 * single column type is both SQLite's blob and PostgreSQL's bytea), so they are written with the row
 * in one INSERT and read by id only, in SQL with the engine's placeholders.
 */
@Injectable()
export class AttachmentContents {
  constructor(private readonly unitOfWork: UnitOfWork) {}

  async insert(manager: EntityManager, row: ConcernAttachment, content: Buffer): Promise<void> {
    const values: Array<[string, unknown]> = [
      ['id', row.id],
      ['concern_id', row.concernId],
      ['filename', row.filename],
      ['content_type', row.contentType],
      ['size', row.size],
      ['sha256', row.sha256],
      ['content', content],
      ['added_by_user_id', row.addedByUserId],
      ['added_by_name', row.addedByName],
      ['added_by_role', row.addedByRole],
      ['added_by_organisation_id', row.addedByOrganisationId],
      ['added_at', row.addedAt.toISOString()],
    ];
    const columns = values.map(([name]) => name).join(', ');
    const placeholders = values.map((_, index) => this.placeholder(index)).join(', ');
    await manager.query(
      `INSERT INTO concern_attachments (${columns}) VALUES (${placeholders})`,
      values.map(([, value]) => value),
    );
  }

  async bytesOf(manager: EntityManager, attachmentId: string): Promise<Buffer> {
    const rows = await manager.query<Array<{ content: Buffer | Uint8Array }>>(
      `SELECT content FROM concern_attachments WHERE id = ${this.placeholder(0)}`,
      [attachmentId],
    );
    return Buffer.from(rows[0].content);
  }

  private placeholder(index: number): string {
    return this.unitOfWork.engine === 'postgres' ? `$${index + 1}` : '?';
  }
}

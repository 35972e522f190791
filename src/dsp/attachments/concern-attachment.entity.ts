import { Column, Entity, PrimaryColumn } from 'typeorm';
import { InstantColumn } from '../../common/columns';

/**
 * A file added to a concern, appended once. The bytes live in the same row (`content`: blob on
 * SQLite, bytea on PostgreSQL, so a database backup holds them) but are not mapped here: no list or
 * read through this entity can load them by accident; `AttachmentContents` reads and writes them.
 */
@Entity('concern_attachments')
export class ConcernAttachment {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'concern_id', type: 'varchar', length: 36 })
  concernId: string;

  /** As the person named it, made safe (attachment-file.ts's `sanitiseFilename`). */
  @Column({ type: 'varchar', length: 255 })
  filename: string;

  /** Detected from the bytes, never taken from the upload's headers. */
  @Column({ name: 'content_type', type: 'varchar', length: 100 })
  contentType: string;

  @Column({ type: 'integer' })
  size: number;

  /** Hex SHA-256 of the bytes. */
  @Column({ type: 'varchar', length: 64 })
  sha256: string;

  // Who, as they were at the time.
  @Column({ name: 'added_by_user_id', type: 'varchar', length: 36 })
  addedByUserId: string;

  @Column({ name: 'added_by_name', type: 'varchar', length: 200 })
  addedByName: string;

  @Column({ name: 'added_by_role', type: 'varchar', length: 20 })
  addedByRole: string;

  @Column({ name: 'added_by_organisation_id', type: 'varchar', length: 36 })
  addedByOrganisationId: string;

  @InstantColumn({ name: 'added_at' })
  addedAt: Date;
}

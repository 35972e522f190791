import { Column, Entity, PrimaryColumn } from 'typeorm';
import { InstantColumn } from '../../common/columns';

/**
 * A file uploaded on `/roll/import`, kept between its preview and the confirm so the confirm applies
 * exactly the file previewed (by id, checked against its SHA-256). Only its uploader can use it; it is
 * deleted when applied, and any older than a day by the next upload.
 */
@Entity('roll_uploads')
export class RollUpload {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'user_id', type: 'varchar', length: 36 })
  userId: string;

  @Column({ name: 'organisation_id', type: 'varchar', length: 36 })
  organisationId: string;

  @Column({ type: 'varchar', length: 10 })
  mode: 'full' | 'partial';

  @Column({ type: 'varchar', length: 10 })
  format: 'csv' | 'ctf';

  @Column({ name: 'file_name', type: 'varchar', length: 255 })
  fileName: string;

  @Column({ type: 'varchar', length: 64 })
  sha256: string;

  @Column({ type: 'text' })
  content: string;

  @InstantColumn({ name: 'created_at' })
  createdAt: Date;
}

import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { InstantColumn, JsonColumn } from '../../common/columns';
import { GuidanceLevel, IssueCode } from '../codes';

/**
 * One local service in a local authority's directory, shown with the guidance when the concern's
 * level falls in its range and it is untagged or shares an issue tag with the concern.
 */
@Entity('service_directory_entries')
@Index('idx_service_directory_la_code', ['localAuthorityId', 'code'], { unique: true })
export class ServiceDirectoryEntryRecord {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'local_authority_id', type: 'varchar', length: 36 })
  localAuthorityId: string;

  @Column({ type: 'varchar', length: 60 })
  code: string;

  @Column({ name: 'name_en', type: 'varchar', length: 200 })
  nameEn: string;

  @Column({ name: 'name_cy', type: 'varchar', length: 200 })
  nameCy: string;

  @Column({ name: 'description_en', type: 'text' })
  descriptionEn: string;

  @Column({ name: 'description_cy', type: 'text' })
  descriptionCy: string;

  @Column({ name: 'how_to_access_en', type: 'text' })
  howToAccessEn: string;

  @Column({ name: 'how_to_access_cy', type: 'text' })
  howToAccessCy: string;

  /** Severity order 1 < 2 < 3 < 4 < 0. */
  @Column({ name: 'min_level', type: 'integer' })
  minLevel: GuidanceLevel;

  @Column({ name: 'max_level', type: 'integer' })
  maxLevel: GuidanceLevel;

  @JsonColumn({ name: 'issue_tags' })
  issueTags: IssueCode[];

  /** Withdrawn services stay on record (for what earlier guidance showed) but are not offered. */
  @Column({ type: 'boolean', default: true })
  active: boolean;

  @Column({ type: 'integer' })
  position: number;

  @InstantColumn({ name: 'updated_at' })
  updatedAt: Date;

  @Column({ name: 'updated_by_name', type: 'varchar', length: 200 })
  updatedByName: string;
}

import { Column, Entity, PrimaryColumn } from 'typeorm';
import { InstantColumn, JsonColumn } from '../../common/columns';

/** A local authority's tuning of the history triggers. Absent: the product's defaults. */
@Entity('guidance_settings')
export class GuidanceSettings {
  @PrimaryColumn({ name: 'local_authority_id', type: 'varchar', length: 36 })
  localAuthorityId: string;

  @JsonColumn()
  thresholds: Record<string, number>;

  /** Early help's response time in working days (DOMAIN.md, Timescales); null: the default, 5. */
  @Column({ name: 'early_help_response_days', type: 'integer', nullable: true })
  earlyHelpResponseDays: number | null;

  @InstantColumn({ name: 'updated_at' })
  updatedAt: Date;

  @Column({ name: 'updated_by_name', type: 'varchar', length: 200 })
  updatedByName: string;
}

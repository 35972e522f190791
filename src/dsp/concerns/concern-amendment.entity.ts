import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { InstantColumn, JsonColumn } from '../../common/columns';
import { ConcernCategory, IssueCode, RiskIndicator } from '../../guidance/codes';

/** The fields of a concern that can be corrected (API.md, Corrections). */
export const AMENDABLE_FIELDS = [
  'summary',
  'childsWords',
  'occurredAt',
  'category',
  'issues',
  'indicators',
  'context',
  'actionTaken',
] as const;
export type AmendableField = (typeof AMENDABLE_FIELDS)[number];

/** A field's value as JSON holds it: text, an instant as ISO text, a list of codes, or null. */
export type AmendmentValue = string | string[] | null;

/**
 * One correction of one field of a concern, appended and never edited or deleted: what the field said
 * before, what it says now, why, and who corrected it when (as they were then). The concern's own row
 * keeps what was recorded.
 */
@Entity('concern_amendments')
@Index('idx_concern_amendments_concern', ['concernId', 'amendedAt', 'id'])
export class ConcernAmendment {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'concern_id', type: 'varchar', length: 36 })
  concernId: string;

  @Column({ type: 'varchar', length: 20 })
  field: AmendableField;

  /** null: the field had no value (no child's words, no context...). */
  @JsonColumn({ nullable: true })
  previous: AmendmentValue;

  @JsonColumn({ nullable: true })
  value: AmendmentValue;

  @Column({ type: 'text' })
  reason: string;

  @InstantColumn({ name: 'amended_at' })
  amendedAt: Date;

  @Column({ name: 'amended_by_user_id', type: 'varchar', length: 36 })
  amendedByUserId: string;

  @Column({ name: 'amended_by_name', type: 'varchar', length: 200 })
  amendedByName: string;

  @Column({ name: 'amended_by_role', type: 'varchar', length: 20 })
  amendedByRole: string;

  @Column({ name: 'amended_by_organisation_id', type: 'varchar', length: 36 })
  amendedByOrganisationId: string;
}

/**
 * A DERIVED projection, one row per CORRECTED concern: the current value of each correctable field
 * (no row: the concern reads as it was recorded). Written only by `ConcernAmendmentsService.amend`,
 * in the transaction that appends the amendment; it is the last amendment of each field applied to the
 * concern's recorded row, so it can be rebuilt from `concern_amendments` at any time. Reads overlay
 * it (`withCurrentValues`) and `concern_states` takes its time and indicators from it.
 */
@Entity('concern_current')
export class ConcernCurrent {
  @PrimaryColumn({ name: 'concern_id', type: 'varchar', length: 36 })
  concernId: string;

  @Index('idx_concern_current_pupil')
  @Column({ name: 'pupil_id', type: 'varchar', length: 36 })
  pupilId: string;

  @InstantColumn({ name: 'occurred_at' })
  occurredAt: Date;

  @Column({ type: 'varchar', length: 20 })
  category: ConcernCategory;

  @JsonColumn()
  issues: IssueCode[];

  @JsonColumn()
  indicators: RiskIndicator[];

  @Column({ type: 'varchar', length: 20, nullable: true })
  context: string | null;

  @Column({ type: 'text' })
  summary: string;

  @Column({ name: 'childs_words', type: 'text', nullable: true })
  childsWords: string | null;

  @Column({ name: 'action_taken', type: 'text', nullable: true })
  actionTaken: string | null;
}

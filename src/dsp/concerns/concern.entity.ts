import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { InstantColumn, JsonColumn } from '../../common/columns';
import { ConcernCategory, IssueCode, RiskIndicator } from '../../guidance/codes';

export interface BodyMapMark {
  view: 'front' | 'back';
  x: number;
  y: number;
  note?: string | null;
}

/**
 * What a member of staff saw or heard. Never edited or deleted: a correction is an appended
 * amendment (concern-amendment.entity.ts) and reads show the current values (`concern_current`).
 * Its status is derived from the decisions, referrals and closure recorded against it.
 */
@Entity('concerns')
@Index('idx_concerns_pupil_occurred', ['pupilId', 'occurredAt'])
@Index('idx_concerns_organisation_recorded', ['organisationId', 'recordedAt'])
@Index('idx_concerns_organisation_occurred', ['organisationId', 'occurredAt'])
export class Concern {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'pupil_id', type: 'varchar', length: 36 })
  pupilId: string;

  /** The school or PRU where it was recorded; its DSPs triage it. */
  @Column({ name: 'organisation_id', type: 'varchar', length: 36 })
  organisationId: string;

  // Who, as they were at the time (name and role kept so history reads true after changes).
  @Column({ name: 'recorded_by_user_id', type: 'varchar', length: 36 })
  recordedByUserId: string;

  @Column({ name: 'recorded_by_name', type: 'varchar', length: 200 })
  recordedByName: string;

  @Column({ name: 'recorded_by_role', type: 'varchar', length: 20 })
  recordedByRole: string;

  @Column({ name: 'recorded_by_organisation_id', type: 'varchar', length: 36 })
  recordedByOrganisationId: string;

  @InstantColumn({ name: 'recorded_at' })
  recordedAt: Date;

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

  /** Verbatim, in the language the child spoke: never translated. */
  @Column({ name: 'childs_words', type: 'text', nullable: true })
  childsWords: string | null;

  @Column({ name: 'childs_words_language', type: 'varchar', length: 5, nullable: true })
  childsWordsLanguage: 'en' | 'cy' | 'other' | null;

  /** Which language, when `childsWordsLanguage` is `other` (as the person typed it, e.g. "Polish"). */
  @Column({ name: 'childs_words_language_name', type: 'varchar', length: 60, nullable: true })
  childsWordsLanguageName: string | null;

  @Column({ name: 'evidence_basis', type: 'varchar', length: 30 })
  evidenceBasis: string;

  @Column({ name: 'action_taken', type: 'text', nullable: true })
  actionTaken: string | null;

  @JsonColumn({ name: 'body_map', nullable: true })
  bodyMap: BodyMapMark[] | null;
}

import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { InstantColumn } from '../../common/columns';
import { DecisionOutcome, GuidanceLevel, GuidanceRoute, ReasonableCause } from '../../guidance/codes';

/** A DSP's decision on a concern. Append-only: the latest one is current. */
@Entity('concern_decisions')
@Index('idx_concern_decisions_concern', ['concernId', 'decidedAt'])
export class ConcernDecision {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'concern_id', type: 'varchar', length: 36 })
  concernId: string;

  @Column({ type: 'varchar', length: 30 })
  outcome: DecisionOutcome;

  @Column({ type: 'text' })
  rationale: string;

  /** The DSP's threshold judgement with this decision (DOMAIN.md): null when not answered. */
  @Column({ name: 'reasonable_cause', type: 'varchar', length: 10, nullable: true })
  reasonableCause: ReasonableCause | null;

  /** Why the DSP chose a route below a level-4/0 guidance (required then, at least 20 characters). */
  @Column({ name: 'reason_for_route', type: 'text', nullable: true })
  reasonForRoute: string | null;

  /** The outcome is below the guidance the DSP was shown (DOMAIN.md, DSP decision). Never set for going up. */
  @Column({ name: 'below_guidance', type: 'boolean', default: false })
  belowGuidance: boolean;

  /** The guidance at the moment of the decision (null on decisions made before it was kept). */
  @Column({ name: 'guidance_level', type: 'integer', nullable: true })
  guidanceLevel: GuidanceLevel | null;

  @Column({ name: 'guidance_route', type: 'varchar', length: 30, nullable: true })
  guidanceRoute: GuidanceRoute | null;

  /** When the DSP phoned MASH or the police before the written referral (confirm in writing within 24 hours). */
  @InstantColumn({ name: 'phoned_at', nullable: true })
  phonedAt: Date | null;

  // Who, as they were at the time (name and role kept so history reads true after changes).
  @Column({ name: 'decided_by_user_id', type: 'varchar', length: 36 })
  decidedByUserId: string;

  @Column({ name: 'decided_by_name', type: 'varchar', length: 200 })
  decidedByName: string;

  @Column({ name: 'decided_by_role', type: 'varchar', length: 20 })
  decidedByRole: string;

  @Column({ name: 'decided_by_organisation_id', type: 'varchar', length: 36 })
  decidedByOrganisationId: string;

  @InstantColumn({ name: 'decided_at' })
  decidedAt: Date;
}

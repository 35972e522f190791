import { Column, Entity, PrimaryColumn } from 'typeorm';
import { InstantColumn } from '../../common/columns';

/** The local authority's decision on a referral. At most one per referral. */
@Entity('escalation_outcomes')
export class EscalationOutcome {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'escalation_id', type: 'varchar', length: 36, unique: true })
  escalationId: string;

  @Column({ type: 'varchar', length: 40 })
  outcome: string;

  @Column({ type: 'text' })
  note: string;

  /** For a MASH `redirect_early_help`: the early-help referral it created. */
  @Column({ name: 'early_help_escalation_id', type: 'varchar', length: 36, nullable: true })
  earlyHelpEscalationId: string | null;

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

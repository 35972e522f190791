import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { InstantColumn } from '../../common/columns';
import { DecisionOutcome } from '../../guidance/codes';

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

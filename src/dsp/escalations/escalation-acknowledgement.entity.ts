import { Column, Entity, PrimaryColumn } from 'typeorm';
import { InstantColumn } from '../../common/columns';

/** The receiving team has the referral. At most one per referral. */
@Entity('escalation_acknowledgements')
export class EscalationAcknowledgement {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'escalation_id', type: 'varchar', length: 36, unique: true })
  escalationId: string;

  // Who, as they were at the time (name and role kept so history reads true after changes).
  @Column({ name: 'acknowledged_by_user_id', type: 'varchar', length: 36 })
  acknowledgedByUserId: string;

  @Column({ name: 'acknowledged_by_name', type: 'varchar', length: 200 })
  acknowledgedByName: string;

  @Column({ name: 'acknowledged_by_role', type: 'varchar', length: 20 })
  acknowledgedByRole: string;

  @Column({ name: 'acknowledged_by_organisation_id', type: 'varchar', length: 36 })
  acknowledgedByOrganisationId: string;

  @InstantColumn({ name: 'acknowledged_at' })
  acknowledgedAt: Date;
}

import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { InstantColumn, JsonColumn } from '../common/columns';

/** Small, flat facts about an action (the ids a list showed, a count); never free text about a child, nor a search term. */
export type AuditDetails = Record<string, string | number | boolean | null | string[]>;

/**
 * One line of the append-only audit log. `seq` is gap-free and each entry carries the hash of the one
 * before it, so altering, inserting or removing a row breaks the chain (`npm run audit:verify`).
 */
@Entity('audit_entries')
@Index('idx_audit_subject', ['subjectType', 'subjectId', 'seq'])
@Index('idx_audit_actor_organisation', ['actorOrganisationId', 'seq'])
@Index('idx_audit_pupil', ['pupilId', 'seq'])
@Index('idx_audit_at', ['at', 'seq'])
export class AuditEntry {
  @PrimaryColumn({ type: 'integer' })
  seq: number;

  @Column({ type: 'varchar', length: 36, unique: true })
  id: string;

  @InstantColumn()
  at: Date;

  @Column({ name: 'actor_user_id', type: 'varchar', length: 36, nullable: true })
  actorUserId: string | null;

  @Column({ name: 'actor_name', type: 'varchar', length: 200 })
  actorName: string;

  @Column({ name: 'actor_role', type: 'varchar', length: 20, nullable: true })
  actorRole: string | null;

  @Column({ name: 'actor_organisation_id', type: 'varchar', length: 36, nullable: true })
  actorOrganisationId: string | null;

  @Column({ type: 'varchar', length: 60 })
  action: string;

  @Column({ name: 'subject_type', type: 'varchar', length: 40 })
  subjectType: string;

  @Column({ name: 'subject_id', type: 'varchar', length: 36 })
  subjectId: string;

  @JsonColumn({ nullable: true })
  details: AuditDetails | null;

  /**
   * The pupil the entry is about (audit-pupil-column.ts): a copy of `subjectId` or `details.pupilId`
   * for the pupil filter's index. Not covered by the hash (audit-chain.ts names what is).
   */
  @Column({ name: 'pupil_id', type: 'varchar', length: 36, nullable: true })
  pupilId: string | null;

  @Column({ name: 'prev_hash', type: 'varchar', length: 64 })
  prevHash: string;

  @Column({ type: 'varchar', length: 64 })
  hash: string;
}

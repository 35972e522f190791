import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { InstantColumn, JsonColumn } from '../../common/columns';
import { EscalationRoute, GuidanceLevel, GuidanceRoute, ReasonableCause } from '../../guidance/codes';

export interface Consent {
  sought: boolean;
  given?: boolean | null;
  givenBy?: string | null;
  reasonNotSought?: string | null;
}

export interface HouseholdMember {
  name: string;
  relationship: string;
  dateOfBirth?: string | null;
}

/** The Wales multi-agency referral fields: all optional, because missing detail must never stop a report. */
export interface ReferralDetails {
  householdMembers?: HouseholdMember[];
  parentalResponsibility?: string | null;
  /** Where the child lives, as the DSP sent it. */
  address?: string | null;
  agenciesInvolved?: string[];
  protectiveMeasures?: string | null;
  knownAboutChildAndFamily?: string | null;
  additionalNeeds?: string | null;
  communicationNeeds?: string | null;
  riskToVisitors?: string | null;
  phonedAt?: string | null;
  /** The family's preferred language (for an interpreter or a Welsh-speaking worker), as the DSP wrote it. */
  familyLanguage?: string | null;
}

/**
 * A referral from a school or PRU to the local authority (or the police). What the guidance
 * recommended at the moment it was sent is kept with it. Its state (sent, acknowledged, decided)
 * follows from the local authority's acknowledgement and outcome, which are separate records.
 */
@Entity('escalations')
@Index('idx_escalations_inbox', ['localAuthorityId', 'route', 'sentAt'])
@Index('idx_escalations_concern', ['concernId'])
@Index('idx_escalations_pupil', ['pupilId', 'sentAt'])
@Index('idx_escalations_organisation', ['organisationId', 'sentAt'])
@Index('idx_escalations_staff_reports', ['organisationId', 'dspUnavailable', 'sentAt'])
export class Escalation {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'concern_id', type: 'varchar', length: 36 })
  concernId: string;

  @Column({ name: 'pupil_id', type: 'varchar', length: 36 })
  pupilId: string;

  /** The sending school or PRU. */
  @Column({ name: 'organisation_id', type: 'varchar', length: 36 })
  organisationId: string;

  /** The receiving local authority. */
  @Column({ name: 'local_authority_id', type: 'varchar', length: 36 })
  localAuthorityId: string;

  @Column({ type: 'varchar', length: 30 })
  route: EscalationRoute;

  @Column({ name: 'reason_for_route', type: 'text', nullable: true })
  reasonForRoute: string | null;

  @Column({ name: 'against_recommendation', type: 'boolean' })
  againstRecommendation: boolean;

  /** Above the guidance (MASH where it said early help or lower): for the LA's aggregate figures only, shown nowhere. */
  @Column({ name: 'above_guidance', type: 'boolean', default: false })
  aboveGuidance: boolean;

  /** The DSP's threshold judgement sent with the referral: null when not answered. */
  @Column({ name: 'reasonable_cause', type: 'varchar', length: 10, nullable: true })
  reasonableCause: ReasonableCause | null;

  /** Sent by a staff member because no DSP could be reached (Wales Safeguarding Procedures: anyone may report). */
  @Column({ name: 'dsp_unavailable', type: 'boolean', default: false })
  dspUnavailable: boolean;

  @Column({ name: 'recommended_level', type: 'integer' })
  recommendedLevel: GuidanceLevel;

  @Column({ name: 'recommended_route', type: 'varchar', length: 30 })
  recommendedRoute: GuidanceRoute;

  @JsonColumn()
  consent: Consent;

  @JsonColumn()
  referral: ReferralDetails;

  // Who, as they were at the time (name and role kept so history reads true after changes).
  @Column({ name: 'sent_by_user_id', type: 'varchar', length: 36 })
  sentByUserId: string;

  @Column({ name: 'sent_by_name', type: 'varchar', length: 200 })
  sentByName: string;

  @Column({ name: 'sent_by_role', type: 'varchar', length: 20 })
  sentByRole: string;

  @Column({ name: 'sent_by_organisation_id', type: 'varchar', length: 36 })
  sentByOrganisationId: string;

  @InstantColumn({ name: 'sent_at' })
  sentAt: Date;

  /** The local authority's decision is due one working day after receipt. */
  @InstantColumn({ name: 'due_by' })
  dueBy: Date;

  /** Set on an early-help referral that MASH created by redirecting this one. */
  @Column({ name: 'redirected_from_id', type: 'varchar', length: 36, nullable: true })
  redirectedFromId: string | null;
}

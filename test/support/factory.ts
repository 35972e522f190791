import { refreshConcernState } from '../../src/dsp/concern-states/concern-states';
import { DataSource } from 'typeorm';
import { WALES_BANK_HOLIDAYS_2025_2028, WorkingDayCalendar } from '../../src/calendar/working-days';
import { Actor } from '../../src/common/actor';
import { newId } from '../../src/common/ids';
import { recordedBy } from '../../src/common/recorded-by';
import { ConcernClosure } from '../../src/dsp/concerns/concern-closure.entity';
import { ConcernDecision } from '../../src/dsp/concerns/concern-decision.entity';
import { ConcernLinkedPupil } from '../../src/dsp/concerns/concern-linked-pupil.entity';
import { Concern } from '../../src/dsp/concerns/concern.entity';
import { Escalation } from '../../src/dsp/escalations/escalation.entity';
import { EscalationAcknowledgement } from '../../src/dsp/escalations/escalation-acknowledgement.entity';
import { EscalationOutcome } from '../../src/dsp/escalations/escalation-outcome.entity';
import { projectReferralStates } from '../../src/dsp/escalations/referral-state-projection';
import { ReferralBalanceCountWriter } from '../../src/dsp/referral-balance-count-writer';
import { Membership } from '../../src/organisations/membership.entity';
import { Organisation } from '../../src/organisations/organisation.entity';
import { Language, OrganisationKind, Role } from '../../src/common/roles';
import { User } from '../../src/organisations/user.entity';
import { Enrolment, EnrolmentType } from '../../src/school/enrolment.entity';
import { Household } from '../../src/school/household.entity';
import { Pupil } from '../../src/school/pupil.entity';
import { upnFor } from '../../src/school/upn';

let sequence = 0;
const next = () => (sequence += 1);

/** Test data with sensible defaults; each test states only what matters to it. */
export class Factory {
  /** The core loop's rows below keep the referral balance's counts as the services do (same writer). */
  private readonly referralBalance = new ReferralBalanceCountWriter();

  constructor(private readonly dataSource: DataSource) {}

  async organisation(kind: OrganisationKind, overrides: Partial<Organisation> = {}): Promise<Organisation> {
    const organisation: Organisation = {
      id: newId(),
      kind,
      name: `${kind} ${next()}`,
      nameCy: null,
      localAuthorityId: null,
      code: null,
      active: true,
      createdAt: new Date(),
      ...overrides,
    };
    await this.dataSource.getRepository(Organisation).insert(organisation);
    return organisation;
  }

  localAuthority(overrides: Partial<Organisation> = {}) {
    return this.organisation('local_authority', overrides);
  }

  school(localAuthority: Organisation, overrides: Partial<Organisation> = {}) {
    return this.organisation('school', { localAuthorityId: localAuthority.id, ...overrides });
  }

  pru(localAuthority: Organisation, overrides: Partial<Organisation> = {}) {
    return this.organisation('pru', { localAuthorityId: localAuthority.id, ...overrides });
  }

  /** A person with one membership, returned as the Actor services receive. */
  async actor(
    organisation: Organisation,
    role: Role,
    overrides: { name?: string; language?: Language } = {},
  ): Promise<Actor> {
    const n = next();
    const user: User = {
      id: newId(),
      email: `${role}.${n}@test.example`,
      name: overrides.name ?? `${role} ${n}`,
      passwordHash: 'scrypt$1$1$1$AA==$AA==',
      language: overrides.language ?? 'en',
      emailNotifications: true,
      active: true,
      createdAt: new Date(),
    };
    await this.dataSource.getRepository(User).insert(user);
    const membership: Membership = {
      id: newId(),
      userId: user.id,
      organisationId: organisation.id,
      role,
      createdAt: new Date(),
      endedAt: null,
    };
    await this.dataSource.getRepository(Membership).insert(membership);
    return {
      userId: user.id,
      membershipId: membership.id,
      email: user.email,
      name: user.name,
      role,
      organisationId: organisation.id,
      organisationName: organisation.name,
      organisationKind: organisation.kind,
      localAuthorityId: organisation.localAuthorityId ?? organisation.id,
      language: user.language,
    };
  }

  /** A signed-in person (their `GET /api/me`) as the Actor services receive, with their real membership. */
  async actorFor(me: {
    id: string;
    email: string;
    name: string;
    role: string;
    organisationId: string;
    language: Language;
  }): Promise<Actor> {
    const organisation = await this.dataSource.getRepository(Organisation).findOneByOrFail({ id: me.organisationId });
    const membership = await this.dataSource
      .getRepository(Membership)
      .findOneByOrFail({ userId: me.id, organisationId: me.organisationId, role: me.role as Role });
    return {
      userId: me.id,
      membershipId: membership.id,
      email: me.email,
      name: me.name,
      role: membership.role,
      organisationId: organisation.id,
      organisationName: organisation.name,
      organisationKind: organisation.kind,
      localAuthorityId: organisation.localAuthorityId ?? organisation.id,
      language: me.language,
    };
  }

  async household(): Promise<Household> {
    const household: Household = { id: newId(), label: null, createdAt: new Date() };
    await this.dataSource.getRepository(Household).insert(household);
    return household;
  }

  /** A pupil enrolled (main) at `at`, unless `enrolments` says otherwise. */
  async pupil(
    at: Organisation | null,
    overrides: Partial<Pupil> & { enrolmentType?: EnrolmentType; endedOn?: string | null } = {},
  ): Promise<Pupil> {
    const n = next();
    const { enrolmentType, endedOn, ...fields } = overrides;
    const pupil: Pupil = {
      id: newId(),
      upn: upnFor(`999${String(n).padStart(9, '0')}`),
      firstName: `First${n}`,
      lastName: `Last${n}`,
      preferredName: null,
      dateOfBirth: '2015-05-01',
      gender: 'not_stated',
      yearGroup: 6,
      homeLanguage: 'English',
      lookedAfter: false,
      cpRegister: false,
      aln: false,
      youngCarer: false,
      eal: false,
      fsm: false,
      welshSpeaker: false,
      householdId: null,
      createdAt: new Date(),
      ...fields,
    };
    await this.dataSource.getRepository(Pupil).insert(pupil);
    if (at) await this.enrol(pupil, at, enrolmentType ?? 'main', endedOn ?? null);
    return pupil;
  }

  async enrol(pupil: Pupil, at: Organisation, type: EnrolmentType, endedOn: string | null = null): Promise<Enrolment> {
    const enrolment: Enrolment = {
      id: newId(),
      pupilId: pupil.id,
      organisationId: at.id,
      type,
      startedOn: '2025-09-01',
      endedOn,
      createdAt: new Date(),
    };
    await this.dataSource.getRepository(Enrolment).insert(enrolment);
    return enrolment;
  }

  /** An enrolment with its own start date (the chronology shows every enrolment after the first). */
  async enrolment(
    pupil: Pupil,
    at: Organisation,
    options: { type?: EnrolmentType; startedOn: string; endedOn?: string | null; createdAt?: Date },
  ): Promise<Enrolment> {
    const enrolment: Enrolment = {
      id: newId(),
      pupilId: pupil.id,
      organisationId: at.id,
      type: options.type ?? 'main',
      startedOn: options.startedOn,
      endedOn: options.endedOn ?? null,
      createdAt: options.createdAt ?? new Date(),
    };
    await this.dataSource.getRepository(Enrolment).insert(enrolment);
    return enrolment;
  }

  // ------------------------------------------------------------------------------------------
  // The core loop, inserted directly (no rules, no audit): for reads, counts and clocks in medium tests.

  /** A concern about `pupil` recorded by `recorder` at the recorder's organisation. */
  async concern(pupil: Pupil, recorder: Actor, overrides: Partial<Concern> = {}): Promise<Concern> {
    const recordedAt = overrides.recordedAt ?? new Date();
    const concern: Concern = {
      id: newId(),
      pupilId: pupil.id,
      organisationId: recorder.organisationId,
      ...recordedBy('recordedBy', recorder),
      recordedAt,
      occurredAt: recordedAt,
      category: 'wellbeing',
      issues: [],
      indicators: [],
      context: null,
      summary: `Concern ${next()}`,
      childsWords: null,
      childsWordsLanguage: null,
      childsWordsLanguageName: null,
      evidenceBasis: 'observed',
      actionTaken: null,
      bodyMap: null,
      ...overrides,
    };
    await this.dataSource.getRepository(Concern).insert(concern);
    await refreshConcernState(this.dataSource.manager, concern.id);
    await this.referralBalance.concernRecorded(this.dataSource.manager, concern);
    return concern;
  }

  async linkedPupil(
    concern: Concern,
    pupil: Pupil,
    role: ConcernLinkedPupil['role'] = 'witness',
  ): Promise<ConcernLinkedPupil> {
    const link: ConcernLinkedPupil = { id: newId(), concernId: concern.id, pupilId: pupil.id, role };
    await this.dataSource.getRepository(ConcernLinkedPupil).insert(link);
    return link;
  }

  async decision(concern: Concern, decider: Actor, overrides: Partial<ConcernDecision> = {}): Promise<ConcernDecision> {
    const decision: ConcernDecision = {
      id: newId(),
      concernId: concern.id,
      outcome: 'monitor',
      rationale: `Rationale ${next()}`,
      reasonableCause: null,
      reasonForRoute: null,
      phonedAt: null,
      belowGuidance: false,
      guidanceLevel: null,
      guidanceRoute: null,
      ...recordedBy('decidedBy', decider),
      decidedAt: new Date(),
      ...overrides,
    };
    await this.dataSource.getRepository(ConcernDecision).insert(decision);
    await refreshConcernState(this.dataSource.manager, concern.id);
    await this.referralBalance.decisionRecorded(this.dataSource.manager, decision);
    return decision;
  }

  async closure(concern: Concern, closer: Actor, overrides: Partial<ConcernClosure> = {}): Promise<ConcernClosure> {
    const closure: ConcernClosure = {
      id: newId(),
      concernId: concern.id,
      rationale: `Closed ${next()}`,
      ...recordedBy('closedBy', closer),
      closedAt: new Date(),
      ...overrides,
    };
    await this.dataSource.getRepository(ConcernClosure).insert(closure);
    await refreshConcernState(this.dataSource.manager, concern.id);
    return closure;
  }

  /** A referral of `concern` sent by `sender` to its local authority; due one working day after `sentAt` unless given. */
  /** A referral row, not yet stored (for bulk inserts); `escalation()` stores one. */
  buildEscalation(
    concern: Pick<Concern, 'id' | 'pupilId'>,
    sender: Actor,
    overrides: Partial<Escalation> = {},
  ): Escalation {
    const sentAt = overrides.sentAt ?? new Date();
    const escalation: Escalation = {
      id: newId(),
      concernId: concern.id,
      pupilId: concern.pupilId,
      organisationId: sender.organisationId,
      localAuthorityId: sender.localAuthorityId,
      route: 'mash',
      reasonForRoute: null,
      againstRecommendation: false,
      aboveGuidance: false,
      reasonableCause: null,
      dspUnavailable: false,
      recommendedLevel: 4,
      recommendedRoute: 'mash',
      consent: { sought: true, given: true, givenBy: 'Parent', reasonNotSought: null },
      referral: {},
      ...recordedBy('sentBy', sender),
      sentAt,
      dueBy: new WorkingDayCalendar(WALES_BANK_HOLIDAYS_2025_2028).addWorkingDays(sentAt, 1),
      redirectedFromId: null,
      ...overrides,
    };
    return escalation;
  }

  /**
   * Referral records are inserted directly here, as the app would append them, and their stored state
   * (referral_states) written by the same projection the app's EscalationRepository.append runs.
   */
  async escalation(concern: Concern, sender: Actor, overrides: Partial<Escalation> = {}): Promise<Escalation> {
    const escalation = this.buildEscalation(concern, sender, overrides);
    await this.dataSource.getRepository(Escalation).insert(escalation);
    await refreshConcernState(this.dataSource.manager, escalation.concernId);
    await projectReferralStates(this.dataSource.manager, [escalation.id]);
    await this.referralBalance.referralSent(this.dataSource.manager, escalation);
    return escalation;
  }

  async acknowledgement(
    escalation: Escalation,
    officer: Actor,
    acknowledgedAt = new Date(),
  ): Promise<EscalationAcknowledgement> {
    const acknowledgement: EscalationAcknowledgement = {
      id: newId(),
      escalationId: escalation.id,
      ...recordedBy('acknowledgedBy', officer),
      acknowledgedAt,
    };
    await this.dataSource.getRepository(EscalationAcknowledgement).insert(acknowledgement);
    await projectReferralStates(this.dataSource.manager, [escalation.id]);
    return acknowledgement;
  }

  async outcome(
    escalation: Escalation,
    officer: Actor,
    overrides: Partial<EscalationOutcome> = {},
  ): Promise<EscalationOutcome> {
    const outcome: EscalationOutcome = {
      id: newId(),
      escalationId: escalation.id,
      outcome: escalation.route === 'early_help' ? 'family_help' : 'strategy_discussion',
      note: `Outcome ${next()}`,
      earlyHelpEscalationId: null,
      ...recordedBy('decidedBy', officer),
      decidedAt: new Date(),
      ...overrides,
    };
    await this.dataSource.getRepository(EscalationOutcome).insert(outcome);
    await projectReferralStates(this.dataSource.manager, [escalation.id]);
    await this.referralBalance.outcomeRecorded(this.dataSource.manager, outcome);
    return outcome;
  }
}

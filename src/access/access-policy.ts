import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { Actor } from '../common/actor';
import { ForbiddenError, NotFoundError, RuleBrokenError } from '../common/domain-error';
import { isSettingKind } from '../common/roles';
import { londonDateOf } from '../calendar/london-time';
import { REFERRAL_ACCESS_RULES, ReferralAccessRules, ROLL_ACCESS_RULES, RollAccessRules } from './access-ports';
import { Permission, roleMay, TEAM_ROUTE } from './permissions';

import type { AuditScope } from '../audit/audit-read-policy';
export type { AuditScope };

/**
 * How much of a pupil's chronology the caller reads: all of it (the pupil is on their roll now), or
 * what their organisation kept when the pupil left (a PRU after the placement: its own records; a
 * school after its file was received elsewhere: also every record made up to `until`).
 */
export type ChronologyScope = { kind: 'whole' } | { kind: 'retained'; organisationId: string; until: Date | null };

/** Which pupils a query may reach: every one the caller may read, or only those on their roll now. */
export type PupilReach = 'visible' | 'roll';

/**
 * A concern recorded by another school or PRU that shares the pupil (a dual registration): the caller
 * may read it and record concerns of their own, but its decisions, referrals and closing belong to the
 * DSPs of the organisation that recorded it. 422 rather than 404 or 403: the caller can see the
 * concern, and their role may act on their own organisation's concerns.
 */
export class ConcernOwnedElsewhereError extends RuleBrokenError {
  constructor() {
    super(
      'concern_owned_by_other_organisation',
      'organisationId',
      'This concern was recorded by another school or PRU: only its designated safeguarding people can decide, refer or close it. Record a concern of your own instead',
    );
  }
}

/**
 * A pupil the caller still reads (their organisation kept access when the pupil left it) but who is
 * no longer on their roll: new concerns are recorded where the pupil is now. 422: the pupil is
 * visible, so a 404 would mislead.
 */
export class PupilNotOnRollError extends RuleBrokenError {
  constructor() {
    super(
      'pupil_not_on_roll',
      'pupilId',
      'This pupil is no longer on your roll: tell the designated safeguarding person where the pupil is now, or report to MASH or the police if a child is at risk',
    );
  }
}

/**
 * The one place that decides what a caller may see and do. Services call it; controllers never
 * decide. A record the caller may not see is reported as missing (NotFoundError → 404); a visible
 * record the caller's role may not act on is ForbiddenError (403).
 *
 * - School and PRU roles see pupils currently enrolled at their organisation (a dual-registered
 *   pupil is seen by both). DSPs and head teachers see every concern and referral about those pupils;
 *   other staff see the concerns they recorded themselves.
 * - After a pupil leaves (a PRU placement ends, a transferred file is received elsewhere), the DSPs
 *   and head teachers of the organisation left keep what school's `retained_access` says: the records
 *   their organisation made, and those made up to the transfer (API.md, "PRU placements and moving
 *   school").
 * - A local-authority team (MASH, early help) sees exactly the referrals sent to it, the concerns
 *   they are about and the pupils they concern; nothing before a referral reaches it.
 * - The LA lead and admin see no pupil data.
 *
 * Each rule is a SQL condition added to the caller's query, so lists and single reads agree. The
 * conditions over other modules' tables (enrolments, referrals) come from their owners through the
 * ports in access-ports.ts; the owners load their own records through `restrict*` (for example dsp's
 * ConcernRepository.findVisible), so the 404 rule is this one, everywhere.
 */
@Injectable()
export class AccessPolicy {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(ROLL_ACCESS_RULES) private readonly roll: RollAccessRules,
    @Inject(REFERRAL_ACCESS_RULES) private readonly referrals: ReferralAccessRules,
  ) {}

  may(actor: Actor, permission: Permission): boolean {
    return roleMay(actor.role, permission);
  }

  require(actor: Actor, permission: Permission): void {
    if (!this.may(actor, permission)) throw new ForbiddenError();
  }

  /**
   * Whether the actor's organisation recorded the concern, and so owns its decisions, referrals and
   * closing (a dual-registered pupil's other school or PRU reads it and records its own concerns).
   */
  ownsConcern(actor: Actor, concern: { organisationId: string }): boolean {
    return concern.organisationId === actor.organisationId;
  }

  /** Refuses (ConcernOwnedElsewhereError, 422) any change to a concern another organisation recorded. */
  assertOwnsConcern(actor: Actor, concern: { organisationId: string }): void {
    if (!this.ownsConcern(actor, concern)) throw new ConcernOwnedElsewhereError();
  }

  private worksInSetting(actor: Actor): boolean {
    return isSettingKind(actor.organisationKind);
  }

  /** SQL: the pupil (column expression) is currently enrolled at the actor's organisation. */
  private enrolledHere(pupilColumn: string): string {
    return this.roll.enrolledNowAt(pupilColumn, 'accessOrganisationId', 'accessToday');
  }

  /** SQL: the actor's organisation kept access to the pupil's records made by `madeAtColumn` (a transfer). */
  private retainedUpTo(pupilColumn: string, madeAtColumn: string): string {
    return this.roll.retainedUpTo(pupilColumn, madeAtColumn, 'accessOrganisationId');
  }

  /** Whether the actor reads through retained access at all: the roles that read whole chronologies. */
  private readsRetained(actor: Actor): boolean {
    return this.worksInSetting(actor) && this.may(actor, 'concern.read_all');
  }

  /** SQL: a referral on `column` = `value` has reached the actor's team in their local authority. */
  private referredToTeam(column: 'pupil_id' | 'concern_id', value: string): string {
    return this.referrals.referredTo(column, value, 'accessTeamRoute', 'accessLocalAuthorityId');
  }

  private params(actor: Actor) {
    return {
      accessOrganisationId: actor.organisationId,
      accessLocalAuthorityId: actor.localAuthorityId,
      accessTeamRoute: TEAM_ROUTE[actor.role] ?? '',
      accessUserId: actor.userId,
      accessToday: londonDateOf(new Date()),
    };
  }

  /**
   * Narrows a query over pupils (aliased `alias`) to those the actor may see (`visible`: also those
   * their organisation kept access to after they left), or only to those on the actor's roll now
   * (`roll`: the pupils list and its count).
   */
  restrictPupils<T extends ObjectLiteral>(
    actor: Actor,
    qb: SelectQueryBuilder<T>,
    alias: string,
    reach: PupilReach = 'visible',
  ): SelectQueryBuilder<T> {
    if (this.worksInSetting(actor) && this.may(actor, 'pupil.read')) {
      const onRoll = this.enrolledHere(`${alias}.id`);
      const retained = this.roll.retainedBy(`${alias}.id`, 'accessOrganisationId');
      const condition = reach === 'visible' && this.readsRetained(actor) ? `(${onRoll} OR ${retained})` : onRoll;
      return qb.andWhere(condition, this.params(actor));
    }
    if (TEAM_ROUTE[actor.role]) return qb.andWhere(this.referredToTeam('pupil_id', `${alias}.id`), this.params(actor));
    return qb.andWhere('1 = 0');
  }

  /** Narrows a query over concerns (aliased `alias`) to those the actor may see. */
  restrictConcerns<T extends ObjectLiteral>(
    actor: Actor,
    qb: SelectQueryBuilder<T>,
    alias: string,
  ): SelectQueryBuilder<T> {
    if (this.readsRetained(actor)) {
      const pupil = `${alias}.pupil_id`;
      const ownKept = `(${alias}.organisation_id = :accessOrganisationId AND ${this.roll.retainedBy(pupil, 'accessOrganisationId')})`;
      return qb.andWhere(
        `(${this.enrolledHere(pupil)} OR ${ownKept} OR ${this.retainedUpTo(pupil, `${alias}.recorded_at`)})`,
        this.params(actor),
      );
    }
    if (this.worksInSetting(actor) && this.may(actor, 'concern.record')) {
      return qb.andWhere(
        `${alias}.recorded_by_user_id = :accessUserId AND ${alias}.organisation_id = :accessOrganisationId`,
        this.params(actor),
      );
    }
    if (TEAM_ROUTE[actor.role])
      return qb.andWhere(this.referredToTeam('concern_id', `${alias}.id`), this.params(actor));
    return qb.andWhere('1 = 0');
  }

  /** Narrows a query over referrals: the sender's DSPs and head, those where the pupil is enrolled now, or the receiving team. */
  restrictEscalations<T extends ObjectLiteral>(
    actor: Actor,
    qb: SelectQueryBuilder<T>,
    alias: string,
  ): SelectQueryBuilder<T> {
    if (this.readsRetained(actor)) {
      const pupil = `${alias}.pupil_id`;
      return qb.andWhere(
        `(${alias}.organisation_id = :accessOrganisationId OR ${this.enrolledHere(pupil)} OR ${this.retainedUpTo(pupil, `${alias}.sent_at`)})`,
        this.params(actor),
      );
    }
    if (TEAM_ROUTE[actor.role]) {
      return qb.andWhere(
        `${alias}.route = :accessTeamRoute AND ${alias}.local_authority_id = :accessLocalAuthorityId`,
        this.params(actor),
      );
    }
    return qb.andWhere('1 = 0');
  }

  /**
   * Narrows a query over pupils' address and contacts (the roll import's `pupil_contact_details`,
   * aliased `alias`, with `pupil_id` and `organisation_id` columns): only DSPs and head teachers of a
   * school or PRU where the pupil is enrolled now, and only the row their own organisation's roll import
   * wrote (another school's address and contacts are never theirs to read). Never other staff, never a local-authority team or lead, never admin: what a
   * team needs of them reaches it in a referral, which the DSP chooses to send.
   */
  restrictPupilContacts<T extends ObjectLiteral>(
    actor: Actor,
    qb: SelectQueryBuilder<T>,
    alias: string,
  ): SelectQueryBuilder<T> {
    if (this.worksInSetting(actor) && this.may(actor, 'pupil.contacts.read'))
      return qb.andWhere(
        `${alias}.organisation_id = :accessOrganisationId AND ${this.enrolledHere(`${alias}.pupil_id`)}`,
        this.params(actor),
      );
    return qb.andWhere('1 = 0');
  }

  /**
   * Whether the actor may import this organisation's roll: a DSP or head teacher their own school's or
   * PRU's (403 for another's), an admin any school or PRU of their local authority. An organisation of
   * another local authority, or one that is not a school or PRU, is not found (404).
   */
  assertMayImportRoll(
    actor: Actor,
    organisation: { id: string; kind: string; localAuthorityId: string | null } | null,
  ): void {
    this.require(actor, 'roll.import');
    if (
      !organisation ||
      (organisation.kind !== 'school' && organisation.kind !== 'pru') ||
      organisation.localAuthorityId !== actor.localAuthorityId
    )
      throw new NotFoundError('Organisation');
    if (actor.role !== 'admin' && organisation.id !== actor.organisationId)
      throw new ForbiddenError('You can import only your own school’s or PRU’s roll');
  }

  /**
   * Narrows a query over placements (pru/'s `placements`, aliased `alias`, with `pru_id` and
   * `home_organisation_id` columns): a PRU's DSPs and head teachers read its placements, a school's
   * those of its pupils placed at a PRU; nobody else any (the caller shows them as missing).
   */
  restrictPlacements<T extends ObjectLiteral>(
    actor: Actor,
    qb: SelectQueryBuilder<T>,
    alias: string,
  ): SelectQueryBuilder<T> {
    if (this.worksInSetting(actor) && this.may(actor, 'placement.manage'))
      return qb.andWhere(
        `(${alias}.pru_id = :accessOrganisationId OR ${alias}.home_organisation_id = :accessOrganisationId)`,
        this.params(actor),
      );
    return qb.andWhere('1 = 0');
  }

  /** Whether the actor reads placements at all (a school's or PRU's DSPs and head teachers): the menu, the list page. */
  mayReadPlacements(actor: Actor): boolean {
    return this.worksInSetting(actor) && this.may(actor, 'placement.manage');
  }

  /**
   * Starting, reviewing or ending a placement: a DSP or head teacher of the PRU itself (403 for any
   * other role or organisation; the home school reads the placement and does not run it).
   */
  assertMayRunPlacement(actor: Actor, pruId: string): void {
    this.require(actor, 'placement.manage');
    if (actor.organisationKind !== 'pru' || actor.organisationId !== pruId)
      throw new ForbiddenError('Only the PRU’s designated safeguarding people and head teacher run its placements');
  }

  /**
   * Narrows a query over pupils to those whose retention the actor reviews (retention/): a DSP, the
   * pupils with safeguarding records made at their school or PRU (whether or not still on its roll); the
   * LA lead, those with records made anywhere in the local authority. Nobody else any (the caller
   * shows them as missing, 404). The owner of the records supplies the two SQL conditions, given the
   * name of the parameter it binds (`heldAt` an organisation id, `heldInLocalAuthority` one's id).
   */
  restrictRetention<T extends ObjectLiteral>(
    actor: Actor,
    qb: SelectQueryBuilder<T>,
    records: {
      heldAt: (organisationParam: string) => string;
      heldInLocalAuthority: (localAuthorityParam: string) => string;
    },
  ): SelectQueryBuilder<T> {
    if (!this.may(actor, 'retention.review')) return qb.andWhere('1 = 0');
    if (actor.role === 'la_lead' && actor.organisationKind === 'local_authority')
      return qb.andWhere(records.heldInLocalAuthority('accessLocalAuthorityId'), this.params(actor));
    if (this.worksInSetting(actor)) return qb.andWhere(records.heldAt('accessOrganisationId'), this.params(actor));
    return qb.andWhere('1 = 0');
  }

  /** Looking a pupil up by UPN and date of birth: DSPs and head teachers of a school or PRU (else 403). */
  assertMayLookUpPupils(actor: Actor): void {
    if (!this.worksInSetting(actor)) throw new ForbiddenError();
    this.require(actor, 'pupil.lookup');
  }

  /** The subset of `pupilIds` the actor may see (or that are on the actor's roll now), in one query. */
  async visiblePupilIds(
    actor: Actor,
    pupilIds: string[],
    manager?: EntityManager,
    reach: PupilReach = 'visible',
  ): Promise<Set<string>> {
    if (pupilIds.length === 0) return new Set();
    const qb = this.roll.pupilIdsQuery(manager ?? this.dataSource.manager, pupilIds);
    const rows: Array<{ id: string }> = await this.restrictPupils(actor, qb, 'pupil', reach).getRawMany();
    return new Set(rows.map((row) => row.id));
  }

  async assertPupilVisible(actor: Actor, pupilId: string, manager?: EntityManager): Promise<void> {
    const visible = await this.visiblePupilIds(actor, [pupilId], manager);
    if (!visible.has(pupilId)) throw new NotFoundError('Pupil');
  }

  /**
   * `assertPupilOnRoll`'s check as SQL with its parameters (`pupils` rows: none when the pupil is not on
   * the actor's roll), for a guarded write to embed (`WHERE EXISTS (...)`): the check and the write are
   * then one statement. When nothing was written, `assertPupilOnRoll` says why (404 or 422).
   */
  pupilOnRollQuery(actor: Actor, pupilId: string, manager: EntityManager): [string, unknown[]] {
    return this.restrictPupils(
      actor,
      this.roll.pupilIdsQuery(manager, [pupilId]),
      'pupil',
      'roll',
    ).getQueryAndParameters();
  }

  /**
   * Recording about a pupil: the pupil must be on the actor's roll now. A pupil the actor reads only
   * through what their organisation kept is PupilNotOnRollError (422); one they may not see, 404.
   */
  async assertPupilOnRoll(actor: Actor, pupilId: string, manager?: EntityManager): Promise<void> {
    if ((await this.visiblePupilIds(actor, [pupilId], manager, 'roll')).has(pupilId)) return;
    await this.assertPupilVisible(actor, pupilId, manager);
    throw new PupilNotOnRollError();
  }

  /**
   * Up to when the actor reads what was added to a concern another organisation recorded (decisions,
   * closing): null while the pupil is on the actor's roll (no cut-off); after the pupil left, the
   * moment their organisation's file was received elsewhere. Asked after the concern itself was loaded
   * through `restrictConcerns`; a concern the actor's organisation recorded has no cut-off.
   */
  async recordsCutOff(
    actor: Actor,
    concern: { pupilId: string; organisationId: string },
    manager: EntityManager,
  ): Promise<Date | null> {
    if (!this.readsRetained(actor) || this.ownsConcern(actor, concern)) return null;
    const scope = await this.chronologyScope(actor, concern.pupilId, manager);
    return scope.kind === 'retained' ? scope.until : null;
  }

  /**
   * The chronology: only DSPs and head teachers of a school or PRU where the pupil is enrolled now.
   * It is pupil data, so for everyone else it does not exist (404), never 403: a MASH or early-help
   * officer who can see a referred pupil still cannot read (or learn of) the pupil's whole history.
   */
  async assertChronologyVisible(actor: Actor, pupilId: string, manager?: EntityManager): Promise<void> {
    await this.chronologyScope(actor, pupilId, manager ?? this.dataSource.manager);
  }

  /**
   * How much of the pupil's chronology the actor reads (ChronologyScope), or NotFoundError: the whole
   * of it while the pupil is on their organisation's roll; after the pupil left, what the organisation
   * kept. The chronology service filters its entries by it, so a list and a PDF show the same.
   */
  async chronologyScope(actor: Actor, pupilId: string, manager: EntityManager): Promise<ChronologyScope> {
    if (!this.may(actor, 'chronology.read') || !this.worksInSetting(actor)) throw new NotFoundError('Pupil');
    if ((await this.visiblePupilIds(actor, [pupilId], manager, 'roll')).has(pupilId)) return { kind: 'whole' };
    return this.retainedChronologyScope(actor, pupilId, manager);
  }

  /**
   * `chronologyScope` with the pupil's row, read by the same statement (issue 9: fewer round trips):
   * `pupilQuery` (in `manager`'s transaction) selects the one pupil (aliased `pupil`), and the roll
   * check comes as a column of it.
   * While the pupil is on the actor's roll that is the only statement; after they left, one more
   * reads what the organisation kept. NotFoundError as `chronologyScope`, and for a pupil that is not.
   */
  async chronologyScopeWithPupil<T extends ObjectLiteral>(
    actor: Actor,
    pupilId: string,
    manager: EntityManager,
    pupilQuery: SelectQueryBuilder<T>,
  ): Promise<{ scope: ChronologyScope; pupil: T }> {
    if (!this.may(actor, 'chronology.read') || !this.worksInSetting(actor)) throw new NotFoundError('Pupil');
    // As `restrictPupils` with the reach 'roll' (the actor works in a setting here).
    const onRoll = this.may(actor, 'pupil.read') ? this.enrolledHere('pupil.id') : '1 = 0';
    const { raw, entities } = await pupilQuery
      .addSelect(`CASE WHEN ${onRoll} THEN 1 ELSE 0 END`, 'access_on_roll')
      .setParameters(this.params(actor))
      .getRawAndEntities<{ access_on_roll: number | string }>();
    const pupil = entities[0];
    if (pupil && Number(raw[0].access_on_roll) === 1) return { scope: { kind: 'whole' }, pupil };
    const scope = await this.retainedChronologyScope(actor, pupilId, manager);
    if (!pupil) throw new NotFoundError('Pupil');
    return { scope, pupil };
  }

  /** What the actor's organisation kept of the pupil's chronology after the pupil left its roll, or NotFoundError. */
  private async retainedChronologyScope(
    actor: Actor,
    pupilId: string,
    manager: EntityManager,
  ): Promise<ChronologyScope> {
    const scopes = await this.roll.retainedScopes(manager, pupilId, actor.organisationId);
    if (scopes.length === 0) throw new NotFoundError('Pupil');
    const untils = scopes.map((scope) => scope.until?.getTime() ?? -Infinity);
    const latest = Math.max(...untils);
    return {
      kind: 'retained',
      organisationId: actor.organisationId,
      until: Number.isFinite(latest) ? new Date(latest) : null,
    };
  }

  /**
   * Which audit entries the actor may read (docs/security.md, "Who may read the audit trail"). A head
   * teacher: their own organisation's staff's actions, and the whole history of a pupil, concern or
   * referral they may see (who else opened their pupil's records), 404 for any other. The LA lead: the
   * actions of the local authority's own people (its teams and leads), whatever the subject, and never
   * a school's: which children a school's staff open is that school's business, and would tell the LA of
   * children no referral has brought to it; the LA lead sees no pupil data anywhere else either.
   */
  async auditScope(actor: Actor, subject: { type: string; id: string } | null): Promise<AuditScope> {
    this.require(actor, 'audit.read');
    if (actor.role === 'la_lead') return { kind: 'actor_organisations', organisationIds: [actor.localAuthorityId] };
    if (!subject) return { kind: 'actor_organisations', organisationIds: [actor.organisationId] };
    const manager = this.dataSource.manager;
    let pupilId: string;
    if (subject.type === 'pupil') {
      await this.assertPupilVisible(actor, subject.id);
      pupilId = subject.id;
    } else if (subject.type === 'concern') {
      const qb = this.referrals.concernQuery(manager, subject.id);
      const row = await this.restrictConcerns(actor, qb, 'concern')
        .select('concern.pupil_id', 'pupilId')
        .getRawOne<{ pupilId: string }>();
      if (!row) throw new NotFoundError('Concern');
      pupilId = row.pupilId;
    } else if (subject.type === 'escalation') {
      const qb = this.referrals.escalationQuery(manager, subject.id);
      const row = await this.restrictEscalations(actor, qb, 'escalation')
        .select('escalation.pupil_id', 'pupilId')
        .getRawOne<{ pupilId: string }>();
      if (!row) throw new NotFoundError('Referral');
      pupilId = row.pupilId;
    } else throw new NotFoundError('Subject');
    // A head teacher whose organisation the pupil has left reads the trail as far as it reads the records.
    const scope = await this.chronologyScope(actor, pupilId, manager);
    return scope.kind === 'retained'
      ? { kind: 'subject', retained: { organisationId: scope.organisationId, until: scope.until } }
      : { kind: 'subject' };
  }
}

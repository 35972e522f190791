import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { Actor } from '../common/actor';
import { ForbiddenError, NotFoundError } from '../common/domain-error';
import { Concern } from '../dsp/concerns/concern.entity';
import { Escalation } from '../dsp/escalations/escalation.entity';
import { Organisation } from '../organisations/organisation.entity';
import { isSettingKind } from '../organisations/roles';
import { Pupil } from '../school/pupil.entity';
import { Permission, roleMay, TEAM_ROUTE } from './permissions';

export type AuditScope = { kind: 'subject' } | { kind: 'actor_organisations'; organisationIds: string[] };

/**
 * The one place that decides what a caller may see and do. Services call it; controllers never
 * decide. A record the caller may not see is reported as missing (NotFoundError → 404); a visible
 * record the caller's role may not act on is ForbiddenError (403).
 *
 * - School and PRU roles see pupils currently enrolled at their organisation (a dual-registered
 *   pupil is seen by both). DSPs and head teachers see every concern and referral about those pupils;
 *   other staff see the concerns they recorded themselves.
 * - A local-authority team (MASH, early help) sees exactly the referrals sent to it, the concerns
 *   they are about and the pupils they concern; nothing before a referral reaches it.
 * - The LA lead and admin see no pupil data.
 *
 * Each rule is a SQL condition added to the caller's query, so lists and single reads agree.
 */
@Injectable()
export class AccessPolicy {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  may(actor: Actor, permission: Permission): boolean {
    return roleMay(actor.role, permission);
  }

  require(actor: Actor, permission: Permission): void {
    if (!this.may(actor, permission)) throw new ForbiddenError();
  }

  private worksInSetting(actor: Actor): boolean {
    return isSettingKind(actor.organisationKind);
  }

  /** SQL: the pupil (column expression) is currently enrolled at the actor's organisation. */
  private enrolledHere(pupilColumn: string): string {
    return (
      `EXISTS (SELECT 1 FROM enrolments access_enrolment WHERE access_enrolment.pupil_id = ${pupilColumn} ` +
      `AND access_enrolment.organisation_id = :accessOrganisationId AND access_enrolment.ended_on IS NULL)`
    );
  }

  /** SQL: a referral on `column` = `value` has reached the actor's team in their local authority. */
  private referredToTeam(column: 'pupil_id' | 'concern_id', value: string): string {
    return (
      `EXISTS (SELECT 1 FROM escalations access_escalation WHERE access_escalation.${column} = ${value} ` +
      `AND access_escalation.route = :accessTeamRoute AND access_escalation.local_authority_id = :accessLocalAuthorityId)`
    );
  }

  private params(actor: Actor) {
    return {
      accessOrganisationId: actor.organisationId,
      accessLocalAuthorityId: actor.localAuthorityId,
      accessTeamRoute: TEAM_ROUTE[actor.role] ?? '',
      accessUserId: actor.userId,
    };
  }

  /** Narrows a query over pupils (aliased `alias`) to those the actor may see. */
  restrictPupils<T extends ObjectLiteral>(
    actor: Actor,
    qb: SelectQueryBuilder<T>,
    alias: string,
  ): SelectQueryBuilder<T> {
    if (this.worksInSetting(actor) && this.may(actor, 'pupil.read'))
      return qb.andWhere(this.enrolledHere(`${alias}.id`), this.params(actor));
    if (TEAM_ROUTE[actor.role]) return qb.andWhere(this.referredToTeam('pupil_id', `${alias}.id`), this.params(actor));
    return qb.andWhere('1 = 0');
  }

  /** Narrows a query over concerns (aliased `alias`) to those the actor may see. */
  restrictConcerns<T extends ObjectLiteral>(
    actor: Actor,
    qb: SelectQueryBuilder<T>,
    alias: string,
  ): SelectQueryBuilder<T> {
    if (this.worksInSetting(actor) && this.may(actor, 'concern.read_all'))
      return qb.andWhere(this.enrolledHere(`${alias}.pupil_id`), this.params(actor));
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
    if (this.worksInSetting(actor) && this.may(actor, 'concern.read_all')) {
      return qb.andWhere(
        `(${alias}.organisation_id = :accessOrganisationId OR ${this.enrolledHere(`${alias}.pupil_id`)})`,
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

  /** The subset of `pupilIds` the actor may see, in one query. */
  async visiblePupilIds(actor: Actor, pupilIds: string[], manager?: EntityManager): Promise<Set<string>> {
    if (pupilIds.length === 0) return new Set();
    const qb = (manager ?? this.dataSource.manager)
      .getRepository(Pupil)
      .createQueryBuilder('pupil')
      .select('pupil.id', 'id')
      .where('pupil.id IN (:...pupilIds)', { pupilIds });
    const rows: Array<{ id: string }> = await this.restrictPupils(actor, qb, 'pupil').getRawMany();
    return new Set(rows.map((row) => row.id));
  }

  async assertPupilVisible(actor: Actor, pupilId: string, manager?: EntityManager): Promise<void> {
    const visible = await this.visiblePupilIds(actor, [pupilId], manager);
    if (!visible.has(pupilId)) throw new NotFoundError('Pupil');
  }

  /**
   * Loads a concern the actor may see, or throws NotFoundError. `forUpdate` (inside a transaction,
   * before checking its state) holds the row until commit, so two changes to one record take turns.
   */
  async visibleConcern(
    actor: Actor,
    concernId: string,
    manager?: EntityManager,
    options: { forUpdate?: boolean } = {},
  ): Promise<Concern> {
    const qb = (manager ?? this.dataSource.manager)
      .getRepository(Concern)
      .createQueryBuilder('concern')
      .where('concern.id = :concernId', { concernId });
    if (options.forUpdate) this.lockRow(qb);
    const concern = await this.restrictConcerns(actor, qb, 'concern').getOne();
    if (!concern) throw new NotFoundError('Concern');
    return concern;
  }

  /** Loads a referral the actor may see, or throws NotFoundError; `forUpdate` as for concerns. */
  async visibleEscalation(
    actor: Actor,
    escalationId: string,
    manager?: EntityManager,
    options: { forUpdate?: boolean } = {},
  ): Promise<Escalation> {
    const qb = (manager ?? this.dataSource.manager)
      .getRepository(Escalation)
      .createQueryBuilder('escalation')
      .where('escalation.id = :escalationId', { escalationId });
    if (options.forUpdate) this.lockRow(qb);
    const escalation = await this.restrictEscalations(actor, qb, 'escalation').getOne();
    if (!escalation) throw new NotFoundError('Referral');
    return escalation;
  }

  /**
   * SELECT ... FOR NO KEY UPDATE on PostgreSQL, where transactions run concurrently: a second
   * acknowledgement, outcome, decision or closing waits for the first to commit, then sees it and is
   * refused (422) instead of failing on a unique key (500). NO KEY, so inserting records that refer to
   * the row (a decision, an early-help referral) is never blocked by it, and cannot deadlock with it.
   * SQLite needs nothing: UnitOfWork runs one transaction at a time there.
   */
  private lockRow<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>): void {
    if (this.dataSource.options.type === 'postgres') qb.setLock('for_no_key_update');
  }

  /**
   * The chronology: only DSPs and head teachers of a school or PRU where the pupil is enrolled now.
   * It is pupil data, so for everyone else it does not exist (404), never 403: a MASH or early-help
   * officer who can see a referred pupil still cannot read (or learn of) the pupil's whole history.
   */
  async assertChronologyVisible(actor: Actor, pupilId: string, manager?: EntityManager): Promise<void> {
    if (!this.may(actor, 'chronology.read')) throw new NotFoundError('Pupil');
    await this.assertPupilVisible(actor, pupilId, manager);
  }

  /** Which audit entries the actor may read: a visible subject's whole history, or their organisations' actions. */
  async auditScope(actor: Actor, subject: { type: string; id: string } | null): Promise<AuditScope> {
    this.require(actor, 'audit.read');
    if (actor.role === 'la_lead') {
      return {
        kind: 'actor_organisations',
        organisationIds: await this.organisationsOfLocalAuthority(actor.localAuthorityId),
      };
    }
    if (!subject) return { kind: 'actor_organisations', organisationIds: [actor.organisationId] };
    if (subject.type === 'pupil') await this.assertPupilVisible(actor, subject.id);
    else if (subject.type === 'concern') await this.visibleConcern(actor, subject.id);
    else if (subject.type === 'escalation') await this.visibleEscalation(actor, subject.id);
    else throw new NotFoundError('Subject');
    return { kind: 'subject' };
  }

  private async organisationsOfLocalAuthority(localAuthorityId: string): Promise<string[]> {
    const rows = await this.dataSource
      .getRepository(Organisation)
      .createQueryBuilder('organisation')
      .select('organisation.id', 'id')
      .where('organisation.id = :localAuthorityId OR organisation.local_authority_id = :localAuthorityId', {
        localAuthorityId,
      })
      .getRawMany<{ id: string }>();
    return rows.map((row) => row.id);
  }
}

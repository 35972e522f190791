import { EntityManager, ObjectLiteral, SelectQueryBuilder } from 'typeorm';

/**
 * What the access policy needs from the modules that own the records it rules on, declared here and
 * implemented by the owners (dependency inversion): the policy holds the rules (who sees what), the
 * owners hold the tables. Both are wired once, in AppModule, with `AccessModule.forRoot(...)`.
 */

/** What an organisation keeps reading after a pupil left its roll: its own records, and those made up to `until`. */
export interface RetainedScope {
  until: Date | null;
}

/** The roll (school/): which pupils are enrolled where, and what an organisation keeps after they leave. */
export interface RollAccessRules {
  /**
   * SQL condition: the pupil whose id is the column expression `pupilColumn` is enrolled now at the
   * organisation bound as the parameter `:${organisationParam}` (today's London date bound as `:${todayParam}`).
   */
  enrolledNowAt(pupilColumn: string, organisationParam: string, todayParam: string): string;
  /** SQL condition: the organisation keeps some access to the pupil after the pupil left its roll. */
  retainedBy(pupilColumn: string, organisationParam: string): string;
  /**
   * SQL condition: the organisation keeps access to the pupil's records made up to a moment, and the
   * record (made at the column expression `madeAtColumn`) was made by then.
   */
  retainedUpTo(pupilColumn: string, madeAtColumn: string, organisationParam: string): string;
  /** The organisation's retained access to the pupil (none when it has none). */
  retainedScopes(manager: EntityManager, pupilId: string, organisationId: string): Promise<RetainedScope[]>;
  /** A query over the pupils with these ids, aliased `pupil`, selecting `pupil.id` as `id`. */
  pupilIdsQuery(manager: EntityManager, pupilIds: string[]): SelectQueryBuilder<ObjectLiteral>;
}

/** The referrals (dsp/escalations): which records have reached a local-authority team. */
export interface ReferralAccessRules {
  /**
   * SQL condition: a referral whose `column` equals the column expression `value` was sent on the
   * route bound as `:${routeParam}` to the local authority bound as `:${localAuthorityParam}`.
   */
  referredTo(column: 'pupil_id' | 'concern_id', value: string, routeParam: string, localAuthorityParam: string): string;
  /** A query over the concern with this id, aliased `concern` (for audit-log scoping). */
  concernQuery(manager: EntityManager, concernId: string): SelectQueryBuilder<ObjectLiteral>;
  /** A query over the referral with this id, aliased `escalation` (for audit-log scoping). */
  escalationQuery(manager: EntityManager, escalationId: string): SelectQueryBuilder<ObjectLiteral>;
}

export const ROLL_ACCESS_RULES = Symbol('ROLL_ACCESS_RULES');
export const REFERRAL_ACCESS_RULES = Symbol('REFERRAL_ACCESS_RULES');

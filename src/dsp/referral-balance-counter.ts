import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

/** One GROUP BY row: the organisation, the code counted (outcome or route) and the count. */
export type CountRow = { organisationId: string; code?: string; n: string | number; against?: string | number | null };

/** Half-open instant range as fixed-width ISO strings (the columns compare as text on both engines). */
export interface CountPeriod {
  startsAt: string;
  endsBefore: string;
}

/**
 * The counts behind the referral-balance report (reports/), over the tables dsp owns: one query per
 * kind of count, GROUP BY organisation, whatever the number of organisations. COUNT comes back as a
 * string on PostgreSQL; the caller takes Number().
 */
@Injectable()
export class ReferralBalanceCounter {
  /** Concerns the organisation recorded that occurred in the period. */
  concernCounts(manager: EntityManager, organisationIds: string[], period: CountPeriod): Promise<CountRow[]> {
    return manager
      .createQueryBuilder()
      .select('concern.organisation_id', 'organisationId')
      .addSelect('COUNT(*)', 'n')
      .from('concerns', 'concern')
      .where('concern.organisation_id IN (:...organisationIds)', { organisationIds })
      .andWhere('concern.occurred_at >= :startsAt AND concern.occurred_at < :endsBefore', period)
      .groupBy('concern.organisation_id')
      .getRawMany();
  }

  /**
   * The latest decision (by decided_at, ties by id) on each of those concerns, by outcome: a concern
   * first monitored and later referred counts once, as referred.
   */
  latestDecisionCounts(manager: EntityManager, organisationIds: string[], period: CountPeriod): Promise<CountRow[]> {
    return manager
      .createQueryBuilder()
      .select('concern.organisation_id', 'organisationId')
      .addSelect('decision.outcome', 'code')
      .addSelect('COUNT(*)', 'n')
      .from('concern_decisions', 'decision')
      .innerJoin('concerns', 'concern', 'concern.id = decision.concern_id')
      .where('concern.organisation_id IN (:...organisationIds)', { organisationIds })
      .andWhere('concern.occurred_at >= :startsAt AND concern.occurred_at < :endsBefore', period)
      .andWhere(
        'NOT EXISTS (SELECT 1 FROM concern_decisions later WHERE later.concern_id = decision.concern_id ' +
          'AND (later.decided_at > decision.decided_at OR (later.decided_at = decision.decided_at AND later.id > decision.id)))',
      )
      .groupBy('concern.organisation_id')
      .addGroupBy('decision.outcome')
      .getRawMany();
  }

  /**
   * Referrals the organisation itself sent in the period, by route, and how many of those went against
   * the recommendation. An early-help referral MASH created by redirecting one (redirected_from_id set)
   * is not the school's own: it counts in mashRedirectedToEarlyHelp instead.
   */
  escalationCounts(manager: EntityManager, organisationIds: string[], period: CountPeriod): Promise<CountRow[]> {
    return (
      manager
        .createQueryBuilder()
        .select('escalation.organisation_id', 'organisationId')
        .addSelect('escalation.route', 'code')
        .addSelect('COUNT(*)', 'n')
        // A bound `true`, not a literal: SQLite stores booleans as 1/0, PostgreSQL as boolean.
        .addSelect('SUM(CASE WHEN escalation.against_recommendation = :against THEN 1 ELSE 0 END)', 'against')
        .from('escalations', 'escalation')
        .where('escalation.organisation_id IN (:...organisationIds)', { organisationIds, against: true })
        .andWhere('escalation.sent_at >= :startsAt AND escalation.sent_at < :endsBefore', period)
        .andWhere('escalation.redirected_from_id IS NULL')
        .groupBy('escalation.organisation_id')
        .addGroupBy('escalation.route')
        .getRawMany()
    );
  }

  /** MASH referrals sent in the period that MASH redirected to early help or closed with no further action. */
  mashOutcomeCounts(manager: EntityManager, organisationIds: string[], period: CountPeriod): Promise<CountRow[]> {
    return manager
      .createQueryBuilder()
      .select('escalation.organisation_id', 'organisationId')
      .addSelect('outcome.outcome', 'code')
      .addSelect('COUNT(*)', 'n')
      .from('escalations', 'escalation')
      .innerJoin('escalation_outcomes', 'outcome', 'outcome.escalation_id = escalation.id')
      .where('escalation.organisation_id IN (:...organisationIds)', { organisationIds })
      .andWhere('escalation.sent_at >= :startsAt AND escalation.sent_at < :endsBefore', period)
      .andWhere('escalation.route = :mash', { mash: 'mash' })
      .andWhere('outcome.outcome IN (:...mashOutcomes)', { mashOutcomes: ['redirect_early_help', 'no_further_action'] })
      .groupBy('escalation.organisation_id')
      .addGroupBy('outcome.outcome')
      .getRawMany();
  }
}

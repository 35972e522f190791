import { EntityManager } from 'typeorm';
import {
  DECISION_OUTCOMES,
  DESIGNATED_OFFICER_OUTCOMES,
  EARLY_HELP_OUTCOMES,
  ESCALATION_ROUTES,
  MASH_OUTCOMES,
} from '../../src/guidance/codes';
import { ReferralBalanceCounts } from '../../src/reports/referral-balance.service';

/**
 * One GROUP BY row: the organisation, the code counted (outcome or route), the count, and the extra
 * sums some queries add (`below`, `against`, `above`). Sums come back as strings on PostgreSQL.
 */
export type CountRow = {
  organisationId: string;
  code?: string;
  route?: string;
  n: string | number;
  below?: string | number | null;
  against?: string | number | null;
  above?: string | number | null;
};

/** Half-open instant range as fixed-width ISO strings (the columns compare as text on both engines). */
export interface CountPeriod {
  startsAt: string;
  endsBefore: string;
}

/** The routes that are a report to social services or the police (DOMAIN.md, level 4 and 0). */
const REPORT_ROUTES = ['mash', 'designated_officer', 'police'];

/**
 * THE ORACLE for the referral balance's counts (test only): the queries the report ran over the whole
 * history before issue 9 (dsp/referral-balance-counter.ts at 4bf2ef0), kept verbatim so a test can
 * prove that the counts kept as records are written (dsp/referral-balance-count-writer.ts) and the
 * rebuild from the records give exactly the same figures. Far too slow for a request at scale.
 *
 * One query per kind of count, GROUP BY organisation. COUNT comes back as a string on PostgreSQL; the
 * caller takes Number(). Booleans are bound as parameters: SQLite stores them as 1/0, PostgreSQL as boolean.
 */
export class ReferralBalanceHistoryOracle {
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
   * first monitored and later referred counts once, as referred. `below` counts those latest decisions
   * recorded below the guidance (`below_guidance`, set by the decision itself).
   */
  latestDecisionCounts(manager: EntityManager, organisationIds: string[], period: CountPeriod): Promise<CountRow[]> {
    return manager
      .createQueryBuilder()
      .select('concern.organisation_id', 'organisationId')
      .addSelect('decision.outcome', 'code')
      .addSelect('COUNT(*)', 'n')
      .addSelect('SUM(CASE WHEN decision.below_guidance = :yes THEN 1 ELSE 0 END)', 'below')
      .from('concern_decisions', 'decision')
      .innerJoin('concerns', 'concern', 'concern.id = decision.concern_id')
      .where('concern.organisation_id IN (:...organisationIds)', { organisationIds, yes: true })
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
   * Referrals the organisation itself sent in the period, by route. An early-help referral MASH
   * created by redirecting one (redirected_from_id set) is not the school's own: it counts in the MASH
   * outcomes instead.
   *
   * `against`: referrals on a route BELOW the guidance (issue 8: `againstRecommendation` means below
   * only). Before issue 8 a MASH referral where the guidance said early help was flagged too; going up
   * is never below, so only an early-help referral, or a designated-officer referral of an emergency
   * (level 0, where the route is the police), can count, whatever an older row says.
   *
   * `above`: referrals to MASH, the designated officer or the police where the guidance level was 1 to
   * 3: `above_guidance`, or worked out from the level recorded with the referral for rows made before
   * that column existed. For the local authority's aggregate figures only, never shown on a page.
   */
  escalationCounts(manager: EntityManager, organisationIds: string[], period: CountPeriod): Promise<CountRow[]> {
    return manager
      .createQueryBuilder()
      .select('escalation.organisation_id', 'organisationId')
      .addSelect('escalation.route', 'code')
      .addSelect('COUNT(*)', 'n')
      .addSelect(
        'SUM(CASE WHEN escalation.against_recommendation = :yes AND (escalation.route = :earlyHelp ' +
          'OR (escalation.route = :designatedOfficer AND escalation.recommended_level = 0)) THEN 1 ELSE 0 END)',
        'against',
      )
      .addSelect(
        'SUM(CASE WHEN escalation.above_guidance = :yes OR (escalation.route IN (:...reportRoutes) ' +
          'AND escalation.recommended_level IN (1, 2, 3)) THEN 1 ELSE 0 END)',
        'above',
      )
      .from('escalations', 'escalation')
      .where('escalation.organisation_id IN (:...organisationIds)', {
        organisationIds,
        yes: true,
        earlyHelp: 'early_help',
        designatedOfficer: 'designated_officer',
        reportRoutes: REPORT_ROUTES,
      })
      .andWhere('escalation.sent_at >= :startsAt AND escalation.sent_at < :endsBefore', period)
      .andWhere('escalation.redirected_from_id IS NULL')
      .groupBy('escalation.organisation_id')
      .addGroupBy('escalation.route')
      .getRawMany();
  }

  /**
   * The local authority's answers to the organisation's own referrals sent in the period, by route and
   * outcome (every MASH outcome, every early-help outcome, the designated officer's). Early-help
   * referrals made by a MASH redirect are left out, as in escalationCounts: their answer is about
   * MASH's choice, not the school's.
   */
  outcomeCounts(manager: EntityManager, organisationIds: string[], period: CountPeriod): Promise<CountRow[]> {
    return manager
      .createQueryBuilder()
      .select('escalation.organisation_id', 'organisationId')
      .addSelect('escalation.route', 'route')
      .addSelect('outcome.outcome', 'code')
      .addSelect('COUNT(*)', 'n')
      .from('escalations', 'escalation')
      .innerJoin('escalation_outcomes', 'outcome', 'outcome.escalation_id = escalation.id')
      .where('escalation.organisation_id IN (:...organisationIds)', { organisationIds })
      .andWhere('escalation.sent_at >= :startsAt AND escalation.sent_at < :endsBefore', period)
      .andWhere('escalation.redirected_from_id IS NULL')
      .groupBy('escalation.organisation_id')
      .addGroupBy('escalation.route')
      .addGroupBy('outcome.outcome')
      .getRawMany();
  }

  /**
   * Concerns that occurred in the period at guidance level 4 or 0 with no report: no referral of the
   * concern, ever, on route mash, designated_officer or police.
   *
   * The level is the one stored with the concern's latest decision (`guidance_level`: the guidance the
   * DSP decided against). When there is no decision yet, or the latest decision has no stored level
   * (decisions made before issue 8), it is the `recommended_level` stored with the concern's latest
   * referral (by sent_at, ties by id), if there is one. A concern with neither has no stored guidance
   * and is not counted here (its level is only known by evaluating the guidance again).
   */
  notReferredAtLevel4Or0Counts(
    manager: EntityManager,
    organisationIds: string[],
    period: CountPeriod,
  ): Promise<CountRow[]> {
    return manager
      .createQueryBuilder()
      .select('concern.organisation_id', 'organisationId')
      .addSelect('COUNT(*)', 'n')
      .from('concerns', 'concern')
      .where('concern.organisation_id IN (:...organisationIds)', { organisationIds, reportRoutes: REPORT_ROUTES })
      .andWhere('concern.occurred_at >= :startsAt AND concern.occurred_at < :endsBefore', period)
      .andWhere(
        'NOT EXISTS (SELECT 1 FROM escalations report WHERE report.concern_id = concern.id ' +
          'AND report.route IN (:...reportRoutes))',
      )
      .andWhere(
        'COALESCE(' +
          '(SELECT decision.guidance_level FROM concern_decisions decision WHERE decision.concern_id = concern.id ' +
          'ORDER BY decision.decided_at DESC, decision.id DESC LIMIT 1), ' +
          '(SELECT referral.recommended_level FROM escalations referral WHERE referral.concern_id = concern.id ' +
          'ORDER BY referral.sent_at DESC, referral.id DESC LIMIT 1)' +
          ') IN (0, 4)',
      )
      .groupBy('concern.organisation_id')
      .getRawMany();
  }
}

const zeros = <K extends string>(keys: readonly K[]) =>
  Object.fromEntries(keys.map((key) => [key, 0])) as Record<K, number>;

function addTo(record: Record<string, number>, code: string | undefined, n: number): void {
  if (code !== undefined && code in record) record[code] += n;
}

/**
 * Every figure for each organisation over a period, from the history (the report's assembly before
 * issue 9), with `aboveGuidance` when asked: to compare with ReferralBalanceService's answer.
 */
export async function figuresFromHistory(
  manager: EntityManager,
  organisationIds: string[],
  period: CountPeriod,
  withAbove: boolean,
): Promise<Map<string, ReferralBalanceCounts>> {
  const oracle = new ReferralBalanceHistoryOracle();
  const counts = new Map<string, ReferralBalanceCounts>(
    organisationIds.map((id) => [
      id,
      {
        concerns: 0,
        decisions: zeros(DECISION_OUTCOMES),
        decisionsBelowGuidance: 0,
        levelFourOrZeroNotReferred: 0,
        escalations: zeros(ESCALATION_ROUTES),
        mashOutcomes: zeros(MASH_OUTCOMES),
        earlyHelpOutcomes: zeros(EARLY_HELP_OUTCOMES),
        designatedOfficerOutcomes: zeros(DESIGNATED_OFFICER_OUTCOMES),
        earlyHelpSteppedUpToMash: 0,
        mashRedirectedToEarlyHelp: 0,
        mashNoFurtherAction: 0,
        againstRecommendation: 0,
        ...(withAbove ? { aboveGuidance: 0 } : {}),
      },
    ]),
  );
  const each = (rows: CountRow[], apply: (target: ReferralBalanceCounts, row: CountRow) => void) => {
    for (const row of rows) {
      const target = counts.get(row.organisationId);
      if (target) apply(target, row);
    }
  };
  each(await oracle.concernCounts(manager, organisationIds, period), (target, row) => {
    target.concerns = Number(row.n);
  });
  each(await oracle.latestDecisionCounts(manager, organisationIds, period), (target, row) => {
    addTo(target.decisions, row.code, Number(row.n));
    target.decisionsBelowGuidance += Number(row.below ?? 0);
  });
  each(await oracle.notReferredAtLevel4Or0Counts(manager, organisationIds, period), (target, row) => {
    target.levelFourOrZeroNotReferred = Number(row.n);
  });
  each(await oracle.escalationCounts(manager, organisationIds, period), (target, row) => {
    addTo(target.escalations, row.code, Number(row.n));
    target.againstRecommendation += Number(row.against ?? 0);
    if (target.aboveGuidance !== undefined) target.aboveGuidance += Number(row.above ?? 0);
  });
  each(await oracle.outcomeCounts(manager, organisationIds, period), (target, row) => {
    if (row.route === 'mash') addTo(target.mashOutcomes, row.code, Number(row.n));
    if (row.route === 'early_help') addTo(target.earlyHelpOutcomes, row.code, Number(row.n));
    if (row.route === 'designated_officer') addTo(target.designatedOfficerOutcomes, row.code, Number(row.n));
  });
  for (const target of counts.values()) {
    target.mashRedirectedToEarlyHelp = target.mashOutcomes.redirect_early_help;
    target.mashNoFurtherAction = target.mashOutcomes.no_further_action;
    target.earlyHelpSteppedUpToMash = target.earlyHelpOutcomes.stepped_up_to_mash;
  }
  return counts;
}

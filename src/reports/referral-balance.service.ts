import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AccessPolicy } from '../access/access-policy';
import { Actor } from '../common/actor';
import { UnitOfWork } from '../database/unit-of-work';
import { DECISION_OUTCOMES, DecisionOutcome, ESCALATION_ROUTES, EscalationRoute } from '../guidance/codes';
import { isSettingKind, OrganisationKind } from '../organisations/roles';
import { reportPeriod, ReportPeriod } from './report-period';

/** The numbers reported for one school or PRU, and (summed) for all of them. */
export interface ReferralBalanceCounts {
  /** Concerns recorded by the organisation that occurred in the period. */
  concerns: number;
  /** Each of those concerns' latest decision, by outcome (every outcome present, 0 when none). */
  decisions: Record<DecisionOutcome, number>;
  /** Referrals the organisation sent in the period, by route; MASH redirects are not early help here. */
  escalations: Record<EscalationRoute, number>;
  /** MASH referrals sent in the period that MASH redirected to early help. */
  mashRedirectedToEarlyHelp: number;
  /** MASH referrals sent in the period that MASH closed with no further action. */
  mashNoFurtherAction: number;
  /** The organisation's own referrals sent in the period against the guidance's recommendation. */
  againstRecommendation: number;
}

export interface ReferralBalanceItem extends ReferralBalanceCounts {
  organisationId: string;
  name: string;
  kind: OrganisationKind;
}

export interface ReferralBalanceReport {
  items: ReferralBalanceItem[];
  totals: ReferralBalanceCounts;
  /** The period counted (London dates, both included): the defaults made explicit. */
  period: { from: string; to: string };
}

export interface ReferralBalanceQuery {
  from?: string | null;
  to?: string | null;
}

type CountRow = { organisationId: string; code?: string; n: string | number; against?: string | number | null };

function emptyCounts(): ReferralBalanceCounts {
  return {
    concerns: 0,
    decisions: Object.fromEntries(DECISION_OUTCOMES.map((outcome) => [outcome, 0])) as Record<DecisionOutcome, number>,
    escalations: Object.fromEntries(ESCALATION_ROUTES.map((route) => [route, 0])) as Record<EscalationRoute, number>,
    mashRedirectedToEarlyHelp: 0,
    mashNoFurtherAction: 0,
    againstRecommendation: 0,
  };
}

/**
 * The referral-balance report (DOMAIN.md, "Why the product exists"): how each school and PRU's concerns
 * were decided and where its referrals went, so Cardiff can see whether schools send MASH what early
 * help would serve better.
 *
 * Counts only: no pupil, concern or referral is identified, so reading the report is not a read of
 * pupil data and writes no audit entry (the audit log records views of pupil records).
 *
 * Who sees what: the `report.read` permission decides who may read it; the reader's organisation
 * decides the scope: a school or PRU sees itself, a local authority every school and PRU it holds.
 *
 * One query for the organisations and one per kind of count, GROUP BY organisation, whatever the number
 * of organisations. Instants are ISO strings in varchar columns, compared with ISO string parameters;
 * COUNT comes back as a string on PostgreSQL, hence Number().
 */
@Injectable()
export class ReferralBalanceService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly accessPolicy: AccessPolicy,
  ) {}

  async report(actor: Actor, query: ReferralBalanceQuery, now: Date = new Date()): Promise<ReferralBalanceReport> {
    this.accessPolicy.require(actor, 'report.read');
    const period = reportPeriod(query, now);
    // One transaction, so the counts agree with one another on SQLite's shared connection.
    return this.unitOfWork.run(async (manager) => {
      const organisations = await this.organisationsInScope(manager, actor);
      const counts = new Map(organisations.map((organisation) => [organisation.id, emptyCounts()]));
      if (organisations.length > 0) {
        const ids = organisations.map((organisation) => organisation.id);
        const concerns = await this.concernCounts(manager, ids, period);
        const decisions = await this.latestDecisionCounts(manager, ids, period);
        const escalations = await this.escalationCounts(manager, ids, period);
        const mashOutcomes = await this.mashOutcomeCounts(manager, ids, period);
        for (const row of concerns) counts.get(row.organisationId)!.concerns = Number(row.n);
        for (const row of decisions) {
          const decisionCounts = counts.get(row.organisationId)!.decisions as Record<string, number>;
          if (row.code! in decisionCounts) decisionCounts[row.code!] = Number(row.n);
        }
        for (const row of escalations) {
          const target = counts.get(row.organisationId)!;
          if (row.code! in target.escalations)
            (target.escalations as Record<string, number>)[row.code!] = Number(row.n);
          target.againstRecommendation += Number(row.against ?? 0);
        }
        for (const row of mashOutcomes) {
          const target = counts.get(row.organisationId)!;
          if (row.code === 'redirect_early_help') target.mashRedirectedToEarlyHelp = Number(row.n);
          if (row.code === 'no_further_action') target.mashNoFurtherAction = Number(row.n);
        }
      }
      const items = organisations.map((organisation) => ({
        organisationId: organisation.id,
        name: organisation.name,
        kind: organisation.kind,
        ...counts.get(organisation.id)!,
      }));
      return { items, totals: sumCounts(items), period: { from: period.from, to: period.to } };
    });
  }

  /** A school or PRU reports on itself; a local authority on every school and PRU it holds. By name. */
  private async organisationsInScope(
    manager: EntityManager,
    actor: Actor,
  ): Promise<Array<{ id: string; name: string; kind: OrganisationKind }>> {
    const qb = manager
      .createQueryBuilder()
      .select('organisation.id', 'id')
      .addSelect('organisation.name', 'name')
      .addSelect('organisation.kind', 'kind')
      .from('organisations', 'organisation')
      .where('organisation.kind IN (:...settingKinds)', { settingKinds: ['school', 'pru'] });
    if (isSettingKind(actor.organisationKind))
      qb.andWhere('organisation.id = :organisationId', { organisationId: actor.organisationId });
    else
      qb.andWhere('organisation.local_authority_id = :localAuthorityId', { localAuthorityId: actor.localAuthorityId });
    const rows: Array<{ id: string; name: string; kind: OrganisationKind }> = await qb.getRawMany();
    // Sorted here, not in SQL: the engines collate names differently.
    return rows.sort((a, b) => a.name.localeCompare(b.name, 'en-GB') || a.id.localeCompare(b.id));
  }

  /** Concerns the organisation recorded that occurred in the period. */
  private concernCounts(manager: EntityManager, organisationIds: string[], period: ReportPeriod): Promise<CountRow[]> {
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
  private latestDecisionCounts(
    manager: EntityManager,
    organisationIds: string[],
    period: ReportPeriod,
  ): Promise<CountRow[]> {
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
  private escalationCounts(
    manager: EntityManager,
    organisationIds: string[],
    period: ReportPeriod,
  ): Promise<CountRow[]> {
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
  private mashOutcomeCounts(
    manager: EntityManager,
    organisationIds: string[],
    period: ReportPeriod,
  ): Promise<CountRow[]> {
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

/** The same numbers summed over the organisations. */
export function sumCounts(items: ReferralBalanceCounts[]): ReferralBalanceCounts {
  const totals = emptyCounts();
  for (const item of items) {
    totals.concerns += item.concerns;
    for (const outcome of DECISION_OUTCOMES) totals.decisions[outcome] += item.decisions[outcome];
    for (const route of ESCALATION_ROUTES) totals.escalations[route] += item.escalations[route];
    totals.mashRedirectedToEarlyHelp += item.mashRedirectedToEarlyHelp;
    totals.mashNoFurtherAction += item.mashNoFurtherAction;
    totals.againstRecommendation += item.againstRecommendation;
  }
  return totals;
}

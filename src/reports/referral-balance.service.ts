import { Injectable } from '@nestjs/common';
import { AccessPolicy } from '../access/access-policy';
import { Actor } from '../common/actor';
import { UnitOfWork } from '../database/unit-of-work';
import { ReferralBalanceCounter } from '../dsp/referral-balance-counter';
import { DECISION_OUTCOMES, DecisionOutcome, ESCALATION_ROUTES, EscalationRoute } from '../guidance/codes';
import { OrganisationsService } from '../organisations/organisations.service';
import { isSettingKind, OrganisationKind } from '../common/roles';
import { reportPeriod } from './report-period';

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
 * One query for the organisations (OrganisationsService) and one per kind of count (dsp's
 * ReferralBalanceCounter, which owns those tables), GROUP BY organisation, whatever the number of organisations. Instants are ISO strings in varchar columns, compared with ISO string parameters;
 * COUNT comes back as a string on PostgreSQL, hence Number().
 */
@Injectable()
export class ReferralBalanceService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly accessPolicy: AccessPolicy,
    private readonly organisations: OrganisationsService,
    private readonly counts: ReferralBalanceCounter,
  ) {}

  async report(actor: Actor, query: ReferralBalanceQuery, now: Date = new Date()): Promise<ReferralBalanceReport> {
    this.accessPolicy.require(actor, 'report.read');
    const period = reportPeriod(query, now);
    // One transaction, so the counts agree with one another on SQLite's shared connection.
    return this.unitOfWork.run(async (manager) => {
      const organisations = await this.organisations.settingsInScope(
        manager,
        isSettingKind(actor.organisationKind)
          ? { organisationId: actor.organisationId }
          : { localAuthorityId: actor.localAuthorityId },
      );
      const counts = new Map(organisations.map((organisation) => [organisation.id, emptyCounts()]));
      if (organisations.length > 0) {
        const ids = organisations.map((organisation) => organisation.id);
        const concerns = await this.counts.concernCounts(manager, ids, period);
        const decisions = await this.counts.latestDecisionCounts(manager, ids, period);
        const escalations = await this.counts.escalationCounts(manager, ids, period);
        const mashOutcomes = await this.counts.mashOutcomeCounts(manager, ids, period);
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

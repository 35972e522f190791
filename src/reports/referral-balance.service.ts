import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AccessPolicy } from '../access/access-policy';
import { Actor } from '../common/actor';
import { NotFoundError } from '../common/domain-error';
import { UnitOfWork } from '../database/unit-of-work';
import { CountPeriod, ReferralBalanceCounter } from '../dsp/referral-balance-counter';
import {
  DECISION_OUTCOMES,
  DecisionOutcome,
  DESIGNATED_OFFICER_OUTCOMES,
  DesignatedOfficerOutcome,
  EARLY_HELP_OUTCOMES,
  EarlyHelpOutcome,
  ESCALATION_ROUTES,
  EscalationRoute,
  MASH_OUTCOMES,
  MashOutcome,
} from '../guidance/codes';
import { OrganisationsService } from '../organisations/organisations.service';
import { isSettingKind, OrganisationKind } from '../common/roles';
import { reportPeriod } from './report-period';

/**
 * The numbers reported for one school or PRU, and (summed) for all of them. Both directions are
 * counted: what may be under-reported (level 4 or 0 with no report, decisions below the guidance,
 * early help stepped up to MASH) as well as what MASH answered, so the report can never push a school
 * towards reporting less.
 */
export interface ReferralBalanceCounts {
  /** Concerns recorded by the organisation that occurred in the period. */
  concerns: number;
  /** Each of those concerns' latest decision, by outcome (every outcome present, 0 when none). */
  decisions: Record<DecisionOutcome, number>;
  /** Those latest decisions recorded below the guidance (`belowGuidance`). */
  decisionsBelowGuidance: number;
  /** Those concerns at guidance level 4 or 0 with no referral to MASH, the designated officer or the police. */
  levelFourOrZeroNotReferred: number;
  /** Referrals the organisation sent in the period, by route; MASH redirects are not early help here. */
  escalations: Record<EscalationRoute, number>;
  /** MASH's answers to the MASH referrals sent in the period (every outcome present). */
  mashOutcomes: Record<MashOutcome, number>;
  /** Early help's answers to the organisation's own early-help referrals sent in the period. */
  earlyHelpOutcomes: Record<EarlyHelpOutcome, number>;
  /** The designated officer's answers to the referrals sent to them in the period. */
  designatedOfficerOutcomes: Record<DesignatedOfficerOutcome, number>;
  /** Own early-help referrals sent in the period that early help stepped up to MASH. */
  earlyHelpSteppedUpToMash: number;
  /** MASH referrals sent in the period that MASH redirected to early help (= mashOutcomes.redirect_early_help). */
  mashRedirectedToEarlyHelp: number;
  /** MASH referrals sent in the period that MASH closed with no further action (= mashOutcomes.no_further_action). */
  mashNoFurtherAction: number;
  /** The organisation's own referrals sent in the period on a route BELOW the guidance. */
  againstRecommendation: number;
  /**
   * Referrals sent in the period at a higher level than the guidance suggested. Only in the local
   * authority lead's answer, as a figure: never shown on a page, never a problem (DOMAIN.md).
   */
  aboveGuidance?: number;
}

export interface ReferralBalanceItem extends ReferralBalanceCounts {
  organisationId: string;
  name: string;
  /** The Welsh name, when the organisation has one (shown to Welsh readers). */
  nameCy: string | null;
  kind: OrganisationKind;
}

export interface ReferralBalanceReport {
  items: ReferralBalanceItem[];
  totals: ReferralBalanceCounts;
  /** The period counted (London dates, both included): the defaults made explicit. */
  period: { from: string; to: string };
}

/** One school or PRU's figures (the drill-down). */
export interface ReferralBalanceOrganisationReport {
  item: ReferralBalanceItem;
  period: { from: string; to: string };
  /** Whether the reader sees every school of the local authority (the way back to the table). */
  wholeAuthority: boolean;
}

export interface ReferralBalanceQuery {
  from?: string | null;
  to?: string | null;
}

const zeros = <K extends string>(keys: readonly K[]) =>
  Object.fromEntries(keys.map((key) => [key, 0])) as Record<K, number>;

function emptyCounts(withAbove: boolean): ReferralBalanceCounts {
  return {
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
  };
}

/** Adds `n` to `record[code]` when `code` is one of its keys (an unknown code is ignored, not invented). */
function addTo(record: Record<string, number>, code: string | undefined, n: number): void {
  if (code !== undefined && code in record) record[code] += n;
}

/**
 * The referral-balance report (DOMAIN.md, "Why the product exists"): how each school and PRU's concerns
 * were decided and where its referrals went, in both directions, so Cardiff can see whether schools
 * send MASH what early help would serve better AND whether any concern at risk went unreported.
 *
 * Counts only: no pupil, concern or referral is identified, so reading the report is not a read of
 * pupil data and writes no audit entry (the audit log records views of pupil records).
 *
 * Who sees what: the `report.read` permission decides who may read it; the reader's organisation
 * decides the scope: a school or PRU sees itself, a local authority every school and PRU it holds.
 * `aboveGuidance` is in the local authority lead's answer only.
 *
 * One query for the organisations (OrganisationsService), then the counts dsp keeps as records are
 * written (ReferralBalanceCounter over `referral_balance_counts`, a derived read model): the whole
 * months of the period and the days at either end, GROUP BY organisation and measure, whatever the
 * number of concerns; never a scan of the history. SUM comes back as a string on PostgreSQL, hence Number().
 */
@Injectable()
export class ReferralBalanceService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly accessPolicy: AccessPolicy,
    private readonly organisations: OrganisationsService,
    private readonly counts: ReferralBalanceCounter,
  ) {}

  /** Every school and PRU the reader may see, by name, with totals. */
  async report(actor: Actor, query: ReferralBalanceQuery, now: Date = new Date()): Promise<ReferralBalanceReport> {
    this.accessPolicy.require(actor, 'report.read');
    const period = reportPeriod(query, now);
    // One transaction, so the counts agree with one another on SQLite's shared connection.
    return this.unitOfWork.run(async (manager) => {
      const organisations = await this.organisations.settingsInScope(manager, scopeOf(actor));
      const items = await this.countFor(manager, organisations, period, withAbove(actor));
      return { items, totals: sumCounts(items, withAbove(actor)), period: { from: period.from, to: period.to } };
    });
  }

  /**
   * One school or PRU in full. A school or PRU reader may open only their own; the local authority lead
   * any school or PRU of their authority; anything else is 404 (as if it did not exist).
   */
  async organisation(
    actor: Actor,
    organisationId: string,
    query: ReferralBalanceQuery,
    now: Date = new Date(),
  ): Promise<ReferralBalanceOrganisationReport> {
    this.accessPolicy.require(actor, 'report.read');
    const period = reportPeriod(query, now);
    return this.unitOfWork.run(async (manager) => {
      const inScope = await this.organisations.settingsInScope(manager, scopeOf(actor));
      const organisation = inScope.find((candidate) => candidate.id === organisationId);
      if (!organisation) throw new NotFoundError('School or PRU');
      const [item] = await this.countFor(manager, [organisation], period, withAbove(actor));
      return {
        item,
        period: { from: period.from, to: period.to },
        wholeAuthority: !isSettingKind(actor.organisationKind),
      };
    });
  }

  private async countFor(
    manager: EntityManager,
    organisations: Array<{ id: string; name: string; nameCy: string | null; kind: OrganisationKind }>,
    period: CountPeriod,
    above: boolean,
  ): Promise<ReferralBalanceItem[]> {
    const counts = new Map(organisations.map((organisation) => [organisation.id, emptyCounts(above)]));
    if (organisations.length > 0) {
      const ids = organisations.map((organisation) => organisation.id);
      for (const row of await this.counts.measureCounts(manager, ids, period)) {
        const target = counts.get(row.organisationId);
        if (target) addMeasure(target, row.measure, Number(row.n));
      }
      for (const target of counts.values()) deriveSummaries(target);
    }
    return organisations.map((organisation) => ({
      organisationId: organisation.id,
      name: organisation.name,
      nameCy: organisation.nameCy,
      kind: organisation.kind,
      ...counts.get(organisation.id)!,
    }));
  }
}

const scopeOf = (actor: Actor) =>
  isSettingKind(actor.organisationKind)
    ? { organisationId: actor.organisationId }
    : { localAuthorityId: actor.localAuthorityId };

/**
 * One summed measure of dsp's counts (defined in dsp/referral-balance-count-writer.ts) into the
 * figures. A measure or code this version does not know is ignored, not invented.
 */
function addMeasure(target: ReferralBalanceCounts, measure: string, n: number): void {
  const [kind, code, outcome] = measure.split('.');
  if (kind === 'concerns') target.concerns += n;
  else if (kind === 'decision') addTo(target.decisions, code, n);
  else if (kind === 'decision_below') target.decisionsBelowGuidance += n;
  else if (kind === 'unreported') target.levelFourOrZeroNotReferred += n;
  else if (kind === 'referral') addTo(target.escalations, code, n);
  else if (kind === 'against') target.againstRecommendation += n;
  else if (kind === 'above') {
    if (target.aboveGuidance !== undefined) target.aboveGuidance += n;
  } else if (kind === 'outcome') {
    if (code === 'mash') addTo(target.mashOutcomes, outcome, n);
    if (code === 'early_help') addTo(target.earlyHelpOutcomes, outcome, n);
    if (code === 'designated_officer') addTo(target.designatedOfficerOutcomes, outcome, n);
  }
}

/** Only the local authority lead's answer carries the above-guidance figure. */
const withAbove = (actor: Actor) => actor.role === 'la_lead';

/** The single figures kept from before (API.md) and the stepped-up figure, from the outcome records. */
function deriveSummaries(counts: ReferralBalanceCounts): void {
  counts.mashRedirectedToEarlyHelp = counts.mashOutcomes.redirect_early_help;
  counts.mashNoFurtherAction = counts.mashOutcomes.no_further_action;
  counts.earlyHelpSteppedUpToMash = counts.earlyHelpOutcomes.stepped_up_to_mash;
}

/** The same numbers summed over the organisations. */
export function sumCounts(items: ReferralBalanceCounts[], withAboveGuidance = false): ReferralBalanceCounts {
  const totals = emptyCounts(withAboveGuidance);
  const addAll = (into: Record<string, number>, from: Record<string, number>) => {
    for (const key of Object.keys(into)) into[key] += from[key] ?? 0;
  };
  for (const item of items) {
    totals.concerns += item.concerns;
    addAll(totals.decisions, item.decisions);
    totals.decisionsBelowGuidance += item.decisionsBelowGuidance;
    totals.levelFourOrZeroNotReferred += item.levelFourOrZeroNotReferred;
    addAll(totals.escalations, item.escalations);
    addAll(totals.mashOutcomes, item.mashOutcomes);
    addAll(totals.earlyHelpOutcomes, item.earlyHelpOutcomes);
    addAll(totals.designatedOfficerOutcomes, item.designatedOfficerOutcomes);
    totals.againstRecommendation += item.againstRecommendation;
    if (totals.aboveGuidance !== undefined) totals.aboveGuidance += item.aboveGuidance ?? 0;
  }
  deriveSummaries(totals);
  return totals;
}

import { FormError } from '../web/forms';
import { DECISION_OUTCOMES, ESCALATION_ROUTES } from '../guidance/codes';
import { ReferralBalanceCounts, ReferralBalanceReport } from './referral-balance.service';
import { PeriodProblem, ReportPeriodError } from './report-period';

/**
 * View models for `views/reports/referral-balance.hbs`: plain objects, with the bar chart's geometry
 * worked out here so the template only places numbers (the CSP forbids inline styles, so the SVG uses
 * presentation attributes: x, y, width, height, fill).
 */

export interface ChartBar {
  labelKey: string;
  value: number;
  labelY: number;
  barY: number;
  width: number;
  valueX: number;
  valueY: number;
  fill: string;
}

export interface ChartView {
  titleId: string;
  descId: string;
  height: number;
  bars: ChartBar[];
  /** For the <desc>: the same numbers in words. */
  numbers: {
    mash: number;
    earlyHelp: number;
    designatedOfficer: number;
    police: number;
    redirected: number;
    noFurtherAction: number;
  };
}

export interface TableRow {
  labelKey: string;
  value: number;
}

export interface TableGroup {
  /** A row-group heading, or none for the first group (the concerns count). */
  headingKey: string | null;
  rows: TableRow[];
}

export interface OrganisationView {
  id: string;
  headingId: string;
  name: string;
  kind: string;
  chart: ChartView;
  table: TableGroup[];
}

export interface ComparisonRow {
  name: string;
  kind: string | null;
  concerns: number;
  mash: number;
  earlyHelp: number;
  designatedOfficer: number;
  police: number;
  redirected: number;
  noFurtherAction: number;
  againstRecommendation: number;
}

export interface ReferralBalancePageView {
  title: string;
  form: { from: string; to: string };
  errors?: FormError[];
  report: {
    period: { from: string; to: string };
    organisations: OrganisationView[];
    /** Several organisations (a local authority's view): compare them, with a totals row. */
    comparison: { rows: ComparisonRow[]; totals: ComparisonRow } | null;
  } | null;
}

// Chart layout, in SVG user units (the SVG scales to its box; see .app-chart in app.css).
const CHART_WIDTH = 320;
const VALUE_ROOM = 48;
const ROW_HEIGHT = 44;
const LABEL_HEIGHT = 16;
const GROUP_GAP = 14;
const TOP = 4;

/** Bar colours: each at least 4.5:1 against white; every bar also carries its label and number. */
const FILLS = {
  mash: '#1d3f5e',
  early_help: '#0f7a52',
  designated_officer: '#6f3c97',
  police: '#505a5f',
  redirected: '#1d70b8',
  noFurtherAction: '#6b3f00',
} as const;

function chartFor(index: number, counts: ReferralBalanceCounts, scaleMax: number): ChartView {
  const entries: Array<{ labelKey: string; value: number; fill: string; groupStart?: boolean }> = [
    ...ESCALATION_ROUTES.map((route) => ({
      labelKey: `escalationRoutes.${route}`,
      value: counts.escalations[route],
      fill: FILLS[route],
    })),
    {
      labelKey: 'reports.chart.redirected',
      value: counts.mashRedirectedToEarlyHelp,
      fill: FILLS.redirected,
      groupStart: true,
    },
    { labelKey: 'reports.chart.noFurtherAction', value: counts.mashNoFurtherAction, fill: FILLS.noFurtherAction },
  ];
  let y = TOP;
  const bars = entries.map((entry) => {
    if (entry.groupStart) y += GROUP_GAP;
    const width =
      scaleMax > 0 && entry.value > 0
        ? Math.max(2, Math.round(((CHART_WIDTH - VALUE_ROOM) * entry.value) / scaleMax))
        : 0;
    const barY = y + LABEL_HEIGHT + 2;
    const bar: ChartBar = {
      labelKey: entry.labelKey,
      value: entry.value,
      labelY: y + 13,
      barY,
      width,
      valueX: width + 6,
      valueY: barY + 14,
      fill: entry.fill,
    };
    y += ROW_HEIGHT;
    return bar;
  });
  return {
    titleId: `rb-chart-${index}-title`,
    descId: `rb-chart-${index}-desc`,
    height: y,
    bars,
    numbers: {
      mash: counts.escalations.mash,
      earlyHelp: counts.escalations.early_help,
      designatedOfficer: counts.escalations.designated_officer,
      police: counts.escalations.police,
      redirected: counts.mashRedirectedToEarlyHelp,
      noFurtherAction: counts.mashNoFurtherAction,
    },
  };
}

function tableFor(counts: ReferralBalanceCounts): TableGroup[] {
  return [
    { headingKey: null, rows: [{ labelKey: 'reports.measures.concerns', value: counts.concerns }] },
    {
      headingKey: 'reports.measures.decisionsHeading',
      rows: DECISION_OUTCOMES.map((outcome) => ({
        labelKey: `decisionOutcomes.${outcome}`,
        value: counts.decisions[outcome],
      })),
    },
    {
      headingKey: 'reports.measures.referralsHeading',
      rows: ESCALATION_ROUTES.map((route) => ({
        labelKey: `escalationRoutes.${route}`,
        value: counts.escalations[route],
      })),
    },
    {
      headingKey: 'reports.measures.mashHeading',
      rows: [
        { labelKey: 'reports.measures.mashRedirectedToEarlyHelp', value: counts.mashRedirectedToEarlyHelp },
        { labelKey: 'reports.measures.mashNoFurtherAction', value: counts.mashNoFurtherAction },
        { labelKey: 'reports.measures.againstRecommendation', value: counts.againstRecommendation },
      ],
    },
  ];
}

function comparisonRow(name: string, kind: string | null, counts: ReferralBalanceCounts): ComparisonRow {
  return {
    name,
    kind,
    concerns: counts.concerns,
    mash: counts.escalations.mash,
    earlyHelp: counts.escalations.early_help,
    designatedOfficer: counts.escalations.designated_officer,
    police: counts.escalations.police,
    redirected: counts.mashRedirectedToEarlyHelp,
    noFurtherAction: counts.mashNoFurtherAction,
    againstRecommendation: counts.againstRecommendation,
  };
}

const charted = (counts: ReferralBalanceCounts) => [
  ...ESCALATION_ROUTES.map((route) => counts.escalations[route]),
  counts.mashRedirectedToEarlyHelp,
  counts.mashNoFurtherAction,
];

/** The page for a report. Every chart on the page shares one scale, so schools compare at a glance. */
export function toReferralBalancePage(report: ReferralBalanceReport): ReferralBalancePageView {
  const scaleMax = Math.max(0, ...report.items.flatMap(charted));
  return {
    title: 'reports.referralBalance.title',
    // The dates counted, defaults included, so the person sees them and can change them.
    form: { from: report.period.from, to: report.period.to },
    report: {
      period: report.period,
      organisations: report.items.map((item, index) => ({
        id: item.organisationId,
        headingId: `rb-organisation-${index}`,
        name: item.name,
        kind: item.kind,
        chart: chartFor(index, item, scaleMax),
        table: tableFor(item),
      })),
      comparison:
        report.items.length > 1
          ? {
              rows: report.items.map((item) => comparisonRow(item.name, item.kind, item)),
              totals: comparisonRow('', null, report.totals),
            }
          : null,
    },
  };
}

const PROBLEM_KEYS: Record<'from' | 'to', Partial<Record<PeriodProblem, string>>> = {
  from: { invalid: 'reports.errors.fromInvalid', after_today: 'reports.errors.fromAfterToday' },
  to: { invalid: 'reports.errors.toInvalid', before_from: 'reports.errors.toBeforeFrom' },
};

/** The form again, with the person's input and what to correct (from first); no figures. */
export function toReferralBalanceErrorPage(
  form: { from?: string; to?: string },
  error: ReportPeriodError,
): ReferralBalancePageView {
  const errors = (['from', 'to'] as const).flatMap((field) => {
    const problem = error.problems[field];
    return problem ? [{ field, key: PROBLEM_KEYS[field][problem] ?? 'reports.errors.periodInvalid' }] : [];
  });
  return {
    title: 'reports.referralBalance.title',
    form: { from: form.from ?? '', to: form.to ?? '' },
    errors,
    report: null,
  };
}

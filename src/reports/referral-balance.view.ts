import { FormError } from '../web/forms';
import { DECISION_OUTCOMES, DESIGNATED_OFFICER_OUTCOMES, EARLY_HELP_OUTCOMES, MASH_OUTCOMES } from '../guidance/codes';
import { defaultDirection, NUMBER_COLUMNS, SortDirection, SortKey, sortItems } from './referral-balance.columns';
import {
  ReferralBalanceCounts,
  ReferralBalanceOrganisationReport,
  ReferralBalanceReport,
} from './referral-balance.service';
import { PeriodProblem, ReportPeriodError } from './report-period';

/**
 * View models for `views/reports/referral-balance.hbs` (one table, one row per school or PRU) and
 * `views/reports/referral-balance-organisation.hbs` (one school or PRU in full). Plain objects: the
 * templates only place them. Nothing here reads `aboveGuidance`: that figure is never on a page.
 */

const BASE = '/reports/referral-balance';

export interface PeriodForm {
  from: string;
  to: string;
}

export interface HeaderView {
  labelKey: string;
  numeric: boolean;
  href: string;
  /** aria-sort on the column being sorted; absent on the others. */
  ariaSort: 'ascending' | 'descending' | null;
}

export interface CellView {
  labelKey: string;
  value: number;
}

export interface RowView {
  name: string;
  nameCy: string | null;
  kind: string;
  href: string;
  cells: CellView[];
}

export interface TablePageView {
  title: string;
  form: PeriodForm & { sort: SortKey; dir: SortDirection };
  errors?: FormError[];
  report: {
    period: { from: string; to: string };
    count: number;
    headers: HeaderView[];
    rows: RowView[];
    totals: CellView[];
  } | null;
}

export interface MeasureView {
  labelKey: string;
  value: number;
  /** What the figure means, in a sentence. */
  hintKey: string | null;
}

export interface SectionView {
  id: string;
  headingKey: string;
  introKey: string | null;
  rows: MeasureView[];
}

export interface OrganisationPageView {
  titleText: string;
  name: string;
  nameCy: string | null;
  kind: string;
  action: string;
  backHref: string | null;
  form: PeriodForm;
  errors?: FormError[];
  report: { period: { from: string; to: string }; sections: SectionView[] } | null;
}

const query = (params: Record<string, string | undefined>) => {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value) search.set(key, value);
  const text = search.toString();
  return text ? `?${text}` : '';
};

const ARIA_SORT = { asc: 'ascending', desc: 'descending' } as const;

/**
 * The table: sorted as asked, a totals row over every school and PRU. Each heading links to the same
 * page sorted by that column (again: the other way round), keeping the period.
 */
export function toReferralBalanceTable(
  report: ReferralBalanceReport,
  sort: SortKey = 'name',
  dir: SortDirection = defaultDirection(sort),
): TablePageView {
  const period = { from: report.period.from, to: report.period.to };
  const header = (key: SortKey, labelKey: string, numeric: boolean): HeaderView => {
    const current = key === sort;
    const next = current ? (dir === 'asc' ? 'desc' : 'asc') : defaultDirection(key);
    return {
      labelKey,
      numeric,
      href: `${BASE}${query({ ...period, sort: key, dir: next })}`,
      ariaSort: current ? ARIA_SORT[dir] : null,
    };
  };
  const cells = (counts: ReferralBalanceCounts) =>
    NUMBER_COLUMNS.map((column) => ({ labelKey: column.labelKey, value: column.value(counts) }));
  return {
    title: 'reports.referralBalance.title',
    form: { ...period, sort, dir },
    report: {
      period,
      count: report.items.length,
      headers: [
        header('name', 'reports.columns.organisation', false),
        ...NUMBER_COLUMNS.map((column) => header(column.key, column.labelKey, true)),
      ],
      rows: sortItems(report.items, sort, dir).map((item) => ({
        name: item.name,
        nameCy: item.nameCy,
        kind: item.kind,
        href: `${BASE}/${item.organisationId}${query(period)}`,
        cells: cells(item),
      })),
      totals: cells(report.totals),
    },
  };
}

const measure = (labelKey: string, value: number, hintKey: string | null = null): MeasureView => ({
  labelKey,
  value,
  hintKey,
});

/** What the school's figures say, grouped so both directions are read side by side. */
function sectionsFor(counts: ReferralBalanceCounts): SectionView[] {
  const mashAnswered = MASH_OUTCOMES.reduce((sum, outcome) => sum + counts.mashOutcomes[outcome], 0);
  const earlyHelpAnswered = EARLY_HELP_OUTCOMES.reduce((sum, outcome) => sum + counts.earlyHelpOutcomes[outcome], 0);
  const officerAnswered = DESIGNATED_OFFICER_OUTCOMES.reduce(
    (sum, outcome) => sum + counts.designatedOfficerOutcomes[outcome],
    0,
  );
  return [
    {
      id: 'rb-reporting',
      headingKey: 'reports.sections.reporting.heading',
      introKey: 'reports.sections.reporting.intro',
      rows: [
        measure(
          'reports.measures.levelFourOrZeroNotReferred',
          counts.levelFourOrZeroNotReferred,
          'reports.hints.levelFourOrZeroNotReferred',
        ),
        measure(
          'reports.measures.decisionsBelowGuidance',
          counts.decisionsBelowGuidance,
          'reports.hints.decisionsBelowGuidance',
        ),
        measure(
          'reports.measures.earlyHelpSteppedUpToMash',
          counts.earlyHelpSteppedUpToMash,
          'reports.hints.earlyHelpSteppedUpToMash',
        ),
        measure(
          'reports.measures.againstRecommendation',
          counts.againstRecommendation,
          'reports.hints.againstRecommendation',
        ),
      ],
    },
    {
      id: 'rb-mash',
      headingKey: 'reports.sections.mash.heading',
      introKey: 'reports.sections.mash.intro',
      rows: [
        measure('reports.measures.mashReferrals', counts.escalations.mash, 'reports.hints.mashReferrals'),
        ...MASH_OUTCOMES.map((outcome) =>
          measure(`laOutcomes.${outcome}`, counts.mashOutcomes[outcome], `reports.hints.mashOutcomes.${outcome}`),
        ),
        measure(
          'reports.measures.noAnswerYet',
          Math.max(0, counts.escalations.mash - mashAnswered),
          'reports.hints.noAnswerYet',
        ),
      ],
    },
    {
      id: 'rb-early-help',
      headingKey: 'reports.sections.earlyHelp.heading',
      introKey: 'reports.sections.earlyHelp.intro',
      rows: [
        measure(
          'reports.measures.earlyHelpReferrals',
          counts.escalations.early_help,
          'reports.hints.earlyHelpReferrals',
        ),
        ...EARLY_HELP_OUTCOMES.map((outcome) =>
          measure(
            `laOutcomes.${outcome}`,
            counts.earlyHelpOutcomes[outcome],
            `reports.hints.earlyHelpOutcomes.${outcome}`,
          ),
        ),
        measure(
          'reports.measures.noAnswerYet',
          Math.max(0, counts.escalations.early_help - earlyHelpAnswered),
          'reports.hints.noAnswerYet',
        ),
      ],
    },
    {
      id: 'rb-other-routes',
      headingKey: 'reports.sections.otherRoutes.heading',
      introKey: null,
      rows: [
        measure(
          'reports.measures.designatedOfficerReferrals',
          counts.escalations.designated_officer,
          'reports.hints.designatedOfficerReferrals',
        ),
        ...DESIGNATED_OFFICER_OUTCOMES.map((outcome) =>
          measure(`reports.measures.designatedOfficerOutcomes.${outcome}`, counts.designatedOfficerOutcomes[outcome]),
        ),
        measure('reports.measures.noAnswerYet', Math.max(0, counts.escalations.designated_officer - officerAnswered)),
        measure('reports.measures.policeReferrals', counts.escalations.police, 'reports.hints.policeReferrals'),
      ],
    },
    {
      id: 'rb-decisions',
      headingKey: 'reports.sections.decisions.heading',
      introKey: 'reports.sections.decisions.intro',
      rows: [
        measure('reports.measures.concerns', counts.concerns, 'reports.hints.concerns'),
        ...DECISION_OUTCOMES.map((outcome) => measure(`decisionOutcomes.${outcome}`, counts.decisions[outcome])),
        measure(
          'reports.measures.undecided',
          Math.max(0, counts.concerns - DECISION_OUTCOMES.reduce((sum, outcome) => sum + counts.decisions[outcome], 0)),
          'reports.hints.undecided',
        ),
      ],
    },
  ];
}

/** One school or PRU in full; the way back to the table only for someone who sees every school. */
export function toReferralBalanceOrganisationPage(
  report: ReferralBalanceOrganisationReport,
  titleText: string,
): OrganisationPageView {
  const period = { from: report.period.from, to: report.period.to };
  return {
    titleText,
    name: report.item.name,
    nameCy: report.item.nameCy,
    kind: report.item.kind,
    action: `${BASE}/${report.item.organisationId}`,
    backHref: report.wholeAuthority ? `${BASE}${query(period)}` : null,
    form: period,
    report: { period, sections: sectionsFor(report.item) },
  };
}

const PROBLEM_KEYS: Record<'from' | 'to', Partial<Record<PeriodProblem, string>>> = {
  from: { invalid: 'reports.errors.fromInvalid', after_today: 'reports.errors.fromAfterToday' },
  to: { invalid: 'reports.errors.toInvalid', before_from: 'reports.errors.toBeforeFrom' },
};

/** The period's errors for the summary, from first. */
export function periodErrors(error: ReportPeriodError): FormError[] {
  return (['from', 'to'] as const).flatMap((field) => {
    const problem = error.problems[field];
    return problem ? [{ field, key: PROBLEM_KEYS[field][problem] ?? 'reports.errors.periodInvalid' }] : [];
  });
}

/** The table's form again, with the person's input and what to correct; no figures. */
export function toReferralBalanceErrorPage(
  form: { from?: string; to?: string; sort?: SortKey; dir?: SortDirection },
  error: ReportPeriodError,
): TablePageView {
  const sort = form.sort ?? 'name';
  return {
    title: 'reports.referralBalance.title',
    form: { from: form.from ?? '', to: form.to ?? '', sort, dir: form.dir ?? defaultDirection(sort) },
    errors: periodErrors(error),
    report: null,
  };
}

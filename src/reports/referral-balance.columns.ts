import { ReferralBalanceCounts, ReferralBalanceItem } from './referral-balance.service';

/**
 * The columns of the referral-balance table (one row per school or PRU), in the order shown, and the
 * sort each one offers (`?sort=<key>&dir=asc|desc`). Numbers first sort highest first; the name A to Z.
 * Ties keep the name order, so a sort never shuffles equal rows between requests.
 */
export const SORT_KEYS = [
  'name',
  'concerns',
  'unreported',
  'below',
  'mash',
  'early_help',
  'stepped_up',
  'mash_assessed',
  'redirected',
  'mash_closed',
] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export const SORT_DIRECTIONS = ['asc', 'desc'] as const;
export type SortDirection = (typeof SORT_DIRECTIONS)[number];

export interface NumberColumn {
  key: Exclude<SortKey, 'name'>;
  /** The column heading (i18n key); every cell repeats it for the small-screen layout. */
  labelKey: string;
  value: (counts: ReferralBalanceCounts) => number;
}

export const NUMBER_COLUMNS: readonly NumberColumn[] = [
  { key: 'concerns', labelKey: 'reports.columns.concerns', value: (c) => c.concerns },
  { key: 'unreported', labelKey: 'reports.columns.unreported', value: (c) => c.levelFourOrZeroNotReferred },
  { key: 'below', labelKey: 'reports.columns.below', value: (c) => c.decisionsBelowGuidance },
  { key: 'mash', labelKey: 'reports.columns.mash', value: (c) => c.escalations.mash },
  { key: 'early_help', labelKey: 'reports.columns.earlyHelp', value: (c) => c.escalations.early_help },
  { key: 'stepped_up', labelKey: 'reports.columns.steppedUp', value: (c) => c.earlyHelpSteppedUpToMash },
  {
    key: 'mash_assessed',
    labelKey: 'reports.columns.mashAssessed',
    value: (c) => c.mashOutcomes.strategy_discussion + c.mashOutcomes.care_and_support_assessment,
  },
  { key: 'redirected', labelKey: 'reports.columns.redirected', value: (c) => c.mashOutcomes.redirect_early_help },
  {
    key: 'mash_closed',
    labelKey: 'reports.columns.mashClosed',
    value: (c) => c.mashOutcomes.information_advice_assistance + c.mashOutcomes.no_further_action,
  },
];

export const defaultDirection = (key: SortKey): SortDirection => (key === 'name' ? 'asc' : 'desc');

const byName = (a: ReferralBalanceItem, b: ReferralBalanceItem) =>
  a.name.localeCompare(b.name, 'en-GB') || a.organisationId.localeCompare(b.organisationId);

/** A sorted copy: a few hundred rows at most (one per school or PRU), never one per concern. */
export function sortItems(items: ReferralBalanceItem[], key: SortKey, direction: SortDirection): ReferralBalanceItem[] {
  const sign = direction === 'asc' ? 1 : -1;
  const column = NUMBER_COLUMNS.find((candidate) => candidate.key === key);
  return [...items].sort((a, b) => {
    if (!column) return sign * byName(a, b);
    return sign * (column.value(a) - column.value(b)) || byName(a, b);
  });
}

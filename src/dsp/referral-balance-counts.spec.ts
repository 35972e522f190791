import { REFERRAL_BALANCE_COLUMNS } from '../database/migrations/1764640200000-ReferralBalanceCounts';
import {
  DECISION_OUTCOMES,
  DESIGNATED_OFFICER_OUTCOMES,
  EARLY_HELP_OUTCOMES,
  ESCALATION_ROUTES,
  MASH_OUTCOMES,
} from '../guidance/codes';

describe('referral_balance_counts columns', () => {
  it('has a count column for every decision outcome, route and local-authority outcome the report shows', () => {
    const measures = new Set(REFERRAL_BALANCE_COLUMNS.map((column) => column.measure));
    const expected = [
      'concerns',
      'decision_below',
      'unreported',
      'against',
      'above',
      ...DECISION_OUTCOMES.map((outcome) => `decision.${outcome}`),
      ...ESCALATION_ROUTES.map((route) => `referral.${route}`),
      ...MASH_OUTCOMES.map((outcome) => `outcome.mash.${outcome}`),
      ...EARLY_HELP_OUTCOMES.map((outcome) => `outcome.early_help.${outcome}`),
      ...DESIGNATED_OFFICER_OUTCOMES.map((outcome) => `outcome.designated_officer.${outcome}`),
    ];
    expect(expected.filter((measure) => !measures.has(measure))).toEqual([]);
    // Column names are plain identifiers within PostgreSQL's 63 characters.
    for (const column of REFERRAL_BALANCE_COLUMNS) expect(column.name).toMatch(/^[a-z_]{1,63}$/);
  });
});

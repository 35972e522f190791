/**
 * A referral's status, defined once. It is derived from the local authority's appended records:
 * decided once it has an outcome; acknowledged once acknowledged; sent before that. `referralStatus`
 * is the rule in code (single records); `ReferralStatusSql` is the same rule as SQL (lists, filters
 * and ordering). test/medium/derived-status.medium-spec.ts checks that the two agree.
 */
export const ESCALATION_STATUSES = ['sent', 'acknowledged', 'decided'] as const;
export type EscalationStatus = (typeof ESCALATION_STATUSES)[number];

export interface ReferralStatusFacts {
  acknowledged: boolean;
  decided: boolean;
}

export function referralStatus(facts: ReferralStatusFacts): EscalationStatus {
  return facts.decided ? 'decided' : facts.acknowledged ? 'acknowledged' : 'sent';
}

/** The same rule as SQL conditions over an escalations alias (`alias.id` is the referral's id). */
export const ReferralStatusSql = {
  decided: (alias: string) =>
    `EXISTS (SELECT 1 FROM escalation_outcomes s_outcome WHERE s_outcome.escalation_id = ${alias}.id)`,
  acknowledged: (alias: string) =>
    `EXISTS (SELECT 1 FROM escalation_acknowledgements s_ack WHERE s_ack.escalation_id = ${alias}.id)`,
  /** The referral has `status`. */
  is(status: EscalationStatus, alias: string): string {
    if (status === 'decided') return ReferralStatusSql.decided(alias);
    if (status === 'acknowledged')
      return `NOT ${ReferralStatusSql.decided(alias)} AND ${ReferralStatusSql.acknowledged(alias)}`;
    return `NOT ${ReferralStatusSql.decided(alias)} AND NOT ${ReferralStatusSql.acknowledged(alias)}`;
  },
};

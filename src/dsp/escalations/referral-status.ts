/**
 * A referral's status, defined once. It is derived from the local authority's appended records:
 * decided once it has an outcome; acknowledged once acknowledged; sent before that. `referralStatus`
 * is the rule in code (single records); `referral_states` stores it per referral (written by the same
 * rule in SQL, referral-state-projection.ts), and `ReferralStatusSql` reads it (lists, filters and
 * ordering). test/medium/derived-status.medium-spec.ts checks that they agree after each kind of append.
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

/** A status as `referral_states.status_rank` stores it: the order a referral passes through them. */
export const REFERRAL_STATUS_RANK: Record<EscalationStatus, number> = { sent: 0, acknowledged: 1, decided: 2 };

/**
 * The same rule as SQL, reading the stored state (`referral_states`, written from the records by
 * referral-state-projection.ts in the transaction of every append). `state` conditions are over a
 * referral_states alias (lists and counts, served by its indexes); the others over an escalations
 * alias (`alias.id` is the referral's id), one primary-key lookup per referral.
 */
export const ReferralStatusSql = {
  state: {
    is: (status: EscalationStatus, stateAlias: string) => `${stateAlias}.status_rank = ${REFERRAL_STATUS_RANK[status]}`,
    /** Not decided yet. Written `< 2` exactly: the partial indexes' condition (SQLite matches it as written). */
    undecided: (stateAlias: string) => `${stateAlias}.status_rank < 2`,
  },
  decided: (alias: string) => ReferralStatusSql.is('decided', alias),
  acknowledged: (alias: string) =>
    `EXISTS (SELECT 1 FROM referral_states s_state WHERE s_state.escalation_id = ${alias}.id AND s_state.status_rank >= 1)`,
  /** The referral has `status`. */
  is: (status: EscalationStatus, alias: string): string =>
    `EXISTS (SELECT 1 FROM referral_states s_state WHERE s_state.escalation_id = ${alias}.id ` +
    `AND ${ReferralStatusSql.state.is(status, 's_state')})`,
};

import { CONCERN_STATUSES, ConcernStatus } from './dto/list-concerns.dto';

/**
 * A concern's status, defined once. It is derived from which appended records exist: closed once
 * closed; open once a DSP has decided or referred; awaiting triage before that. `concernStatus` is
 * the rule in code; the derived projection `concern_states` (dsp/concern-states) stores its result
 * per concern, written in the same transaction as every append, and `ConcernStatusSql` reads it (lists,
 * filters and ordering). test/medium/derived-status.medium-spec.ts checks that the stored state agrees
 * with the rule after each kind of append.
 */
export interface ConcernStatusFacts {
  closed: boolean;
  decided: boolean;
  referred: boolean;
}

export function concernStatus(facts: ConcernStatusFacts): ConcernStatus {
  if (facts.closed) return 'closed';
  return facts.decided || facts.referred ? 'open' : 'awaiting_triage';
}

/** 0 awaiting triage, 1 open, 2 closed: the order lists show them in, as `concern_states.status_rank` stores it. */
export function statusRank(status: ConcernStatus): number {
  return CONCERN_STATUSES.indexOf(status);
}

export function statusOfRank(rank: number | string): ConcernStatus {
  return CONCERN_STATUSES[Number(rank)];
}

/**
 * The rule as SQL over a concerns alias (`alias.id` is the concern's id), read from the stored state
 * (one primary-key lookup per concern). Lists read `concern_states` directly, in its indexes' order.
 */
export const ConcernStatusSql = {
  /** 0 awaiting triage, 1 open, 2 closed. */
  rank: (alias: string) =>
    `(SELECT s_state.status_rank FROM concern_states s_state WHERE s_state.concern_id = ${alias}.id)`,
  closed: (alias: string) => `${ConcernStatusSql.rank(alias)} = ${statusRank('closed')}`,
  /** The concern has `status`. */
  is: (status: ConcernStatus, alias: string) => `${ConcernStatusSql.rank(alias)} = ${statusRank(status)}`,
};

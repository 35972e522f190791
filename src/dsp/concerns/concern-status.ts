import { ConcernStatus } from './dto/list-concerns.dto';

/**
 * A concern's status, defined once. It is derived from which appended records exist: closed once
 * closed; open once a DSP has decided or referred; awaiting triage before that. `concernStatus` is
 * the rule in code (single records); `ConcernStatusSql` is the same rule as SQL (lists, filters and
 * ordering). test/medium/derived-status.medium-spec.ts checks that the two agree.
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

/** The same rule as SQL conditions over a concerns alias (`alias.id` is the concern's id). */
export const ConcernStatusSql = {
  closed: (alias: string) =>
    `EXISTS (SELECT 1 FROM concern_closures s_closure WHERE s_closure.concern_id = ${alias}.id)`,
  actedOn: (alias: string) =>
    `(EXISTS (SELECT 1 FROM concern_decisions s_decision WHERE s_decision.concern_id = ${alias}.id) ` +
    `OR EXISTS (SELECT 1 FROM escalations s_escalation WHERE s_escalation.concern_id = ${alias}.id))`,
  /** The concern has `status`. */
  is(status: ConcernStatus, alias: string): string {
    if (status === 'closed') return ConcernStatusSql.closed(alias);
    if (status === 'open') return `NOT ${ConcernStatusSql.closed(alias)} AND ${ConcernStatusSql.actedOn(alias)}`;
    return `NOT ${ConcernStatusSql.closed(alias)} AND NOT ${ConcernStatusSql.actedOn(alias)}`;
  },
  /** 0 awaiting triage, 1 open, 2 closed: the order lists show them in. */
  rank: (alias: string) =>
    `CASE WHEN ${ConcernStatusSql.closed(alias)} THEN 2 WHEN ${ConcernStatusSql.actedOn(alias)} THEN 1 ELSE 0 END`,
};

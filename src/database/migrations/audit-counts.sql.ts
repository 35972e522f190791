import { londonDaySql } from './1764640200000-ReferralBalanceCounts';

/**
 * `audit_counts` counted again from the whole log (audit/audit-counts.ts says what the table is): run by
 * migration 1764640500000 and, through audit's `rebuildAuditCounts`, by a bulk load.
 */
/** The statements, in order: empty the table, count days from the log, then months and all time from the days. */
export function auditCountRebuildStatements(engine: 'sqlite' | 'postgres'): string[] {
  const day = londonDaySql(engine, 'at');
  return [
    'DELETE FROM audit_counts',
    `INSERT INTO audit_counts (organisation_id, span, bucket, action, n)
       SELECT actor_organisation_id, 'day', ${day}, action, COUNT(*) FROM audit_entries
       WHERE actor_organisation_id IS NOT NULL GROUP BY actor_organisation_id, ${day}, action`,
    `INSERT INTO audit_counts (organisation_id, span, bucket, action, n)
       SELECT organisation_id, 'month', substr(bucket, 1, 7), action, SUM(n) FROM audit_counts
       WHERE span = 'day' GROUP BY organisation_id, substr(bucket, 1, 7), action`,
    `INSERT INTO audit_counts (organisation_id, span, bucket, action, n)
       SELECT organisation_id, 'all', '', action, SUM(n) FROM audit_counts
       WHERE span = 'month' GROUP BY organisation_id, action`,
  ];
}

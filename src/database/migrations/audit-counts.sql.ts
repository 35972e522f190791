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

/** The SQLite trigger that counts each entry as it is inserted (migration 1764643200000). */
export const AUDIT_COUNT_TRIGGER = 'audit_entries_counted';

/**
 * SQLite only: counts every entry inserted into `audit_entries` in the same statement that inserts it,
 * as the rebuild above counts it (by its organisation, action and London day, month and all time;
 * none without an organisation). PostgreSQL counts in code instead: its chainer moves and counts a
 * batch in one statement. Careful: SQLite drops a table's triggers with it, so a migration that
 * rebuilds `audit_entries` (TypeORM does so to alter a column on SQLite) must create this again.
 */
export function auditCountTriggerSql(): string {
  const day = londonDaySql('sqlite', 'NEW.at');
  return `CREATE TRIGGER ${AUDIT_COUNT_TRIGGER} AFTER INSERT ON audit_entries
    WHEN NEW.actor_organisation_id IS NOT NULL
    BEGIN
      INSERT INTO audit_counts (organisation_id, span, bucket, action, n) VALUES
        (NEW.actor_organisation_id, 'day', ${day}, NEW.action, 1),
        (NEW.actor_organisation_id, 'month', substr(${day}, 1, 7), NEW.action, 1),
        (NEW.actor_organisation_id, 'all', '', NEW.action, 1)
      ON CONFLICT (organisation_id, span, bucket, action) DO UPDATE SET n = n + 1;
    END`;
}

import { MigrationInterface, QueryRunner, Table } from 'typeorm';

/**
 * Issue 9, the referral balance at local-authority scale: its figures were counted from the whole
 * history on every request (each concern's latest decision found with a NOT EXISTS over every
 * decision: seconds at a million concerns, and on PostgreSQL a stall for every other user).
 *
 * `referral_balance_counts` is a derived read model owned by dsp: integer counts per school or PRU,
 * London calendar day (`span` 'day', bucket `YYYY-MM-DD`) and London month (`span` 'month', bucket
 * `YYYY-MM`), and measure. dsp's ReferralBalanceCountWriter keeps it up to date in the SAME transaction
 * as each append that changes a figure; the report sums whole months plus the days at either end.
 * No safeguarding record is edited: the counts can always be rebuilt from the append-only tables
 * (`referralBalanceRebuildStatements`, below; dsp's `rebuildReferralBalanceCounts` runs the same SQL).
 *
 * The measures (their exact definitions are in dsp/referral-balance-count-writer.ts):
 * - by the concern's organisation and the London day it OCCURRED: `concerns`; `decision.<outcome>` and
 *   `decision_below` (the concern's latest decision, by decided_at then id); `unreported` (guidance
 *   level 4 or 0, no referral to MASH, the designated officer or the police);
 * - by the referral's organisation and the London day it was SENT, the school's own referrals only
 *   (not an early-help referral a MASH redirect created): `referral.<route>`, `against`, `above`, and
 *   `outcome.<route>.<outcome>` for the local authority's answer to it.
 */
export class ReferralBalanceCounts1764640200000 implements MigrationInterface {
  name = 'ReferralBalanceCounts1764640200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'referral_balance_counts',
        columns: [
          { name: 'organisation_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'span', type: 'varchar', length: '5', isPrimary: true },
          { name: 'bucket', type: 'varchar', length: '10', isPrimary: true },
          { name: 'measure', type: 'varchar', length: '100', isPrimary: true },
          { name: 'n', type: 'integer', default: 0 },
        ],
      }),
    );
    for (const statement of referralBalanceRebuildStatements(engineOf(queryRunner))) {
      await queryRunner.query(statement);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('referral_balance_counts');
  }
}

export type CountsEngine = 'sqlite' | 'postgres';

const engineOf = (queryRunner: QueryRunner): CountsEngine =>
  queryRunner.connection.options.type === 'postgres' ? 'postgres' : 'sqlite';

/**
 * The London calendar date (`YYYY-MM-DD`) of an instant column (fixed-width UTC ISO text). PostgreSQL
 * has the time-zone database. SQLite has not: UK summer time runs from 01:00 UTC on the last Sunday of
 * March to 01:00 UTC on the last Sunday of October (every year since 1996), one hour ahead of UTC.
 */
export function londonDaySql(engine: CountsEngine, column: string): string {
  if (engine === 'postgres') {
    return `to_char((${column})::timestamptz AT TIME ZONE 'Europe/London', 'YYYY-MM-DD')`;
  }
  const lastSunday = (month: string) =>
    `(date(substr(${column}, 1, 4) || '-${month}-31', '-6 days', 'weekday 0') || 'T01:00:00.000Z')`;
  return (
    `date(${column}, CASE WHEN ${column} >= ${lastSunday('03')} AND ${column} < ${lastSunday('10')} ` +
    `THEN '+1 hour' ELSE '+0 hours' END)`
  );
}

/** The routes that are a report to social services or the police (DOMAIN.md, level 4 and 0). */
const REPORT_ROUTES_SQL = `('mash', 'designated_officer', 'police')`;

/**
 * Empties `referral_balance_counts` and counts every figure again from the append-only tables: the
 * day rows in one pass over the history, then the month rows from the day rows. Plain SQL for both
 * engines (booleans are tested as `CASE WHEN column`, true on SQLite's 1 and PostgreSQL's true).
 */
export function referralBalanceRebuildStatements(engine: CountsEngine): string[] {
  const occurredDay = londonDaySql(engine, 'concern.occurred_at');
  const sentDay = londonDaySql(engine, 'escalation.sent_at');
  return [
    `DELETE FROM referral_balance_counts`,
    `WITH latest_decision AS MATERIALIZED (
  SELECT concern_id, outcome, below_guidance, guidance_level FROM (
    SELECT concern_id, outcome, below_guidance, guidance_level,
      ROW_NUMBER() OVER (PARTITION BY concern_id ORDER BY decided_at DESC, id DESC) AS position
    FROM concern_decisions
  ) ranked WHERE position = 1
),
latest_referral AS MATERIALIZED (
  SELECT concern_id, recommended_level FROM (
    SELECT concern_id, recommended_level,
      ROW_NUMBER() OVER (PARTITION BY concern_id ORDER BY sent_at DESC, id DESC) AS position
    FROM escalations
  ) ranked WHERE position = 1
),
reported AS MATERIALIZED (
  SELECT DISTINCT concern_id FROM escalations WHERE route IN ${REPORT_ROUTES_SQL}
),
concern_state AS MATERIALIZED (
  SELECT concern.organisation_id AS organisation_id, ${occurredDay} AS day,
    decision.outcome AS outcome,
    CASE WHEN decision.below_guidance THEN 1 ELSE 0 END AS below,
    CASE WHEN reported.concern_id IS NULL
      AND COALESCE(decision.guidance_level, referral.recommended_level) IN (0, 4) THEN 1 ELSE 0 END AS unreported
  FROM concerns concern
  LEFT JOIN latest_decision decision ON decision.concern_id = concern.id
  LEFT JOIN latest_referral referral ON referral.concern_id = concern.id
  LEFT JOIN reported ON reported.concern_id = concern.id
),
own_referral AS MATERIALIZED (
  SELECT escalation.id AS id, escalation.organisation_id AS organisation_id, ${sentDay} AS day,
    escalation.route AS route,
    CASE WHEN escalation.against_recommendation AND (escalation.route = 'early_help'
      OR (escalation.route = 'designated_officer' AND escalation.recommended_level = 0)) THEN 1 ELSE 0 END AS against,
    CASE WHEN escalation.above_guidance OR (escalation.route IN ${REPORT_ROUTES_SQL}
      AND escalation.recommended_level IN (1, 2, 3)) THEN 1 ELSE 0 END AS above
  FROM escalations escalation
  WHERE escalation.redirected_from_id IS NULL
)
INSERT INTO referral_balance_counts (organisation_id, span, bucket, measure, n)
SELECT organisation_id, 'day', day, measure, SUM(n) FROM (
  SELECT organisation_id, day, 'concerns' AS measure, 1 AS n FROM concern_state
  UNION ALL
  SELECT organisation_id, day, 'decision.' || outcome, 1 FROM concern_state WHERE outcome IS NOT NULL
  UNION ALL
  SELECT organisation_id, day, 'decision_below', 1 FROM concern_state WHERE below = 1
  UNION ALL
  SELECT organisation_id, day, 'unreported', 1 FROM concern_state WHERE unreported = 1
  UNION ALL
  SELECT organisation_id, day, 'referral.' || route, 1 FROM own_referral
  UNION ALL
  SELECT organisation_id, day, 'against', 1 FROM own_referral WHERE against = 1
  UNION ALL
  SELECT organisation_id, day, 'above', 1 FROM own_referral WHERE above = 1
  UNION ALL
  SELECT referral.organisation_id, referral.day, 'outcome.' || referral.route || '.' || outcome.outcome, 1
  FROM own_referral referral JOIN escalation_outcomes outcome ON outcome.escalation_id = referral.id
) measured
GROUP BY organisation_id, day, measure`,
    `INSERT INTO referral_balance_counts (organisation_id, span, bucket, measure, n)
SELECT organisation_id, 'month', substr(bucket, 1, 7), measure, SUM(n)
FROM referral_balance_counts WHERE span = 'day'
GROUP BY organisation_id, substr(bucket, 1, 7), measure`,
  ];
}

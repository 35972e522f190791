import { MigrationInterface, QueryRunner, Table } from 'typeorm';

/**
 * Issue 9, the referral balance at local-authority scale: its figures were counted from the whole
 * history on every request (each concern's latest decision found with a NOT EXISTS over every
 * decision: seconds at a million concerns, and on PostgreSQL a stall for every other user).
 *
 * `referral_balance_counts` is a derived read model owned by dsp: one row per school or PRU and
 * London calendar day (`span` 'day', bucket `YYYY-MM-DD`) or London month (`span` 'month', bucket
 * `YYYY-MM`), one integer column per measure (REFERRAL_BALANCE_COLUMNS: a year for 130 schools is a
 * few thousand rows to sum). dsp's ReferralBalanceCountWriter keeps it up to date in the SAME transaction
 * as each append that changes a figure; the report sums whole months plus the days at either end.
 * No safeguarding record is edited: the counts can always be rebuilt from the append-only tables
 * (`referralBalanceRebuildStatements`, below; dsp's `rebuildReferralBalanceCounts` runs the same SQL).
 *
 * The measures (their exact definitions are in dsp/referral-balance-count-writer.ts):
 * - by the concern's organisation and the London day it OCCURRED: `concerns`; `decision_<outcome>` and
 *   `decision_below` (the concern's latest decision, by decided_at then id); `unreported` (guidance
 *   level 4 or 0, no referral to MASH, the designated officer or the police);
 * - by the referral's organisation and the London day it was SENT, the school's own referrals only
 *   (not an early-help referral a MASH redirect created): `referral_<route>`, `referral_against`,
 *   `referral_above`, and `outcome_<route>_<outcome>` for the local authority's answer to it.
 *
 * The codes are copied here as they are today (a migration does not change with the code): a new
 * outcome or route needs a migration adding its column (a unit test fails until it has one).
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
          ...REFERRAL_BALANCE_COLUMNS.map((column) => ({ name: column.name, type: 'integer', default: 0 })),
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

const DECISION_OUTCOMES = [
  'no_further_action',
  'monitor',
  'school_support',
  'early_help',
  'mash',
  'designated_officer',
  'police',
];
const ROUTES = ['mash', 'early_help', 'designated_officer', 'police'];
const OUTCOMES_BY_ROUTE: Record<string, string[]> = {
  mash: [
    'strategy_discussion',
    'care_and_support_assessment',
    'redirect_early_help',
    'information_advice_assistance',
    'no_further_action',
  ],
  early_help: ['family_help', 'team_around_the_family', 'signposted', 'declined_by_family', 'stepped_up_to_mash'],
  designated_officer: ['investigation', 'no_further_action'],
};

/**
 * One count column: its name, the measure it counts (as dsp's writer and the report name it), and
 * when a concern's or a referral's row in the rebuild below adds one to it.
 */
export interface ReferralBalanceColumn {
  name: string;
  measure: string;
  of: 'concern' | 'referral';
  when: string;
}

export const REFERRAL_BALANCE_COLUMNS: readonly ReferralBalanceColumn[] = [
  { name: 'concerns', measure: 'concerns', of: 'concern', when: '1 = 1' },
  ...DECISION_OUTCOMES.map((outcome) => ({
    name: `decision_${outcome}`,
    measure: `decision.${outcome}`,
    of: 'concern' as const,
    when: `outcome = '${outcome}'`,
  })),
  { name: 'decision_below', measure: 'decision_below', of: 'concern', when: 'below = 1' },
  { name: 'unreported', measure: 'unreported', of: 'concern', when: 'unreported = 1' },
  ...ROUTES.map((route) => ({
    name: `referral_${route}`,
    measure: `referral.${route}`,
    of: 'referral' as const,
    when: `route = '${route}'`,
  })),
  { name: 'referral_against', measure: 'against', of: 'referral', when: 'against = 1' },
  { name: 'referral_above', measure: 'above', of: 'referral', when: 'above = 1' },
  ...Object.entries(OUTCOMES_BY_ROUTE).flatMap(([route, outcomes]) =>
    outcomes.map((outcome) => ({
      name: `outcome_${route}_${outcome}`,
      measure: `outcome.${route}.${outcome}`,
      of: 'referral' as const,
      when: `route = '${route}' AND outcome = '${outcome}'`,
    })),
  ),
];

/**
 * Empties `referral_balance_counts` and counts every figure again from the append-only tables: the
 * concerns' day rows in one pass, the referrals' added to them, then the month rows from the day rows.
 * Plain SQL for both engines (booleans are tested as `CASE WHEN column`, true on SQLite's 1 and
 * PostgreSQL's true; the upsert's SELECT has a WHERE so SQLite cannot read its ON as a join's).
 */
export function referralBalanceRebuildStatements(engine: CountsEngine): string[] {
  const occurredDay = londonDaySql(engine, 'concern.occurred_at');
  const sentDay = londonDaySql(engine, 'escalation.sent_at');
  const columnsOf = (of: 'concern' | 'referral') => REFERRAL_BALANCE_COLUMNS.filter((column) => column.of === of);
  const sums = (of: 'concern' | 'referral') =>
    columnsOf(of)
      .map((column) => `SUM(CASE WHEN ${column.when} THEN 1 ELSE 0 END) AS ${column.name}`)
      .join(',\n    ');
  const names = (of: 'concern' | 'referral') => columnsOf(of).map((column) => column.name);
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
concern_state AS (
  SELECT concern.organisation_id AS organisation_id, ${occurredDay} AS day,
    decision.outcome AS outcome,
    CASE WHEN decision.below_guidance THEN 1 ELSE 0 END AS below,
    CASE WHEN reported.concern_id IS NULL
      AND COALESCE(decision.guidance_level, referral.recommended_level) IN (0, 4) THEN 1 ELSE 0 END AS unreported
  FROM concerns concern
  LEFT JOIN latest_decision decision ON decision.concern_id = concern.id
  LEFT JOIN latest_referral referral ON referral.concern_id = concern.id
  LEFT JOIN reported ON reported.concern_id = concern.id
)
INSERT INTO referral_balance_counts (organisation_id, span, bucket, ${names('concern').join(', ')})
SELECT organisation_id, 'day', day,
    ${sums('concern')}
FROM concern_state
GROUP BY organisation_id, day`,
    `WITH own_referral AS (
  SELECT escalation.organisation_id AS organisation_id, ${sentDay} AS day,
    escalation.route AS route, outcome.outcome AS outcome,
    CASE WHEN escalation.against_recommendation AND (escalation.route = 'early_help'
      OR (escalation.route = 'designated_officer' AND escalation.recommended_level = 0)) THEN 1 ELSE 0 END AS against,
    CASE WHEN escalation.above_guidance OR (escalation.route IN ${REPORT_ROUTES_SQL}
      AND escalation.recommended_level IN (1, 2, 3)) THEN 1 ELSE 0 END AS above
  FROM escalations escalation
  LEFT JOIN escalation_outcomes outcome ON outcome.escalation_id = escalation.id
  WHERE escalation.redirected_from_id IS NULL
)
INSERT INTO referral_balance_counts (organisation_id, span, bucket, ${names('referral').join(', ')})
SELECT * FROM (
  SELECT organisation_id, 'day' AS span, day AS bucket,
    ${sums('referral')}
  FROM own_referral
  GROUP BY organisation_id, day
) per_day WHERE 1 = 1
ON CONFLICT (organisation_id, span, bucket) DO UPDATE SET
  ${names('referral')
    .map((name) => `${name} = excluded.${name}`)
    .join(',\n  ')}`,
    `INSERT INTO referral_balance_counts (organisation_id, span, bucket, ${REFERRAL_BALANCE_COLUMNS.map((c) => c.name).join(', ')})
SELECT organisation_id, 'month', substr(bucket, 1, 7), ${REFERRAL_BALANCE_COLUMNS.map((c) => `SUM(${c.name})`).join(', ')}
FROM referral_balance_counts WHERE span = 'day'
GROUP BY organisation_id, substr(bucket, 1, 7)`,
  ];
}

import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { concernStatesInsertSql } from '../concern-states.sql';

/** The level-0 indicators when this migration was written (guidance-engine.ts's EMERGENCY_INDICATORS; a unit test compares). */
export const EMERGENCY_INDICATORS_AT_1764640000000 = [
  'immediate_danger',
  'child_missing_now',
  'medical_emergency',
  'suicidal_intent',
] as const;

const instant = (name: string, isNullable = false) => ({ name, type: 'varchar', length: '24', isNullable });
const id = (name: string, isNullable = false) => ({ name, type: 'varchar', length: '36', isNullable });

/**
 * Issue 9: `concern_states`, a derived projection (one row per concern: status, emergency, current
 * decision) maintained in the same transaction as every append that changes it, so the concern lists
 * and the DSP's dashboard read an index in their own order instead of correlated EXISTS over all
 * history. Created with the schema builder and backfilled from the appended records with the same SQL
 * the app keeps it with (database/concern-states.sql.ts), on both engines.
 */
export class ConcernStates1764640000000 implements MigrationInterface {
  name = 'ConcernStates1764640000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'concern_states',
        columns: [
          { ...id('concern_id'), isPrimary: true },
          id('organisation_id'),
          id('pupil_id'),
          id('recorded_by_user_id'),
          instant('recorded_at'),
          instant('occurred_at'),
          { name: 'status_rank', type: 'integer' },
          { name: 'list_key', type: 'varchar', length: '24' },
          { name: 'emergency', type: 'boolean' },
          { name: 'triage_rank', type: 'integer' },
          { name: 'referred', type: 'boolean' },
          id('decision_id', true),
          { name: 'decision_outcome', type: 'varchar', length: '30', isNullable: true },
          { name: 'decision_guidance_level', type: 'integer', isNullable: true },
          { name: 'decision_below_guidance', type: 'boolean' },
          instant('decision_phoned_at', true),
          instant('decision_decided_at', true),
          { name: 'referral_pending', type: 'varchar', length: '10', isNullable: true },
          instant('closed_at', true),
        ],
        foreignKeys: [{ columnNames: ['concern_id'], referencedTableName: 'concerns', referencedColumnNames: ['id'] }],
      }),
    );
    const indexes: Array<[string, string[]]> = [
      ['idx_concern_states_list', ['organisation_id', 'status_rank', 'list_key', 'concern_id']],
      ['idx_concern_states_queue', ['organisation_id', 'status_rank', 'triage_rank', 'recorded_at', 'concern_id']],
      ['idx_concern_states_pending', ['organisation_id', 'referral_pending', 'decision_decided_at', 'decision_id']],
      [
        'idx_concern_states_below',
        ['organisation_id', 'status_rank', 'decision_below_guidance', 'decision_decided_at', 'decision_id'],
      ],
      ['idx_concern_states_recorder', ['organisation_id', 'recorded_by_user_id', 'recorded_at', 'concern_id']],
    ];
    for (const [name, columnNames] of indexes)
      await queryRunner.createIndex('concern_states', new TableIndex({ name, columnNames }));
    // Reports staff sent when no DSP could be reached: the notice on every page counts them at one organisation.
    await queryRunner.createIndex(
      'escalations',
      new TableIndex({
        name: 'idx_escalations_staff_reports',
        columnNames: ['organisation_id', 'dsp_unavailable', 'sent_at'],
      }),
    );
    // Frozen as it was: no corrections existed yet (migration 1764642000000 adds `concern_current`).
    await queryRunner.query(concernStatesInsertSql(EMERGENCY_INDICATORS_AT_1764640000000, undefined, false));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('escalations', 'idx_escalations_staff_reports');
    await queryRunner.dropTable('concern_states');
  }
}

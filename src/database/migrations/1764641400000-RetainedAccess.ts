import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';

const COUNTS_INDEX = 'idx_concern_states_counts';
const COUNTED_COLUMNS = [
  'organisation_id',
  'status_rank',
  'pupil_id',
  'emergency',
  'referral_pending',
  'decision_below_guidance',
];

/**
 * What an organisation keeps reading about a pupil who has left its roll (a PRU after the placement
 * ends: its own records; a school after the safeguarding file was received elsewhere: what it held up
 * to the receipt). The access policy reads it beside the current roll (school/access/). Schema builder
 * only, so it runs on SQLite and PostgreSQL.
 *
 * The access rule now compares a concern's `recorded_at` with what was kept, so the DSP's counts index
 * (1764640600000) carries it too: without it the counts read every concern's row again (issue 9).
 */
export class RetainedAccess1764641400000 implements MigrationInterface {
  name = 'RetainedAccess1764641400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'retained_access',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'pupil_id', type: 'varchar', length: '36' },
          { name: 'organisation_id', type: 'varchar', length: '36' },
          { name: 'until_at', type: 'varchar', length: '24', isNullable: true },
          { name: 'reason', type: 'varchar', length: '20' },
          { name: 'source_id', type: 'varchar', length: '36' },
          { name: 'granted_at', type: 'varchar', length: '24' },
        ],
        foreignKeys: [
          { columnNames: ['pupil_id'], referencedTableName: 'pupils', referencedColumnNames: ['id'] },
          { columnNames: ['organisation_id'], referencedTableName: 'organisations', referencedColumnNames: ['id'] },
        ],
      }),
    );
    await queryRunner.createIndex(
      'retained_access',
      new TableIndex({ name: 'idx_retained_access_organisation_pupil', columnNames: ['organisation_id', 'pupil_id'] }),
    );
    await queryRunner.createIndex(
      'retained_access',
      new TableIndex({ name: 'idx_retained_access_pupil', columnNames: ['pupil_id'] }),
    );
    await queryRunner.dropIndex('concern_states', COUNTS_INDEX);
    await queryRunner.createIndex(
      'concern_states',
      new TableIndex({ name: COUNTS_INDEX, columnNames: [...COUNTED_COLUMNS, 'recorded_at'] }),
    );
    await queryRunner.query('ANALYZE concern_states');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('concern_states', COUNTS_INDEX);
    await queryRunner.createIndex(
      'concern_states',
      new TableIndex({ name: COUNTS_INDEX, columnNames: COUNTED_COLUMNS }),
    );
    await queryRunner.dropTable('retained_access');
  }
}

import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';

/**
 * Corrections of a concern (src/dsp/concerns/concern-amendments.service.ts): `concern_amendments`, one appended row per
 * correction (never edited), and `concern_current`, a derived projection holding the current value of
 * every correctable field of a concern that has been corrected (no row: the concern reads as recorded).
 * The concern's own row keeps what was recorded. Schema builder only, so it runs on SQLite and PostgreSQL.
 */
export class ConcernAmendments1764642000000 implements MigrationInterface {
  name = 'ConcernAmendments1764642000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'concern_amendments',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'concern_id', type: 'varchar', length: '36' },
          { name: 'field', type: 'varchar', length: '20' },
          { name: 'previous', type: 'text', isNullable: true },
          { name: 'value', type: 'text', isNullable: true },
          { name: 'reason', type: 'text' },
          { name: 'amended_at', type: 'varchar', length: '24' },
          { name: 'amended_by_user_id', type: 'varchar', length: '36' },
          { name: 'amended_by_name', type: 'varchar', length: '200' },
          { name: 'amended_by_role', type: 'varchar', length: '20' },
          { name: 'amended_by_organisation_id', type: 'varchar', length: '36' },
        ],
        foreignKeys: [{ columnNames: ['concern_id'], referencedTableName: 'concerns', referencedColumnNames: ['id'] }],
      }),
    );
    await queryRunner.createIndex(
      'concern_amendments',
      new TableIndex({ name: 'idx_concern_amendments_concern', columnNames: ['concern_id', 'amended_at', 'id'] }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'concern_current',
        columns: [
          { name: 'concern_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'pupil_id', type: 'varchar', length: '36' },
          { name: 'occurred_at', type: 'varchar', length: '24' },
          { name: 'category', type: 'varchar', length: '20' },
          { name: 'issues', type: 'text' },
          { name: 'indicators', type: 'text' },
          { name: 'context', type: 'varchar', length: '20', isNullable: true },
          { name: 'summary', type: 'text' },
          { name: 'childs_words', type: 'text', isNullable: true },
          { name: 'action_taken', type: 'text', isNullable: true },
        ],
        foreignKeys: [{ columnNames: ['concern_id'], referencedTableName: 'concerns', referencedColumnNames: ['id'] }],
      }),
    );
    await queryRunner.createIndex(
      'concern_current',
      new TableIndex({ name: 'idx_concern_current_pupil', columnNames: ['pupil_id'] }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('concern_current');
    await queryRunner.dropTable('concern_amendments');
  }
}

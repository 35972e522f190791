import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';

/**
 * What an organisation keeps reading about a pupil who has left its roll (a PRU after the placement
 * ends: its own records; a school after the safeguarding file was received elsewhere: what it held up
 * to the receipt). The access policy reads it beside the current roll (school/access/). Schema builder
 * only, so it runs on SQLite and PostgreSQL.
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
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('retained_access');
  }
}

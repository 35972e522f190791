import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';

/**
 * The roll import (docs/accounts.md, "roll"): a pupil's address and contacts as each school's
 * information system sent them (one row per pupil and organisation, replaced by that organisation's
 * next import that carries them; never read by another organisation), and
 * the files uploaded on the `/roll/import` page between their preview and the confirm (deleted once
 * applied, or after a day). Schema builder only, so it runs on SQLite and PostgreSQL.
 */
export class RollImport1764641300000 implements MigrationInterface {
  name = 'RollImport1764641300000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'pupil_contact_details',
        columns: [
          { name: 'pupil_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'organisation_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'address_line1', type: 'varchar', length: '200', isNullable: true },
          { name: 'address_line2', type: 'varchar', length: '200', isNullable: true },
          { name: 'town', type: 'varchar', length: '100', isNullable: true },
          { name: 'postcode', type: 'varchar', length: '20', isNullable: true },
          { name: 'contacts', type: 'text' },
          { name: 'updated_at', type: 'varchar', length: '24' },
        ],
        foreignKeys: [
          { columnNames: ['pupil_id'], referencedTableName: 'pupils', referencedColumnNames: ['id'] },
          { columnNames: ['organisation_id'], referencedTableName: 'organisations', referencedColumnNames: ['id'] },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'roll_uploads',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'user_id', type: 'varchar', length: '36' },
          { name: 'organisation_id', type: 'varchar', length: '36' },
          { name: 'mode', type: 'varchar', length: '10' },
          { name: 'format', type: 'varchar', length: '10' },
          { name: 'file_name', type: 'varchar', length: '255' },
          { name: 'sha256', type: 'varchar', length: '64' },
          { name: 'content', type: 'text' },
          { name: 'created_at', type: 'varchar', length: '24' },
        ],
      }),
    );
    await queryRunner.createIndex(
      'roll_uploads',
      new TableIndex({ name: 'idx_roll_uploads_created_at', columnNames: ['created_at'] }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('roll_uploads');
    await queryRunner.dropTable('pupil_contact_details');
  }
}

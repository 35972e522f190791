import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';

/**
 * Files added to a concern (src/dsp/attachments/), bytes included: `content` is a blob on SQLite and
 * bytea on PostgreSQL, so the backup of the database is the backup of the files. Schema builder only.
 */
export class ConcernAttachments1764642100000 implements MigrationInterface {
  name = 'ConcernAttachments1764642100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const bytes = queryRunner.connection.options.type === 'postgres' ? 'bytea' : 'blob';
    await queryRunner.createTable(
      new Table({
        name: 'concern_attachments',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'concern_id', type: 'varchar', length: '36' },
          { name: 'filename', type: 'varchar', length: '255' },
          { name: 'content_type', type: 'varchar', length: '100' },
          { name: 'size', type: 'integer' },
          { name: 'sha256', type: 'varchar', length: '64' },
          { name: 'content', type: bytes },
          { name: 'added_by_user_id', type: 'varchar', length: '36' },
          { name: 'added_by_name', type: 'varchar', length: '200' },
          { name: 'added_by_role', type: 'varchar', length: '20' },
          { name: 'added_by_organisation_id', type: 'varchar', length: '36' },
          { name: 'added_at', type: 'varchar', length: '24' },
        ],
        foreignKeys: [
          { columnNames: ['concern_id'], referencedTableName: 'concerns', referencedColumnNames: ['id'] },
          {
            columnNames: ['added_by_organisation_id'],
            referencedTableName: 'organisations',
            referencedColumnNames: ['id'],
          },
        ],
      }),
    );
    await queryRunner.createIndex(
      'concern_attachments',
      new TableIndex({ name: 'idx_concern_attachments_concern', columnNames: ['concern_id', 'added_at'] }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('concern_attachments');
  }
}

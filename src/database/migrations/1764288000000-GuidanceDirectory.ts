import { MigrationInterface, QueryRunner, Table, TableColumnOptions } from 'typeorm';

const text = (name: string, length: number): TableColumnOptions => ({ name, type: 'varchar', length: String(length) });
const longText = (name: string): TableColumnOptions => ({ name, type: 'text' });

export class GuidanceDirectory1764288000000 implements MigrationInterface {
  name = 'GuidanceDirectory1764288000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'service_directory_entries',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          text('local_authority_id', 36),
          text('code', 60),
          text('name_en', 200),
          text('name_cy', 200),
          longText('description_en'),
          longText('description_cy'),
          longText('how_to_access_en'),
          longText('how_to_access_cy'),
          { name: 'min_level', type: 'integer' },
          { name: 'max_level', type: 'integer' },
          longText('issue_tags'),
          { name: 'active', type: 'boolean', default: true },
          { name: 'position', type: 'integer' },
          text('updated_at', 24),
          text('updated_by_name', 200),
        ],
        foreignKeys: [
          { columnNames: ['local_authority_id'], referencedTableName: 'organisations', referencedColumnNames: ['id'] },
        ],
        indices: [
          { name: 'idx_service_directory_la_code', columnNames: ['local_authority_id', 'code'], isUnique: true },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'guidance_settings',
        columns: [
          { name: 'local_authority_id', type: 'varchar', length: '36', isPrimary: true },
          longText('thresholds'),
          text('updated_at', 24),
          text('updated_by_name', 200),
        ],
        foreignKeys: [
          { columnNames: ['local_authority_id'], referencedTableName: 'organisations', referencedColumnNames: ['id'] },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('guidance_settings');
    await queryRunner.dropTable('service_directory_entries');
  }
}

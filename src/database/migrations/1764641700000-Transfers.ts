import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';

/**
 * Transfers of a pupil's safeguarding file when the pupil moves school (src/transfers/): the transfer
 * and its receipt, each written once. The unique key (pupil_id, previous_transfer_id) keeps one open
 * transfer per pupil under concurrent sends. Schema builder only, so it runs on SQLite and PostgreSQL.
 */
export class Transfers1764641700000 implements MigrationInterface {
  name = 'Transfers1764641700000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'transfers',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'pupil_id', type: 'varchar', length: '36' },
          { name: 'previous_transfer_id', type: 'varchar', length: '36' },
          { name: 'from_organisation_id', type: 'varchar', length: '36' },
          { name: 'to_organisation_id', type: 'varchar', length: '36', isNullable: true },
          { name: 'external_name', type: 'varchar', length: '200', isNullable: true },
          { name: 'external_local_authority', type: 'varchar', length: '200', isNullable: true },
          { name: 'sent_by', type: 'varchar', length: '20', isNullable: true },
          { name: 'leaving_on', type: 'varchar', length: '10' },
          { name: 'note', type: 'text', isNullable: true },
          { name: 'sent_at', type: 'varchar', length: '24' },
          { name: 'due_by', type: 'varchar', length: '24' },
          { name: 'sent_by_user_id', type: 'varchar', length: '36' },
          { name: 'sent_by_name', type: 'varchar', length: '200' },
          { name: 'sent_by_role', type: 'varchar', length: '20' },
        ],
        foreignKeys: [
          { columnNames: ['pupil_id'], referencedTableName: 'pupils', referencedColumnNames: ['id'] },
          {
            columnNames: ['from_organisation_id'],
            referencedTableName: 'organisations',
            referencedColumnNames: ['id'],
          },
          { columnNames: ['to_organisation_id'], referencedTableName: 'organisations', referencedColumnNames: ['id'] },
        ],
      }),
    );
    await queryRunner.createIndex(
      'transfers',
      new TableIndex({
        name: 'uq_transfers_pupil_previous',
        columnNames: ['pupil_id', 'previous_transfer_id'],
        isUnique: true,
      }),
    );
    await queryRunner.createIndex(
      'transfers',
      new TableIndex({ name: 'idx_transfers_from', columnNames: ['from_organisation_id', 'sent_at'] }),
    );
    await queryRunner.createIndex(
      'transfers',
      new TableIndex({ name: 'idx_transfers_to', columnNames: ['to_organisation_id', 'sent_at'] }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'transfer_receipts',
        columns: [
          { name: 'transfer_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'received_at', type: 'varchar', length: '24' },
          { name: 'received_by_user_id', type: 'varchar', length: '36' },
          { name: 'received_by_name', type: 'varchar', length: '200' },
          { name: 'received_by_role', type: 'varchar', length: '20' },
          { name: 'received_by_organisation_id', type: 'varchar', length: '36' },
        ],
        foreignKeys: [
          { columnNames: ['transfer_id'], referencedTableName: 'transfers', referencedColumnNames: ['id'] },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('transfer_receipts');
    await queryRunner.dropTable('transfers');
  }
}

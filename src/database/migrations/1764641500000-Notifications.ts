import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';

/**
 * In-app notifications (docs/architecture.md, "Notifications"): one row per person and event, its title a
 * catalogue message (key and parameters) translated when read. The unique key (user, kind, event) makes
 * raising the same event for the same person twice store one row, whichever instance raises it
 * (`INSERT ... ON CONFLICT DO NOTHING`). The person's list reads `(user_id, created_at, id)` newest first;
 * the unread list and the header's unread COUNT read the partial index of unread rows. Schema builder
 * only, so it runs on SQLite and PostgreSQL.
 */
export class Notifications1764641500000 implements MigrationInterface {
  name = 'Notifications1764641500000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'notifications',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'user_id', type: 'varchar', length: '36' },
          { name: 'kind', type: 'varchar', length: '40' },
          { name: 'event_key', type: 'varchar', length: '200' },
          { name: 'title_key', type: 'varchar', length: '200' },
          { name: 'title_params', type: 'text' },
          { name: 'link', type: 'varchar', length: '500' },
          { name: 'urgent', type: 'boolean', default: false },
          { name: 'created_at', type: 'varchar', length: '24' },
          { name: 'read_at', type: 'varchar', length: '24', isNullable: true },
        ],
        foreignKeys: [{ columnNames: ['user_id'], referencedTableName: 'users', referencedColumnNames: ['id'] }],
      }),
    );
    await queryRunner.createIndex(
      'notifications',
      new TableIndex({ name: 'uq_notifications_event', columnNames: ['user_id', 'kind', 'event_key'], isUnique: true }),
    );
    await queryRunner.createIndex(
      'notifications',
      new TableIndex({ name: 'idx_notifications_list', columnNames: ['user_id', 'created_at', 'id'] }),
    );
    await queryRunner.createIndex(
      'notifications',
      new TableIndex({
        name: 'idx_notifications_unread',
        columnNames: ['user_id', 'created_at', 'id'],
        where: 'read_at IS NULL',
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('notifications');
  }
}

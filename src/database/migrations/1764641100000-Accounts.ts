import { MigrationInterface, QueryRunner, Table, TableColumn, TableIndex } from 'typeorm';
import { addColumns, dropColumns } from './columns-in-place';

/**
 * Running a local authority without the demo: organisations get their establishment code (7 digits for
 * a school or PRU, unique; the LA's own 3-digit code) and can be deactivated; accounts can be
 * deactivated; a membership ends (`ended_at`) instead of being deleted, so records keep the role they
 * were made with; invitations are one-time links (only the token's SHA-256 is stored). An invited
 * account's password hash is an unusable marker until the invitation is accepted, so the column stays
 * NOT NULL. Schema builder only, so it runs on SQLite and PostgreSQL.
 */
export class Accounts1764641100000 implements MigrationInterface {
  name = 'Accounts1764641100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await addColumns(queryRunner, 'organisations', [
      new TableColumn({ name: 'code', type: 'varchar', length: '7', isNullable: true }),
      new TableColumn({ name: 'active', type: 'boolean', default: true }),
    ]);
    // Unique where given: NULLs never collide on either engine (a local authority may have no code).
    await queryRunner.createIndex(
      'organisations',
      new TableIndex({ name: 'idx_organisations_code', columnNames: ['code'], isUnique: true }),
    );
    await addColumns(queryRunner, 'users', [new TableColumn({ name: 'active', type: 'boolean', default: true })]);
    await addColumns(queryRunner, 'memberships', [
      new TableColumn({ name: 'ended_at', type: 'varchar', length: '24', isNullable: true }),
    ]);
    await queryRunner.createTable(
      new Table({
        name: 'invitations',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'token_hash', type: 'varchar', length: '64' },
          { name: 'user_id', type: 'varchar', length: '36' },
          { name: 'membership_id', type: 'varchar', length: '36' },
          { name: 'invited_by_user_id', type: 'varchar', length: '36', isNullable: true },
          { name: 'created_at', type: 'varchar', length: '24' },
          { name: 'expires_at', type: 'varchar', length: '24' },
          { name: 'used_at', type: 'varchar', length: '24', isNullable: true },
        ],
        foreignKeys: [
          { columnNames: ['user_id'], referencedTableName: 'users', referencedColumnNames: ['id'] },
          { columnNames: ['membership_id'], referencedTableName: 'memberships', referencedColumnNames: ['id'] },
          { columnNames: ['invited_by_user_id'], referencedTableName: 'users', referencedColumnNames: ['id'] },
        ],
        indices: [
          { name: 'idx_invitations_token_hash', columnNames: ['token_hash'], isUnique: true },
          { name: 'idx_invitations_user', columnNames: ['user_id', 'created_at'] },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('invitations');
    await queryRunner.dropIndex('organisations', 'idx_organisations_code');
    await dropColumns(queryRunner, 'memberships', ['ended_at']);
    await dropColumns(queryRunner, 'users', ['active']);
    await dropColumns(queryRunner, 'organisations', ['active', 'code']);
  }
}

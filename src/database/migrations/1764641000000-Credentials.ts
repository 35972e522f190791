import { MigrationInterface, QueryRunner, Table, TableColumn } from 'typeorm';
import { addColumns, dropColumns } from './columns-in-place';

/**
 * Accounts' credentials (docs/accounts.md, cred): every session is recorded (`sessions`, one row per
 * token, ended by signing out, a change of password, a reset, a deactivation or an ended membership)
 * instead of only the signed-out ones (`revoked_sessions`, dropped: tokens issued before this migration
 * name no session row and simply stop working); password-reset links, stored only as hashes; and the
 * account's choice of email notifications. Schema builder only, so it runs on SQLite and PostgreSQL.
 */
export class Credentials1764641000000 implements MigrationInterface {
  name = 'Credentials1764641000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'sessions',
        columns: [
          { name: 'jti', type: 'varchar', length: '64', isPrimary: true },
          { name: 'user_id', type: 'varchar', length: '36' },
          { name: 'membership_id', type: 'varchar', length: '36' },
          { name: 'started_at', type: 'varchar', length: '24' },
          { name: 'expires_at', type: 'varchar', length: '24' },
          { name: 'ended_at', type: 'varchar', length: '24', isNullable: true },
          { name: 'end_reason', type: 'varchar', length: '32', isNullable: true },
        ],
        foreignKeys: [{ columnNames: ['user_id'], referencedTableName: 'users', referencedColumnNames: ['id'] }],
        indices: [
          { name: 'idx_sessions_user_id', columnNames: ['user_id'] },
          { name: 'idx_sessions_membership_id', columnNames: ['membership_id'] },
          { name: 'idx_sessions_expires_at', columnNames: ['expires_at'] },
        ],
      }),
    );
    await queryRunner.dropTable('revoked_sessions');

    await queryRunner.createTable(
      new Table({
        name: 'password_resets',
        columns: [
          { name: 'token_hash', type: 'varchar', length: '64', isPrimary: true },
          { name: 'user_id', type: 'varchar', length: '36' },
          { name: 'created_at', type: 'varchar', length: '24' },
          { name: 'expires_at', type: 'varchar', length: '24' },
          { name: 'used_at', type: 'varchar', length: '24', isNullable: true },
        ],
        foreignKeys: [{ columnNames: ['user_id'], referencedTableName: 'users', referencedColumnNames: ['id'] }],
        indices: [{ name: 'idx_password_resets_user_created', columnNames: ['user_id', 'created_at'] }],
      }),
    );

    // In place on SQLite (columns-in-place.ts): users are referred to by nearly every table.
    await addColumns(queryRunner, 'users', [
      new TableColumn({ name: 'email_notifications', type: 'boolean', default: true }),
    ]);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await dropColumns(queryRunner, 'users', ['email_notifications']);
    await queryRunner.dropTable('password_resets');
    await queryRunner.createTable(
      new Table({
        name: 'revoked_sessions',
        columns: [
          { name: 'jti', type: 'varchar', length: '64', isPrimary: true },
          { name: 'expires_at', type: 'varchar', length: '24' },
        ],
        indices: [{ name: 'idx_revoked_sessions_expires_at', columnNames: ['expires_at'] }],
      }),
    );
    await queryRunner.dropTable('sessions');
  }
}

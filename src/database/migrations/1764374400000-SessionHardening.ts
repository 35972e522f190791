import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';

/**
 * Sign-in and session hardening: failed sign-ins counted per address as well as per account (and pruned
 * by age), and sessions ended by signing out. Schema builder only, so it runs on SQLite and PostgreSQL.
 */
export class SessionHardening1764374400000 implements MigrationInterface {
  name = 'SessionHardening1764374400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndex(
      'login_attempts',
      new TableIndex({ name: 'idx_login_attempts_ip_address_at', columnNames: ['ip_address', 'at'] }),
    );
    await queryRunner.createIndex(
      'login_attempts',
      new TableIndex({ name: 'idx_login_attempts_at', columnNames: ['at'] }),
    );
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
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('revoked_sessions');
    await queryRunner.dropIndex('login_attempts', 'idx_login_attempts_at');
    await queryRunner.dropIndex('login_attempts', 'idx_login_attempts_ip_address_at');
  }
}

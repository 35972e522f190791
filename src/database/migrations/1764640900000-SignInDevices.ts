import { MigrationInterface, QueryRunner, TableColumn, TableIndex } from 'typeorm';

/**
 * Issue 10: sign-in attempts made from a known device (a genuine device cookie for the account) carry
 * the cookie's nonce, so they count against that device alone and failures from elsewhere never lock
 * it out. Schema builder only, so it runs on SQLite and PostgreSQL.
 */
export class SignInDevices1764640900000 implements MigrationInterface {
  name = 'SignInDevices1764640900000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn(
      'login_attempts',
      new TableColumn({ name: 'device_id', type: 'varchar', length: '64', isNullable: true }),
    );
    await queryRunner.createIndex(
      'login_attempts',
      new TableIndex({ name: 'idx_login_attempts_device_at', columnNames: ['device_id', 'at'] }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('login_attempts', 'idx_login_attempts_device_at');
    await queryRunner.dropColumn('login_attempts', 'device_id');
  }
}

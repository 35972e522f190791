import { MigrationInterface, QueryRunner, Table } from 'typeorm';

/**
 * Two-factor sign-in (API.md, Accounts: Two-factor sign-in): each account's authenticator (sealed
 * secrets, the last time step used), its recovery codes (keyed hashes, used once) and the sign-in
 * challenges between the password and the code. Schema builder only, so it runs on both engines.
 */
export class TwoFactor1764641200000 implements MigrationInterface {
  name = 'TwoFactor1764641200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const toUser = { columnNames: ['user_id'], referencedTableName: 'users', referencedColumnNames: ['id'] };
    await queryRunner.createTable(
      new Table({
        name: 'two_factor_credentials',
        columns: [
          { name: 'user_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'secret', type: 'varchar', length: '200', isNullable: true },
          { name: 'pending_secret', type: 'varchar', length: '200', isNullable: true },
          { name: 'enabled_at', type: 'varchar', length: '24', isNullable: true },
          { name: 'last_used_step', type: 'integer', isNullable: true },
          { name: 'updated_at', type: 'varchar', length: '24' },
        ],
        foreignKeys: [toUser],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'two_factor_recovery_codes',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'user_id', type: 'varchar', length: '36' },
          { name: 'code_hash', type: 'varchar', length: '64' },
          { name: 'created_at', type: 'varchar', length: '24' },
          { name: 'used_at', type: 'varchar', length: '24', isNullable: true },
          { name: 'revoked_at', type: 'varchar', length: '24', isNullable: true },
        ],
        foreignKeys: [toUser],
        indices: [{ name: 'idx_two_factor_recovery_codes_user', columnNames: ['user_id', 'code_hash'] }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'two_factor_challenges',
        columns: [
          { name: 'token_hash', type: 'varchar', length: '64', isPrimary: true },
          { name: 'user_id', type: 'varchar', length: '36' },
          { name: 'attempt_id', type: 'varchar', length: '36' },
          { name: 'created_at', type: 'varchar', length: '24' },
          { name: 'expires_at', type: 'varchar', length: '24' },
          { name: 'used_at', type: 'varchar', length: '24', isNullable: true },
          { name: 'failures', type: 'integer', default: 0 },
        ],
        foreignKeys: [toUser],
        indices: [{ name: 'idx_two_factor_challenges_expires_at', columnNames: ['expires_at'] }],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('two_factor_challenges');
    await queryRunner.dropTable('two_factor_recovery_codes');
    await queryRunner.dropTable('two_factor_credentials');
  }
}

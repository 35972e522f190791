import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

/**
 * Issue 8, the referral balance: it counts each school's concerns by when they happened
 * (`occurred_at`), for 130 schools and a million concerns; the existing indexes are by pupil and by
 * when they were recorded. Schema builder only.
 */
export class ReferralBalanceIndex1764550200000 implements MigrationInterface {
  name = 'ReferralBalanceIndex1764550200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndex(
      'concerns',
      new TableIndex({ name: 'idx_concerns_organisation_occurred', columnNames: ['organisation_id', 'occurred_at'] }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('concerns', 'idx_concerns_organisation_occurred');
  }
}

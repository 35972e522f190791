import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/**
 * Issue 8, the DSP's dashboard: a decision to refer can record that the DSP already phoned MASH (or the
 * police), so the dashboard shows "confirm in writing within 24 hours" until the written referral is
 * sent (DOMAIN.md, Timescales). Schema builder only.
 */
export class DecisionPhonedAt1764550500000 implements MigrationInterface {
  name = 'DecisionPhonedAt1764550500000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn(
      'concern_decisions',
      new TableColumn({ name: 'phoned_at', type: 'varchar', length: '24', isNullable: true }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('concern_decisions', 'phoned_at');
  }
}

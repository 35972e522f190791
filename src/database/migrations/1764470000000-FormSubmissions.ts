import { MigrationInterface, QueryRunner, Table } from 'typeorm';

/**
 * One row per page form that recorded something (a decision, a referral, a closure), keyed by the
 * one-use token rendered into the form. The primary key makes a replayed or doubled post (a double
 * click) record nothing new, even when two identical posts race on PostgreSQL. Schema builder only.
 */
export class FormSubmissions1764470000000 implements MigrationInterface {
  name = 'FormSubmissions1764470000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'form_submissions',
        columns: [
          { name: 'token', type: 'varchar', length: '36', isPrimary: true },
          { name: 'kind', type: 'varchar', length: '20' },
          { name: 'concern_id', type: 'varchar', length: '36' },
          { name: 'user_id', type: 'varchar', length: '36' },
          { name: 'submitted_at', type: 'varchar', length: '24' },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('form_submissions');
  }
}

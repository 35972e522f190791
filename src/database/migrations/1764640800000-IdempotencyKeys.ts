import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';

/**
 * Issue 10: a creation posted twice (a double-submitted form, a client's retry) must make one record.
 * `idempotency_keys` holds each creation made under a key (the API's `Idempotency-Key` header or a page
 * form's one-use token) with the answer it gave, written in the creation's transaction; the primary key
 * (user_id, key) makes a concurrent duplicate fail rather than create. `created_at` is indexed for the
 * 24-hour prune. It replaces `form_submissions` (the concern page's tokens), whose rows are only tokens
 * of forms already answered: nothing of the record is lost by dropping them. Schema builder only.
 */
export class IdempotencyKeys1764640800000 implements MigrationInterface {
  name = 'IdempotencyKeys1764640800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const text = (name: string, length: number, isNullable = false) => ({
      name,
      type: 'varchar',
      length: String(length),
      isNullable,
    });
    await queryRunner.createTable(
      new Table({
        name: 'idempotency_keys',
        columns: [
          { ...text('user_id', 36), isPrimary: true },
          { ...text('key', 200), isPrimary: true },
          text('route', 300),
          text('body_hash', 64, true),
          { name: 'status', type: 'integer' },
          { name: 'body', type: 'text', isNullable: true },
          text('subject_type', 40, true),
          text('subject_id', 36, true),
          text('pupil_id', 36, true),
          text('created_at', 24),
        ],
      }),
    );
    await queryRunner.createIndex(
      'idempotency_keys',
      new TableIndex({ name: 'idx_idempotency_keys_created', columnNames: ['created_at'] }),
    );
    await queryRunner.dropTable('form_submissions');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
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
    await queryRunner.dropTable('idempotency_keys');
  }
}

import { MigrationInterface, QueryRunner, Table } from 'typeorm';

/**
 * Issue 9, audited writes at scale: on PostgreSQL a transaction no longer takes the audit chain's lock.
 * It inserts its entries into `audit_pending` (committed with the change they record), and the chainer
 * (`AuditChainer`) moves committed entries onto the chain (`audit_entries`) in commit order, one chainer
 * at a time, each move one transaction (insert the chained rows, delete the pending ones). `position`
 * orders the pending entries; `batch` keeps one transaction's entries together on the chain. SQLite,
 * with one writer, still chains in the writer's transaction and leaves this table empty. Schema builder only.
 */
export class AuditPending1764640400000 implements MigrationInterface {
  name = 'AuditPending1764640400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const text = (name: string, length: number, isNullable = false) => ({
      name,
      type: 'varchar',
      length: String(length),
      isNullable,
    });
    await queryRunner.createTable(
      new Table({
        name: 'audit_pending',
        columns: [
          {
            name: 'position',
            // Never reused, so 64-bit on PostgreSQL; SQLite's INTEGER PRIMARY KEY already is.
            type: queryRunner.connection.options.type === 'postgres' ? 'bigint' : 'integer',
            isPrimary: true,
            isGenerated: true,
            generationStrategy: 'increment',
          },
          { ...text('id', 36), isUnique: true },
          text('batch', 36),
          text('at', 24),
          text('actor_user_id', 36, true),
          text('actor_name', 200),
          text('actor_role', 20, true),
          text('actor_organisation_id', 36, true),
          text('action', 60),
          text('subject_type', 40),
          text('subject_id', 36),
          { name: 'details', type: 'text', isNullable: true },
          // audit_entries.pupil_id (outside the hash), carried onto the chain with the entry.
          text('pupil_id', 36, true),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('audit_pending');
  }
}

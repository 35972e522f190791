import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

/**
 * Issue 9: the audit page filtered by days lists the newest entries in that range first. Without an
 * index on `at`, finding them walked the whole log back from its newest entry (over 30 s for a local
 * authority lead asking for last spring). `(at, seq)` gives the range in order.
 */
export class AuditAtIndex1764640700000 implements MigrationInterface {
  name = 'AuditAtIndex1764640700000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndex(
      'audit_entries',
      new TableIndex({ name: 'idx_audit_at', columnNames: ['at', 'seq'] }),
    );
    await queryRunner.query('ANALYZE audit_entries');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('audit_entries', 'idx_audit_at');
  }
}

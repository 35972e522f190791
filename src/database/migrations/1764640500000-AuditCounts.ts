import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { auditCountRebuildStatements } from './audit-counts.sql';

/**
 * Issue 9: `audit_counts`, the audit log's entries counted by the acting organisation, action and London
 * day, month and all time (audit/audit-counts.ts), so the audit page's total never counts the whole log.
 * Backfilled here from the log with the statements a rebuild uses.
 */
export class AuditCounts1764640500000 implements MigrationInterface {
  name = 'AuditCounts1764640500000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const postgres = queryRunner.connection.options.type === 'postgres';
    await queryRunner.createTable(
      new Table({
        name: 'audit_counts',
        columns: [
          { name: 'organisation_id', type: 'varchar', length: '36', isPrimary: true },
          // 'day' (bucket YYYY-MM-DD), 'month' (YYYY-MM) or 'all' (bucket '').
          { name: 'span', type: 'varchar', length: '5', isPrimary: true },
          { name: 'bucket', type: 'varchar', length: '10', isPrimary: true },
          { name: 'action', type: 'varchar', length: '60', isPrimary: true },
          { name: 'n', type: postgres ? 'bigint' : 'integer', default: 0 },
        ],
      }),
    );
    for (const statement of auditCountRebuildStatements(postgres ? 'postgres' : 'sqlite')) {
      await queryRunner.query(statement);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('audit_counts');
  }
}

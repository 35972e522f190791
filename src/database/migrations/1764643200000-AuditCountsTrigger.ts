import { MigrationInterface, QueryRunner } from 'typeorm';
import { AUDIT_COUNT_TRIGGER, auditCountTriggerSql } from './audit-counts.sql';

/**
 * Issue 9: on SQLite `audit_counts` is kept by a trigger on `audit_entries` (audit/audit-counts.ts), so
 * the writer appends a batch of entries with one statement instead of an insert and an upsert. The
 * counts already there were kept by the app with every append, so they stay as they are; the trigger
 * counts every entry inserted from now on. PostgreSQL keeps counting in its chainer: nothing here.
 */
export class AuditCountsTrigger1764643200000 implements MigrationInterface {
  name = 'AuditCountsTrigger1764643200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.options.type === 'postgres') return;
    await queryRunner.query(auditCountTriggerSql());
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.options.type === 'postgres') return;
    await queryRunner.query(`DROP TRIGGER IF EXISTS ${AUDIT_COUNT_TRIGGER}`);
  }
}

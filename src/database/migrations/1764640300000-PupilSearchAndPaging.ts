import { MigrationInterface, QueryRunner, TableColumn, TableIndex } from 'typeorm';
import { rebuildAuditPupilIds, rebuildPupilSearch } from './backfills';

const SEARCH_COLUMNS = [
  'search_first_name',
  'search_last_name',
  'search_preferred_name',
  'search_full_name',
  'search_last_name_part',
];

/**
 * Issue 9, pupils at local-authority scale (60,000 pupils, 1M concerns):
 * - pupils get their names folded for search (school/pupil-search.ts), each indexed, so a name prefix
 *   or "first last" is a range over an index. On PostgreSQL the columns are `COLLATE "C"` (byte order),
 *   so the same range is served by a plain B-tree whatever the database's collation; SQLite's BINARY
 *   already is. Backfilled here.
 * - the current roll by organisation and pupil (partial index, `ended_on IS NULL`): the access policy's
 *   "enrolled now here" answered from the index alone.
 * - audit entries get `pupil_id` (audit/audit-pupil-column.ts), outside the hash, indexed with `seq`,
 *   backfilled from the hashed fields.
 * Schema builder only, apart from the backfills.
 */
export class PupilSearchAndPaging1764640300000 implements MigrationInterface {
  name = 'PupilSearchAndPaging1764640300000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const postgres = queryRunner.connection.options.type === 'postgres';
    await queryRunner.addColumns(
      'pupils',
      SEARCH_COLUMNS.map(
        (name) =>
          new TableColumn({
            name,
            type: 'varchar',
            length: '200',
            isNullable: true,
            ...(postgres ? { collation: 'C' } : {}),
          }),
      ),
    );
    for (const column of SEARCH_COLUMNS) {
      await queryRunner.createIndex('pupils', new TableIndex({ name: `idx_pupils_${column}`, columnNames: [column] }));
    }
    await queryRunner.createIndex(
      'enrolments',
      new TableIndex({
        name: 'idx_enrolments_current_roll',
        columnNames: ['organisation_id', 'pupil_id'],
        where: 'ended_on IS NULL',
      }),
    );
    await queryRunner.addColumn(
      'audit_entries',
      new TableColumn({ name: 'pupil_id', type: 'varchar', length: '36', isNullable: true }),
    );
    await queryRunner.createIndex(
      'audit_entries',
      new TableIndex({ name: 'idx_audit_pupil', columnNames: ['pupil_id', 'seq'] }),
    );
    await rebuildPupilSearch(queryRunner.manager);
    await rebuildAuditPupilIds(queryRunner.manager);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('audit_entries', 'idx_audit_pupil');
    await queryRunner.dropColumn('audit_entries', 'pupil_id');
    await queryRunner.dropIndex('enrolments', 'idx_enrolments_current_roll');
    for (const column of SEARCH_COLUMNS) await queryRunner.dropIndex('pupils', `idx_pupils_${column}`);
    await queryRunner.dropColumns('pupils', SEARCH_COLUMNS);
  }
}

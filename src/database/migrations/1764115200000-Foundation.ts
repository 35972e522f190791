import { MigrationInterface, QueryRunner, Table, TableColumnOptions, TableIndex } from 'typeorm';

// Written with TypeORM's schema builder, not raw SQL, so the one migration runs on SQLite and PostgreSQL.
const id = (name = 'id'): TableColumnOptions => ({ name, type: 'varchar', length: '36', isPrimary: name === 'id' });
const ref = (name: string, nullable = false): TableColumnOptions => ({
  name,
  type: 'varchar',
  length: '36',
  isNullable: nullable,
});
const text = (name: string, length: number, nullable = false): TableColumnOptions => ({
  name,
  type: 'varchar',
  length: String(length),
  isNullable: nullable,
});
const instant = (name: string, nullable = false): TableColumnOptions => text(name, 24, nullable);
const calendarDate = (name: string, nullable = false): TableColumnOptions => text(name, 10, nullable);
const flag = (name: string): TableColumnOptions => ({ name, type: 'boolean', default: false });

export class Foundation1764115200000 implements MigrationInterface {
  name = 'Foundation1764115200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'organisations',
        columns: [id(), text('kind', 20), text('name', 200), ref('local_authority_id', true), instant('created_at')],
        foreignKeys: [
          { columnNames: ['local_authority_id'], referencedTableName: 'organisations', referencedColumnNames: ['id'] },
        ],
        indices: [{ name: 'idx_organisations_local_authority', columnNames: ['local_authority_id'] }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'users',
        columns: [
          id(),
          { ...text('email', 320), isUnique: true },
          text('name', 200),
          text('password_hash', 200),
          text('language', 2),
          instant('created_at'),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'memberships',
        columns: [id(), ref('user_id'), ref('organisation_id'), text('role', 20), instant('created_at')],
        foreignKeys: [
          { columnNames: ['user_id'], referencedTableName: 'users', referencedColumnNames: ['id'] },
          { columnNames: ['organisation_id'], referencedTableName: 'organisations', referencedColumnNames: ['id'] },
        ],
        indices: [
          { name: 'idx_memberships_user', columnNames: ['user_id'] },
          { name: 'idx_memberships_organisation_role', columnNames: ['organisation_id', 'role'] },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({ name: 'households', columns: [id(), text('label', 200, true), instant('created_at')] }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'pupils',
        columns: [
          id(),
          { ...text('upn', 13), isUnique: true },
          text('first_name', 100),
          text('last_name', 100),
          text('preferred_name', 100, true),
          calendarDate('date_of_birth'),
          text('gender', 20),
          { name: 'year_group', type: 'integer' },
          text('home_language', 60),
          flag('looked_after'),
          flag('cp_register'),
          flag('aln'),
          flag('young_carer'),
          flag('eal'),
          flag('fsm'),
          flag('welsh_speaker'),
          ref('household_id', true),
          instant('created_at'),
        ],
        foreignKeys: [
          { columnNames: ['household_id'], referencedTableName: 'households', referencedColumnNames: ['id'] },
        ],
        indices: [
          { name: 'idx_pupils_last_first', columnNames: ['last_name', 'first_name'] },
          { name: 'idx_pupils_household', columnNames: ['household_id'] },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'enrolments',
        columns: [
          id(),
          ref('pupil_id'),
          ref('organisation_id'),
          text('type', 10),
          calendarDate('started_on'),
          calendarDate('ended_on', true),
          instant('created_at'),
        ],
        foreignKeys: [
          { columnNames: ['pupil_id'], referencedTableName: 'pupils', referencedColumnNames: ['id'] },
          { columnNames: ['organisation_id'], referencedTableName: 'organisations', referencedColumnNames: ['id'] },
        ],
        indices: [
          { name: 'idx_enrolments_organisation_current', columnNames: ['organisation_id', 'ended_on'] },
          { name: 'idx_enrolments_pupil', columnNames: ['pupil_id'] },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'audit_entries',
        columns: [
          { name: 'seq', type: 'integer', isPrimary: true },
          { ...id('id'), isPrimary: false, isUnique: true },
          instant('at'),
          ref('actor_user_id', true),
          text('actor_name', 200),
          text('actor_role', 20, true),
          ref('actor_organisation_id', true),
          text('action', 60),
          text('subject_type', 40),
          text('subject_id', 36),
          { name: 'details', type: 'text', isNullable: true },
          text('prev_hash', 64),
          text('hash', 64),
        ],
        indices: [
          { name: 'idx_audit_subject', columnNames: ['subject_type', 'subject_id', 'seq'] },
          { name: 'idx_audit_actor_organisation', columnNames: ['actor_organisation_id', 'seq'] },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'login_attempts',
        columns: [
          id(),
          text('email', 320),
          text('ip_address', 64, true),
          instant('at'),
          { name: 'succeeded', type: 'boolean' },
        ],
      }),
    );
    await queryRunner.createIndex(
      'login_attempts',
      new TableIndex({ name: 'idx_login_attempts_email_at', columnNames: ['email', 'at'] }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'login_attempts',
      'audit_entries',
      'enrolments',
      'pupils',
      'households',
      'memberships',
      'users',
      'organisations',
    ]) {
      await queryRunner.dropTable(table);
    }
  }
}

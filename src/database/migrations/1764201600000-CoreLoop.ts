import { MigrationInterface, QueryRunner, Table, TableColumnOptions } from 'typeorm';

// Schema builder only, so the migration runs on SQLite and PostgreSQL alike.
const id = (): TableColumnOptions => ({ name: 'id', type: 'varchar', length: '36', isPrimary: true });
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
const longText = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'text', isNullable: nullable });
const instant = (name: string): TableColumnOptions => text(name, 24);
/** The "who" columns: user, name and role as they were, and their organisation. */
const who = (prefix: string): TableColumnOptions[] => [
  ref(`${prefix}_user_id`),
  text(`${prefix}_name`, 200),
  text(`${prefix}_role`, 20),
  ref(`${prefix}_organisation_id`),
];
const fk = (column: string, table: string) => ({
  columnNames: [column],
  referencedTableName: table,
  referencedColumnNames: ['id'],
});

export class CoreLoop1764201600000 implements MigrationInterface {
  name = 'CoreLoop1764201600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'concerns',
        columns: [
          id(),
          ref('pupil_id'),
          ref('organisation_id'),
          ...who('recorded_by'),
          instant('recorded_at'),
          instant('occurred_at'),
          text('category', 20),
          longText('issues'),
          longText('indicators'),
          text('context', 20, true),
          longText('summary'),
          longText('childs_words', true),
          text('childs_words_language', 5, true),
          text('evidence_basis', 30),
          longText('action_taken', true),
          longText('body_map', true),
          ref('corrects_concern_id', true),
        ],
        foreignKeys: [
          fk('pupil_id', 'pupils'),
          fk('organisation_id', 'organisations'),
          fk('recorded_by_user_id', 'users'),
          fk('corrects_concern_id', 'concerns'),
        ],
        indices: [
          { name: 'idx_concerns_pupil_occurred', columnNames: ['pupil_id', 'occurred_at'] },
          { name: 'idx_concerns_organisation_recorded', columnNames: ['organisation_id', 'recorded_at'] },
          { name: 'idx_concerns_recorded_by', columnNames: ['recorded_by_user_id'] },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'concern_linked_pupils',
        columns: [id(), ref('concern_id'), ref('pupil_id'), text('role', 30)],
        foreignKeys: [fk('concern_id', 'concerns'), fk('pupil_id', 'pupils')],
        indices: [
          { name: 'idx_concern_linked_pupils_pupil', columnNames: ['pupil_id'] },
          { name: 'idx_concern_linked_pupils_concern', columnNames: ['concern_id'] },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'concern_decisions',
        columns: [
          id(),
          ref('concern_id'),
          text('outcome', 30),
          longText('rationale'),
          ...who('decided_by'),
          instant('decided_at'),
        ],
        foreignKeys: [fk('concern_id', 'concerns'), fk('decided_by_user_id', 'users')],
        indices: [{ name: 'idx_concern_decisions_concern', columnNames: ['concern_id', 'decided_at'] }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'concern_closures',
        columns: [
          id(),
          { ...ref('concern_id'), isUnique: true },
          longText('rationale'),
          ...who('closed_by'),
          instant('closed_at'),
        ],
        foreignKeys: [fk('concern_id', 'concerns'), fk('closed_by_user_id', 'users')],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'escalations',
        columns: [
          id(),
          ref('concern_id'),
          ref('pupil_id'),
          ref('organisation_id'),
          ref('local_authority_id'),
          text('route', 30),
          longText('reason_for_route', true),
          { name: 'against_recommendation', type: 'boolean' },
          { name: 'recommended_level', type: 'integer' },
          text('recommended_route', 30),
          longText('consent'),
          longText('referral'),
          ...who('sent_by'),
          instant('sent_at'),
          instant('due_by'),
          ref('redirected_from_id', true),
        ],
        foreignKeys: [
          fk('concern_id', 'concerns'),
          fk('pupil_id', 'pupils'),
          fk('organisation_id', 'organisations'),
          fk('local_authority_id', 'organisations'),
          fk('sent_by_user_id', 'users'),
          fk('redirected_from_id', 'escalations'),
        ],
        indices: [
          { name: 'idx_escalations_inbox', columnNames: ['local_authority_id', 'route', 'sent_at'] },
          { name: 'idx_escalations_concern', columnNames: ['concern_id'] },
          { name: 'idx_escalations_pupil', columnNames: ['pupil_id', 'sent_at'] },
          { name: 'idx_escalations_organisation', columnNames: ['organisation_id', 'sent_at'] },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'escalation_acknowledgements',
        columns: [
          id(),
          { ...ref('escalation_id'), isUnique: true },
          ...who('acknowledged_by'),
          instant('acknowledged_at'),
        ],
        foreignKeys: [fk('escalation_id', 'escalations'), fk('acknowledged_by_user_id', 'users')],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'escalation_outcomes',
        columns: [
          id(),
          { ...ref('escalation_id'), isUnique: true },
          text('outcome', 40),
          longText('note'),
          ref('early_help_escalation_id', true),
          ...who('decided_by'),
          instant('decided_at'),
        ],
        foreignKeys: [
          fk('escalation_id', 'escalations'),
          fk('early_help_escalation_id', 'escalations'),
          fk('decided_by_user_id', 'users'),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'escalation_outcomes',
      'escalation_acknowledgements',
      'escalations',
      'concern_closures',
      'concern_decisions',
      'concern_linked_pupils',
      'concerns',
    ]) {
      await queryRunner.dropTable(table);
    }
  }
}

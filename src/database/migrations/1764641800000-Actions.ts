import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';

/**
 * Actions set on a concern (src/dsp/actions/): the action and its completion, each written once. An
 * action is open until a completion names it (the completion's primary key is the action: one each).
 * Indexes: an assignee's list by due date, an organisation's list by due date, a concern's actions, and
 * the reminders' bounded window by due date. Schema builder only, so it runs on SQLite and PostgreSQL.
 */
export class Actions1764641800000 implements MigrationInterface {
  name = 'Actions1764641800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'actions',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'concern_id', type: 'varchar', length: '36' },
          { name: 'pupil_id', type: 'varchar', length: '36' },
          { name: 'organisation_id', type: 'varchar', length: '36' },
          { name: 'description', type: 'text' },
          { name: 'assignee_user_id', type: 'varchar', length: '36' },
          { name: 'assignee_name', type: 'varchar', length: '200' },
          { name: 'due_on', type: 'varchar', length: '10' },
          { name: 'set_at', type: 'varchar', length: '24' },
          { name: 'set_by_user_id', type: 'varchar', length: '36' },
          { name: 'set_by_name', type: 'varchar', length: '200' },
          { name: 'set_by_role', type: 'varchar', length: '20' },
          { name: 'set_by_organisation_id', type: 'varchar', length: '36' },
        ],
        foreignKeys: [
          { columnNames: ['concern_id'], referencedTableName: 'concerns', referencedColumnNames: ['id'] },
          { columnNames: ['pupil_id'], referencedTableName: 'pupils', referencedColumnNames: ['id'] },
          { columnNames: ['organisation_id'], referencedTableName: 'organisations', referencedColumnNames: ['id'] },
          { columnNames: ['assignee_user_id'], referencedTableName: 'users', referencedColumnNames: ['id'] },
        ],
      }),
    );
    await queryRunner.createIndex(
      'actions',
      new TableIndex({ name: 'idx_actions_assignee', columnNames: ['assignee_user_id', 'organisation_id', 'due_on'] }),
    );
    await queryRunner.createIndex(
      'actions',
      new TableIndex({ name: 'idx_actions_organisation', columnNames: ['organisation_id', 'due_on'] }),
    );
    await queryRunner.createIndex(
      'actions',
      new TableIndex({ name: 'idx_actions_concern', columnNames: ['concern_id'] }),
    );
    await queryRunner.createIndex('actions', new TableIndex({ name: 'idx_actions_pupil', columnNames: ['pupil_id'] }));
    await queryRunner.createIndex('actions', new TableIndex({ name: 'idx_actions_due', columnNames: ['due_on'] }));
    await queryRunner.createTable(
      new Table({
        name: 'action_completions',
        columns: [
          { name: 'action_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'note', type: 'text' },
          { name: 'completed_at', type: 'varchar', length: '24' },
          { name: 'completed_by_user_id', type: 'varchar', length: '36' },
          { name: 'completed_by_name', type: 'varchar', length: '200' },
          { name: 'completed_by_role', type: 'varchar', length: '20' },
          { name: 'completed_by_organisation_id', type: 'varchar', length: '36' },
        ],
        foreignKeys: [{ columnNames: ['action_id'], referencedTableName: 'actions', referencedColumnNames: ['id'] }],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('action_completions');
    await queryRunner.dropTable('actions');
  }
}

import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';

const who = (prefix: string) => [
  { name: `${prefix}_user_id`, type: 'varchar', length: '36' },
  { name: `${prefix}_name`, type: 'varchar', length: '200' },
  { name: `${prefix}_role`, type: 'varchar', length: '20' },
  { name: `${prefix}_organisation_id`, type: 'varchar', length: '36' },
];

/**
 * Retention review (src/retention/, issue 14): legal holds and their lifting, disposal proposals and
 * their approval or cancelling, and the tombstone a disposal leaves. Every row is written once: a hold
 * stands until a lift names it, a proposal is pending until a decision names it (primary keys: one
 * each). The review list reads pupils by date of birth, so `pupils.date_of_birth` gets an index.
 * Schema builder only, so it runs on SQLite and PostgreSQL.
 */
export class Retention1764642200000 implements MigrationInterface {
  name = 'Retention1764642200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndex(
      'pupils',
      new TableIndex({ name: 'idx_pupils_date_of_birth', columnNames: ['date_of_birth'] }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'legal_holds',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'pupil_id', type: 'varchar', length: '36' },
          { name: 'reason', type: 'text' },
          { name: 'placed_at', type: 'varchar', length: '24' },
          ...who('placed_by'),
        ],
        foreignKeys: [{ columnNames: ['pupil_id'], referencedTableName: 'pupils', referencedColumnNames: ['id'] }],
        indices: [{ name: 'idx_legal_holds_pupil', columnNames: ['pupil_id'] }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'legal_hold_lifts',
        columns: [
          { name: 'hold_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'reason', type: 'text' },
          { name: 'lifted_at', type: 'varchar', length: '24' },
          ...who('lifted_by'),
        ],
        foreignKeys: [{ columnNames: ['hold_id'], referencedTableName: 'legal_holds', referencedColumnNames: ['id'] }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'disposal_proposals',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'pupil_id', type: 'varchar', length: '36' },
          { name: 'reason', type: 'text' },
          { name: 'proposed_at', type: 'varchar', length: '24' },
          ...who('proposed_by'),
        ],
        foreignKeys: [{ columnNames: ['pupil_id'], referencedTableName: 'pupils', referencedColumnNames: ['id'] }],
        indices: [{ name: 'idx_disposal_proposals_pupil', columnNames: ['pupil_id'] }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'disposal_decisions',
        columns: [
          { name: 'proposal_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'outcome', type: 'varchar', length: '20' },
          { name: 'decided_at', type: 'varchar', length: '24' },
          ...who('decided_by'),
        ],
        foreignKeys: [
          { columnNames: ['proposal_id'], referencedTableName: 'disposal_proposals', referencedColumnNames: ['id'] },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'disposals',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'pupil_id', type: 'varchar', length: '36', isUnique: true },
          { name: 'proposal_id', type: 'varchar', length: '36' },
          { name: 'review_on', type: 'varchar', length: '10' },
          { name: 'reason', type: 'text' },
          { name: 'proposed_at', type: 'varchar', length: '24' },
          ...who('proposed_by'),
          { name: 'disposed_at', type: 'varchar', length: '24' },
          ...who('approved_by'),
          { name: 'counts', type: 'text' },
        ],
        foreignKeys: [
          { columnNames: ['pupil_id'], referencedTableName: 'pupils', referencedColumnNames: ['id'] },
          { columnNames: ['proposal_id'], referencedTableName: 'disposal_proposals', referencedColumnNames: ['id'] },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('disposals');
    await queryRunner.dropTable('disposal_decisions');
    await queryRunner.dropTable('disposal_proposals');
    await queryRunner.dropTable('legal_hold_lifts');
    await queryRunner.dropTable('legal_holds');
    await queryRunner.dropIndex('pupils', 'idx_pupils_date_of_birth');
  }
}

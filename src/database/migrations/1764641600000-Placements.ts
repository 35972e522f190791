import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';

/**
 * PRU placements (pru/): the placement, its reviews and its ending, each appended once. One active
 * placement per pupil at a PRU is the unique (pupil, PRU, sequence) key; one ending per placement is
 * the unique placement key of `placement_endings`. Schema builder only, so it runs on both engines.
 */
export class Placements1764641600000 implements MigrationInterface {
  name = 'Placements1764641600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const who = (prefix: string) => [
      { name: `${prefix}_user_id`, type: 'varchar', length: '36' },
      { name: `${prefix}_name`, type: 'varchar', length: '200' },
      { name: `${prefix}_role`, type: 'varchar', length: '30' },
      { name: `${prefix}_organisation_id`, type: 'varchar', length: '36' },
    ];
    await queryRunner.createTable(
      new Table({
        name: 'placements',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'pupil_id', type: 'varchar', length: '36' },
          { name: 'pru_id', type: 'varchar', length: '36' },
          { name: 'home_organisation_id', type: 'varchar', length: '36' },
          { name: 'sequence', type: 'integer' },
          { name: 'type', type: 'varchar', length: '20' },
          { name: 'reason', type: 'varchar', length: '30' },
          { name: 'reason_detail', type: 'text', isNullable: true },
          { name: 'start_on', type: 'varchar', length: '10' },
          { name: 'review_on', type: 'varchar', length: '10', isNullable: true },
          { name: 'enrolment_id', type: 'varchar', length: '36' },
          ...who('placed_by'),
          { name: 'placed_at', type: 'varchar', length: '24' },
        ],
        foreignKeys: [
          { columnNames: ['pupil_id'], referencedTableName: 'pupils', referencedColumnNames: ['id'] },
          { columnNames: ['pru_id'], referencedTableName: 'organisations', referencedColumnNames: ['id'] },
          {
            columnNames: ['home_organisation_id'],
            referencedTableName: 'organisations',
            referencedColumnNames: ['id'],
          },
          { columnNames: ['enrolment_id'], referencedTableName: 'enrolments', referencedColumnNames: ['id'] },
        ],
      }),
    );
    await queryRunner.createIndex(
      'placements',
      new TableIndex({
        name: 'idx_placements_pupil_pru_sequence',
        columnNames: ['pupil_id', 'pru_id', 'sequence'],
        isUnique: true,
      }),
    );
    await queryRunner.createIndex(
      'placements',
      new TableIndex({ name: 'idx_placements_pru', columnNames: ['pru_id', 'start_on'] }),
    );
    await queryRunner.createIndex(
      'placements',
      new TableIndex({ name: 'idx_placements_home', columnNames: ['home_organisation_id', 'start_on'] }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'placement_reviews',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'placement_id', type: 'varchar', length: '36' },
          { name: 'note', type: 'text' },
          { name: 'next_review_on', type: 'varchar', length: '10', isNullable: true },
          ...who('reviewed_by'),
          { name: 'reviewed_at', type: 'varchar', length: '24' },
        ],
        foreignKeys: [
          { columnNames: ['placement_id'], referencedTableName: 'placements', referencedColumnNames: ['id'] },
        ],
      }),
    );
    await queryRunner.createIndex(
      'placement_reviews',
      new TableIndex({ name: 'idx_placement_reviews_placement', columnNames: ['placement_id', 'reviewed_at'] }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'placement_endings',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'placement_id', type: 'varchar', length: '36' },
          { name: 'end_on', type: 'varchar', length: '10' },
          { name: 'outcome', type: 'varchar', length: '30' },
          { name: 'note', type: 'text' },
          ...who('ended_by'),
          { name: 'ended_at', type: 'varchar', length: '24' },
        ],
        foreignKeys: [
          { columnNames: ['placement_id'], referencedTableName: 'placements', referencedColumnNames: ['id'] },
        ],
      }),
    );
    await queryRunner.createIndex(
      'placement_endings',
      new TableIndex({ name: 'idx_placement_endings_placement', columnNames: ['placement_id'], isUnique: true }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('placement_endings');
    await queryRunner.dropTable('placement_reviews');
    await queryRunner.dropTable('placements');
  }
}

import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/**
 * Issue 8: when the child spoke "another language", which one (free text, e.g. "Polish"), so the DSP
 * and MASH know what interpreter to ask for. Existing concerns read as "not said". Schema builder only.
 */
export class ChildsWordsLanguageName1764550400000 implements MigrationInterface {
  name = 'ChildsWordsLanguageName1764550400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn(
      'concerns',
      new TableColumn({ name: 'childs_words_language_name', type: 'varchar', length: '60', isNullable: true }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('concerns', 'childs_words_language_name');
  }
}

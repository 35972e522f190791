import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/**
 * Issue 8, the revised guidance rules (DOMAIN.md, DSP decision and Escalation):
 * - a decision keeps the DSP's threshold judgement (`reasonableCause`), the guidance it was made
 *   against (level and route at that moment) and whether it went below it (`belowGuidance`);
 * - a referral keeps the threshold judgement, whether it went above the guidance (`aboveGuidance`,
 *   for the LA's aggregate figures only), and whether a staff member sent it because no DSP could be
 *   reached (`dspUnavailable`);
 * - organisations get their Welsh name (`nameCy`);
 * - the LA's early-help response time (working days) lives with its guidance settings.
 * Existing rows read as "not answered", "not below", "not above", "a DSP sent it". Schema builder only.
 */
export class SafeGuidance1764550000000 implements MigrationInterface {
  name = 'SafeGuidance1764550000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('concern_decisions', [
      new TableColumn({ name: 'reasonable_cause', type: 'varchar', length: '10', isNullable: true }),
      new TableColumn({ name: 'reason_for_route', type: 'text', isNullable: true }),
      new TableColumn({ name: 'below_guidance', type: 'boolean', default: false }),
      new TableColumn({ name: 'guidance_level', type: 'integer', isNullable: true }),
      new TableColumn({ name: 'guidance_route', type: 'varchar', length: '30', isNullable: true }),
    ]);
    await queryRunner.addColumns('escalations', [
      new TableColumn({ name: 'reasonable_cause', type: 'varchar', length: '10', isNullable: true }),
      new TableColumn({ name: 'above_guidance', type: 'boolean', default: false }),
      new TableColumn({ name: 'dsp_unavailable', type: 'boolean', default: false }),
    ]);
    await queryRunner.addColumn(
      'organisations',
      new TableColumn({ name: 'name_cy', type: 'varchar', length: '200', isNullable: true }),
    );
    await queryRunner.addColumn(
      'guidance_settings',
      new TableColumn({ name: 'early_help_response_days', type: 'integer', isNullable: true }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('guidance_settings', 'early_help_response_days');
    await queryRunner.dropColumn('organisations', 'name_cy');
    for (const column of ['dsp_unavailable', 'above_guidance', 'reasonable_cause'])
      await queryRunner.dropColumn('escalations', column);
    for (const column of ['guidance_route', 'guidance_level', 'below_guidance', 'reason_for_route', 'reasonable_cause'])
      await queryRunner.dropColumn('concern_decisions', column);
  }
}

import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';

/** `expr` (an ISO instant) with each digit d mapped to the letter (9 - d) of a–j: a later time sorts first. */
function reversedTime(expr: string): string {
  let sql = expr;
  for (let digit = 0; digit <= 9; digit += 1) sql = `REPLACE(${sql}, '${digit}', '${'jihgfedcba'[digit]}')`;
  return sql;
}

/**
 * The backfill, frozen here as it was written: the app keeps the same statement in
 * dsp/escalations/referral-state-projection.ts (rebuildReferralStates), which must stay equal to it.
 */
export const BACKFILL_REFERRAL_STATES_SQL =
  'INSERT INTO referral_states (escalation_id, concern_id, pupil_id, organisation_id, local_authority_id, route, ' +
  'status_rank, sent_at, due_by, acknowledged_at, decided_at, inbox_key) ' +
  `SELECT e.id, e.concern_id, e.pupil_id, e.organisation_id, e.local_authority_id, e.route, ` +
  `CASE WHEN o.escalation_id IS NOT NULL THEN 2 WHEN a.escalation_id IS NOT NULL THEN 1 ELSE 0 END, ` +
  `e.sent_at, e.due_by, a.acknowledged_at, o.decided_at, ` +
  `CASE WHEN o.escalation_id IS NOT NULL THEN '1' || ${reversedTime('e.sent_at')} ELSE '0' || e.sent_at END ` +
  `FROM escalations e ` +
  `LEFT JOIN escalation_acknowledgements a ON a.escalation_id = e.id ` +
  `LEFT JOIN escalation_outcomes o ON o.escalation_id = e.id`;

const instant = (name: string, isNullable = false) => ({ name, type: 'varchar', length: '24', isNullable });
const id = (name: string) => ({ name, type: 'varchar', length: '36' });

/**
 * Issue 9: each referral's state (sent, acknowledged, decided) stored beside the records it is derived
 * from (dsp/escalations/referral-state.entity.ts), so the inboxes and dashboards order, filter and
 * count by index. Backfilled here from escalations, acknowledgements and outcomes by the same SQL the
 * app maintains it with.
 */
export class ReferralStates1764640100000 implements MigrationInterface {
  name = 'ReferralStates1764640100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'referral_states',
        columns: [
          { ...id('escalation_id'), isPrimary: true },
          id('concern_id'),
          id('pupil_id'),
          id('organisation_id'),
          id('local_authority_id'),
          { name: 'route', type: 'varchar', length: '30' },
          { name: 'status_rank', type: 'integer' },
          instant('sent_at'),
          instant('due_by'),
          instant('acknowledged_at', true),
          instant('decided_at', true),
          { name: 'inbox_key', type: 'varchar', length: '30' },
        ],
        foreignKeys: [
          { columnNames: ['escalation_id'], referencedTableName: 'escalations', referencedColumnNames: ['id'] },
        ],
      }),
    );
    const indexes: Array<[string, string[], string?]> = [
      ['idx_referral_states_inbox', ['local_authority_id', 'route', 'inbox_key', 'escalation_id']],
      ['idx_referral_states_status', ['local_authority_id', 'route', 'status_rank', 'inbox_key', 'escalation_id']],
      ['idx_referral_states_overdue', ['local_authority_id', 'route', 'due_by'], 'status_rank < 2'],
      ['idx_referral_states_sent', ['organisation_id', 'sent_at', 'escalation_id']],
      ['idx_referral_states_sent_status', ['organisation_id', 'status_rank', 'sent_at', 'escalation_id']],
      ['idx_referral_states_sent_undecided', ['organisation_id', 'sent_at', 'escalation_id'], 'status_rank < 2'],
    ];
    for (const [name, columnNames, where] of indexes)
      await queryRunner.createIndex('referral_states', new TableIndex({ name, columnNames, where }));
    await queryRunner.query(BACKFILL_REFERRAL_STATES_SQL);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('referral_states');
  }
}

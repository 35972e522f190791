import { MigrationInterface, QueryRunner, TableColumn, TableIndex } from 'typeorm';
import { addColumns, dropColumns } from './columns-in-place';

/**
 * Issue 13, notification emails and the reminder sweep (docs/architecture.md, "Notifications"). Each
 * notification row is its own email outbox: `email_state` is 'pending' when stored, 'sending' while one
 * instance holds it (`email_claimed_at`, taken by a conditional UPDATE), and null once settled (sent,
 * `emailed_at` set, or not wanted). Rows stored before this migration are settled (null): nobody is
 * emailed about old news. The partial index serves the outbox's scan of unsettled rows only; the
 * `(kind, event_key)` index lets the sweep leave out events it has already raised; the reminder sources'
 * partial indexes keep their queries to what is still open and recently due. Both engines.
 */
export class NotificationEmails1764641900000 implements MigrationInterface {
  name = 'NotificationEmails1764641900000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await addColumns(queryRunner, 'notifications', [
      new TableColumn({ name: 'email_state', type: 'varchar', length: '10', isNullable: true }),
      new TableColumn({ name: 'email_claimed_at', type: 'varchar', length: '24', isNullable: true }),
      new TableColumn({ name: 'emailed_at', type: 'varchar', length: '24', isNullable: true }),
    ]);
    await queryRunner.createIndex(
      'notifications',
      new TableIndex({
        name: 'idx_notifications_email_outbox',
        columnNames: ['created_at', 'id'],
        where: 'email_state IS NOT NULL',
      }),
    );
    await queryRunner.createIndex(
      'notifications',
      new TableIndex({ name: 'idx_notifications_kind_event', columnNames: ['kind', 'event_key'] }),
    );
    // The reminder sources' ranges (src/reminders): only what is still open, by when it fell due.
    await queryRunner.createIndex(
      'referral_states',
      new TableIndex({ name: 'idx_referral_states_due', columnNames: ['due_by'], where: 'status_rank < 2' }),
    );
    await queryRunner.createIndex(
      'referral_states',
      new TableIndex({
        name: 'idx_referral_states_unacknowledged',
        columnNames: ['sent_at'],
        where: 'status_rank = 0',
      }),
    );
    await queryRunner.createIndex(
      'concern_states',
      new TableIndex({
        name: 'idx_concern_states_phoned',
        columnNames: ['decision_phoned_at'],
        where: "referral_pending = 'phoned'",
      }),
    );
    await queryRunner.createIndex(
      'transfers',
      new TableIndex({ name: 'idx_transfers_due', columnNames: ['due_by'], where: 'to_organisation_id IS NOT NULL' }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('transfers', 'idx_transfers_due');
    await queryRunner.dropIndex('concern_states', 'idx_concern_states_phoned');
    await queryRunner.dropIndex('referral_states', 'idx_referral_states_unacknowledged');
    await queryRunner.dropIndex('referral_states', 'idx_referral_states_due');
    await queryRunner.dropIndex('notifications', 'idx_notifications_kind_event');
    await queryRunner.dropIndex('notifications', 'idx_notifications_email_outbox');
    await dropColumns(queryRunner, 'notifications', ['email_state', 'email_claimed_at', 'emailed_at']);
  }
}

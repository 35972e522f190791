import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { message } from '../common/language';
import { NotificationEvent } from '../notifications/notifications.service';
import { REMINDER_LOOKBACK_MS, ReminderSource } from '../notifications/reminder-source';
import { OrganisationsService } from '../organisations/organisations.service';
import { TransferReceipt } from './transfer-receipt.entity';
import { Transfer } from './transfer.entity';

/**
 * `transfer_overdue` for the sweep (DOMAIN.md, Records management: the file reaches the receiving DSP
 * within 5 school days, the receiver acknowledges receipt, unacknowledged transfers are chased): the
 * lists' `overdue` rule (transfer-rules.ts `isOverdue`: still waiting for receipt past `due_by`). To the
 * receiving school's DSPs (who must receive it) and the sending school's (who chase it), once per
 * transfer (key `<transferId>:overdue`). A transfer to a school outside the service is done when sent.
 * Due within the last fortnight only (`idx_transfers_due`).
 */
@Injectable()
export class TransferReminders implements ReminderSource {
  readonly name = 'transfers';

  constructor(private readonly organisations: OrganisationsService) {}

  async due(manager: EntityManager, now: Date): Promise<NotificationEvent[]> {
    const transfers = await manager
      .getRepository(Transfer)
      .createQueryBuilder('transfer')
      .where('transfer.to_organisation_id IS NOT NULL')
      .andWhere('transfer.due_by < :now AND transfer.due_by >= :since', {
        now: now.toISOString(),
        since: new Date(now.getTime() - REMINDER_LOOKBACK_MS).toISOString(),
      })
      .andWhere(
        `NOT EXISTS (SELECT 1 FROM ${manager.getRepository(TransferReceipt).metadata.tableName} receipt ` +
          'WHERE receipt.transfer_id = transfer.id)',
      )
      .orderBy('transfer.due_by', 'ASC')
      .addOrderBy('transfer.id', 'ASC')
      .getMany();
    const names = await this.organisations.namesByIds(manager, [
      ...new Set(transfers.flatMap((t) => [t.fromOrganisationId, t.toOrganisationId!])),
    ]);
    const nameOf = (id: string) => ({ name: names.get(id)?.name ?? '', nameCy: names.get(id)?.nameCy ?? null });
    const events: NotificationEvent[] = [];
    for (const transfer of transfers) {
      events.push({
        kind: 'transfer_overdue',
        eventKey: `${transfer.id}:overdue`,
        userIds: await this.organisations.activeMemberIds(
          manager,
          [transfer.toOrganisationId!, transfer.fromOrganisationId],
          ['dsp'],
        ),
        link: `/transfers/${transfer.id}`,
        title: message('notifications.titles.transfer_overdue', {
          from: nameOf(transfer.fromOrganisationId),
          to: nameOf(transfer.toOrganisationId!),
        }),
      });
    }
    return events;
  }
}

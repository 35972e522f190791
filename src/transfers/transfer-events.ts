import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { message } from '../common/language';
import { PupilEvent, PupilEventSource } from '../common/pupil-events';
import { Organisation } from '../organisations/organisation.entity';
import { TransferReceipt } from './transfer-receipt.entity';
import { Transfer } from './transfer.entity';

/**
 * A pupil's transfers as chronology entries (kind `transfer`): each send (inside the local authority,
 * or outside it) where the sender made it, and each receipt where the receiver made it. The chronology
 * asks the access policy first and filters what an organisation that left still reads.
 */
@Injectable()
export class TransferEvents implements PupilEventSource {
  async eventsOf(manager: EntityManager, pupilId: string): Promise<PupilEvent[]> {
    // Each transfer with its receipt and both organisations' names, in one query.
    const transfers = (await manager
      .getRepository(Transfer)
      .createQueryBuilder('transfer')
      .leftJoinAndMapOne('transfer.receipt', TransferReceipt, 'receipt', 'receipt.transfer_id = transfer.id')
      .leftJoinAndMapOne('transfer.from', Organisation, 'sender', 'sender.id = transfer.from_organisation_id')
      .leftJoinAndMapOne('transfer.to', Organisation, 'receiver', 'receiver.id = transfer.to_organisation_id')
      .select([
        'transfer',
        'receipt',
        'sender.id',
        'sender.name',
        'sender.nameCy',
        'receiver.id',
        'receiver.name',
        'receiver.nameCy',
      ])
      .where('transfer.pupil_id = :pupilId', { pupilId })
      .getMany()) as Array<
      Transfer & { receipt: TransferReceipt | null; from: Organisation | null; to: Organisation | null }
    >;
    if (transfers.length === 0) return [];
    const names = new Map(transfers.flatMap((t) => [t.from, t.to]).flatMap((o) => (o ? [[o.id, o] as const] : [])));
    const named = (id: string) => ({ name: names.get(id)?.name ?? '', nameCy: names.get(id)?.nameCy ?? null });
    const events: PupilEvent[] = transfers.map((t) => ({
      id: `transfer:${t.id}:sent`,
      kind: 'transfer',
      at: t.sentAt,
      recordedAt: t.sentAt,
      title: t.toOrganisationId
        ? message('transfers.chronology.sent', { to: named(t.toOrganisationId) })
        : message('transfers.chronology.sentExternally', { to: t.externalName ?? '' }),
      detail: t.note,
      actor: { name: t.sentByName, role: t.sentByRole },
      organisationId: t.fromOrganisationId,
    }));
    for (const transfer of transfers) {
      const receipt = transfer.receipt;
      if (!receipt) continue;
      events.push({
        id: `transfer:${receipt.transferId}:received`,
        kind: 'transfer',
        at: receipt.receivedAt,
        recordedAt: receipt.receivedAt,
        title: message('transfers.chronology.received', { from: named(transfer.fromOrganisationId) }),
        detail: null,
        actor: { name: receipt.receivedByName, role: receipt.receivedByRole },
        organisationId: receipt.receivedByOrganisationId,
      });
    }
    return events;
  }
}

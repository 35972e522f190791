import { Injectable } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import { message } from '../common/language';
import { PupilEvent, PupilEventSource } from '../common/pupil-events';
import { OrganisationsService } from '../organisations/organisations.service';
import { TransferReceipt } from './transfer-receipt.entity';
import { Transfer } from './transfer.entity';

/**
 * A pupil's transfers as chronology entries (kind `transfer`): each send (inside the local authority,
 * or outside it) where the sender made it, and each receipt where the receiver made it. The chronology
 * asks the access policy first and filters what an organisation that left still reads.
 */
@Injectable()
export class TransferEvents implements PupilEventSource {
  constructor(private readonly organisations: OrganisationsService) {}

  async eventsOf(manager: EntityManager, pupilId: string): Promise<PupilEvent[]> {
    const transfers = await manager.getRepository(Transfer).find({ where: { pupilId } });
    if (transfers.length === 0) return [];
    const receipts = await manager
      .getRepository(TransferReceipt)
      .find({ where: { transferId: In(transfers.map((t) => t.id)) } });
    const ids = transfers.flatMap((t) =>
      t.toOrganisationId ? [t.fromOrganisationId, t.toOrganisationId] : [t.fromOrganisationId],
    );
    const names = await this.organisations.namesByIds(manager, [...new Set(ids)]);
    const named = (id: string) => ({ name: names.get(id)?.name ?? '', nameCy: names.get(id)?.nameCy ?? null });
    const byId = new Map(transfers.map((t) => [t.id, t]));
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
    for (const receipt of receipts) {
      const transfer = byId.get(receipt.transferId)!;
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

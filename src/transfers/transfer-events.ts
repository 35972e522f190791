import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { hydrateJsonRow, jsonRowOf, tableOf } from '../database/json-rows';
import { message } from '../common/language';
import { PupilEvent, PupilEventBranch, PupilEventSource } from '../common/pupil-events';
import { Organisation } from '../organisations/organisation.entity';
import { OrganisationRef } from '../organisations/organisations.service';
import { TransferReceipt } from './transfer-receipt.entity';
import { Transfer } from './transfer.entity';

/**
 * A pupil's transfers as chronology entries (kind `transfer`): each send (inside the local authority,
 * or outside it) where the sender made it, and each receipt where the receiver made it. The chronology
 * asks the access policy first and filters what an organisation that left still reads.
 */
@Injectable()
export class TransferEvents implements PupilEventSource {
  /** The pupil's transfers with both organisations' names, and their receipts. */
  branches(manager: EntityManager): PupilEventBranch[] {
    const name = (alias: string) => jsonRowOf(manager, Organisation, alias, ['id', 'name', 'nameCy']);
    const [transfers, organisations] = [tableOf(manager, Transfer), tableOf(manager, Organisation)];
    return [
      {
        tag: 'transfer',
        row: jsonRowOf(manager, Transfer, 'transfer', undefined, {
          sender: name('sender'),
          receiver: name('receiver'),
        }),
        // A transfer outside the local authority has no receiving organisation.
        from: `FROM ${transfers} transfer
          LEFT JOIN ${organisations} sender ON sender.id = transfer.from_organisation_id
          LEFT JOIN ${organisations} receiver ON receiver.id = transfer.to_organisation_id
          WHERE transfer.pupil_id = :pupilId`,
      },
      {
        tag: 'receipt',
        row: jsonRowOf(manager, TransferReceipt, 'receipt'),
        from: `FROM ${tableOf(manager, TransferReceipt)} receipt
          INNER JOIN ${transfers} transfer ON transfer.id = receipt.transfer_id WHERE transfer.pupil_id = :pupilId`,
      },
    ];
  }

  eventsFrom(manager: EntityManager, rowsOf: (tag: string) => Array<Record<string, unknown>>): PupilEvent[] {
    const transfers = rowsOf('transfer').map((row) => hydrateJsonRow(manager, Transfer, row));
    if (transfers.length === 0) return [];
    // A name left out by its LEFT JOIN reads as an object of nulls on both engines.
    const names = new Map(
      rowsOf('transfer')
        .flatMap((row) => [row.sender, row.receiver] as Array<OrganisationRef | null>)
        .flatMap((o) => (o?.id ? [[o.id, o] as const] : [])),
    );
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
    const byId = new Map(transfers.map((transfer) => [transfer.id, transfer]));
    for (const receipt of rowsOf('receipt').map((row) => hydrateJsonRow(manager, TransferReceipt, row))) {
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

import { TransferDetail, TransferItem, TransferParty } from './transfers.service';

/** The API's organisation on a transfer: its id (null outside the local authority) and English name. */
const party = (p: TransferParty) => ({ id: p.id, name: p.name });

/** A list row as API.md names it. */
export function toTransferItemResponse(item: TransferItem) {
  return {
    id: item.id,
    status: item.status,
    sentAt: item.sentAt,
    dueBy: item.dueBy,
    overdue: item.overdue,
    receivedAt: item.receivedAt,
    pupil: item.pupil,
    from: party(item.from),
    to: party(item.to),
  };
}

/** One transfer: API.md's 201 fields, the list row's, and what was sent with it. */
export function toTransferResponse(detail: TransferDetail) {
  return {
    ...toTransferItemResponse(detail),
    fromOrganisationId: detail.fromOrganisationId,
    toOrganisationId: detail.toOrganisationId,
    toExternal: detail.toExternal,
    sentBy: detail.sentBy,
    leavingOn: detail.leavingOn,
    note: detail.note,
    sender: detail.sender,
    receiver: detail.receiver,
  };
}

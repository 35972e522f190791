import { WorkingDayCalendar } from '../calendar/working-days';
import { OrganisationKind } from '../common/roles';
import { TransferError } from './transfer-errors';

/** DOMAIN.md, Records management: the whole file reaches the receiving DSP within 5 school days. */
export const TRANSFER_DUE_WORKING_DAYS = 5;

export const TRANSFER_STATUSES = ['sent', 'sent_externally', 'received'] as const;
export type TransferStatus = (typeof TRANSFER_STATUSES)[number];

/** When the receiving DSP should have confirmed receipt: 5 working days after sending, at the same London time. */
export function transferDueBy(calendar: WorkingDayCalendar, sentAt: Date): Date {
  return calendar.addWorkingDays(sentAt, TRANSFER_DUE_WORKING_DAYS);
}

/** A transfer's status, from which rows exist: external ones are done when sent; the others when received. */
export function transferStatus(transfer: { toOrganisationId: string | null }, receivedAt: Date | null): TransferStatus {
  if (transfer.toOrganisationId === null) return 'sent_externally';
  return receivedAt ? 'received' : 'sent';
}

/** Waiting for receipt (the only open status): another transfer of the pupil cannot be sent meanwhile. */
export const isOpen = (status: TransferStatus): boolean => status === 'sent';

/** Still waiting for receipt after its due time (never for an external or received transfer). */
export function isOverdue(status: TransferStatus, dueBy: Date, now: Date): boolean {
  return isOpen(status) && dueBy.getTime() < now.getTime();
}

/** A possible destination as the organisations module answers it. */
export interface Destination {
  id: string;
  kind: OrganisationKind;
  localAuthorityId: string | null;
  active: boolean;
}

/**
 * Whether a file may go to this organisation: an active school or PRU of the sender's local authority,
 * not the sender itself. An unknown id is refused the same way (a 422 on `toOrganisationId`, never a 404:
 * organisations are not pupil data, and one answer for every wrong choice tells nothing more).
 */
export function destinationProblem(
  sender: { organisationId: string; localAuthorityId: string },
  destination: Destination | null,
): TransferError | null {
  if (!destination) return TransferError.DestinationNotAllowed;
  if (destination.kind !== 'school' && destination.kind !== 'pru') return TransferError.DestinationNotAllowed;
  if (!destination.active || destination.localAuthorityId !== sender.localAuthorityId)
    return TransferError.DestinationNotAllowed;
  if (destination.id === sender.organisationId) return TransferError.DestinationIsSender;
  return null;
}

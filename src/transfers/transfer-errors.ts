import { ModuleRuleError, RuleDescription } from '../common/domain-error';

/** The rules a transfer can break (each a 422 on the API, with its `rule` code). */
export enum TransferError {
  OpenTransfer = 'open_transfer',
  NotOnRoll = 'not_on_roll',
  NotMainSchool = 'not_main_school',
  DestinationNotAllowed = 'destination_not_allowed',
  DestinationIsSender = 'destination_is_sender',
  AlreadyReceived = 'already_received',
  NothingToReceive = 'nothing_to_receive',
}

function describe(reason: TransferError): RuleDescription {
  switch (reason) {
    case TransferError.OpenTransfer:
      return {
        rule: 'open_transfer',
        field: 'status',
        message: 'This pupil’s file has been sent and is waiting for receipt: only one open transfer per pupil',
      };
    case TransferError.NotOnRoll:
      return {
        rule: 'pupil_not_enrolled',
        field: 'status',
        message: 'Only an organisation where the pupil is enrolled now can send the pupil’s file',
      };
    case TransferError.NotMainSchool:
      return {
        rule: 'sender_not_main_school',
        field: 'status',
        message:
          'Only the pupil’s main school sends the safeguarding file: a PRU holding a placement ends the placement instead',
      };
    case TransferError.DestinationNotAllowed:
      return {
        rule: 'destination_not_allowed',
        field: 'toOrganisationId',
        message: 'Choose an active school or PRU of your local authority',
      };
    case TransferError.DestinationIsSender:
      return {
        rule: 'destination_is_sender',
        field: 'toOrganisationId',
        message: 'Choose another school or PRU: this is your own',
      };
    case TransferError.AlreadyReceived:
      return { rule: 'transfer_received', field: 'status', message: 'This transfer has already been received' };
    case TransferError.NothingToReceive:
      return {
        rule: 'transfer_sent_externally',
        field: 'status',
        message: 'This file went outside the local authority: there is nothing to receive here',
      };
  }
}

export class TransferRuleError extends ModuleRuleError<TransferError> {
  constructor(reason: TransferError) {
    super(reason, describe(reason));
  }
}

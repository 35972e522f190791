import { ModuleRuleError } from '../common/domain-error';

/** The retention rules a request can break (422, API.md "Retention"). */
export enum RetentionError {
  LegalHold = 'legal_hold',
  SamePerson = 'disposal_same_person',
  NotYetDue = 'not_yet_due',
  AlreadyDisposed = 'already_disposed',
  AlreadyHeld = 'already_held',
  NotHeld = 'not_held',
  DisposalPending = 'disposal_pending',
  NotPending = 'disposal_not_pending',
  HoldPlacedElsewhere = 'hold_placed_elsewhere',
  ApproverOtherOrganisation = 'approver_other_organisation',
  RecordsHeldElsewhere = 'records_held_elsewhere',
}

const MESSAGES: Record<RetentionError, { field: string; message: string }> = {
  [RetentionError.LegalHold]: {
    field: 'legalHold',
    message: 'A legal hold is on these records: nothing can be disposed of until it is lifted',
  },
  [RetentionError.SamePerson]: {
    field: 'approvedBy',
    message: 'Disposal needs two people: someone other than the person who proposed it must approve it',
  },
  [RetentionError.NotYetDue]: {
    field: 'reviewOn',
    message: 'These records have not reached review (the pupil’s 25th birthday): they cannot be disposed of yet',
  },
  [RetentionError.AlreadyDisposed]: { field: 'pupilId', message: 'These records have already been disposed of' },
  [RetentionError.AlreadyHeld]: { field: 'legalHold', message: 'A legal hold is already on these records' },
  [RetentionError.NotHeld]: { field: 'legalHold', message: 'There is no legal hold on these records to lift' },
  [RetentionError.DisposalPending]: {
    field: 'disposal',
    message: 'A disposal of these records is already waiting for approval',
  },
  [RetentionError.NotPending]: {
    field: 'disposal',
    message: 'This proposal has already been approved or cancelled',
  },
  [RetentionError.HoldPlacedElsewhere]: {
    field: 'legalHold',
    message:
      'Another organisation placed this legal hold: only that organisation or the local authority safeguarding lead can lift it',
  },
  [RetentionError.ApproverOtherOrganisation]: {
    field: 'approvedBy',
    message:
      'Only a designated safeguarding person of the organisation that proposed the disposal, or the local authority safeguarding lead, can approve it',
  },
  [RetentionError.RecordsHeldElsewhere]: {
    field: 'pupilId',
    message:
      'Another organisation also holds records about this pupil: only the local authority safeguarding lead can dispose of them',
  },
};

export class RetentionRuleError extends ModuleRuleError<RetentionError> {
  constructor(reason: RetentionError) {
    super(reason, { rule: reason, ...MESSAGES[reason] });
  }
}

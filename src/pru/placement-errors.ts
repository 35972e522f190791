import { ModuleRuleError, RuleDescription } from '../common/domain-error';

/** The rules a placement can break (each a 422 on the API, with its `rule` code). */
export enum PlacementError {
  HomeNotPupilsSchool = 'home_not_pupils_school',
  ReviewBeforeStart = 'review_before_start',
  NextReviewBeforeStart = 'next_review_before_start',
  EndBeforeStart = 'end_before_start',
  EndInFuture = 'end_in_future',
  ConcernsAwaitingTriage = 'concerns_awaiting_triage',
  AlreadyActive = 'already_active',
  AlreadyOnRoll = 'already_on_roll',
  AlreadyEnded = 'already_ended',
}

function describe(reason: PlacementError): RuleDescription {
  switch (reason) {
    case PlacementError.HomeNotPupilsSchool:
      return {
        rule: 'home_organisation_not_pupils_school',
        field: 'homeOrganisationId',
        message: 'The home organisation must be a school of the local authority where the pupil is enrolled now',
      };
    case PlacementError.ReviewBeforeStart:
      return { rule: 'dates_out_of_order', field: 'reviewOn', message: 'The review date cannot be before the start' };
    case PlacementError.NextReviewBeforeStart:
      return {
        rule: 'dates_out_of_order',
        field: 'nextReviewOn',
        message: 'The next review date cannot be before the placement started',
      };
    case PlacementError.EndBeforeStart:
      return { rule: 'dates_out_of_order', field: 'endOn', message: 'The end date cannot be before the start' };
    case PlacementError.EndInFuture:
      return {
        rule: 'end_in_future',
        field: 'endOn',
        message:
          'A placement is ended on or after the day it ends: until then it stays active, with both settings reading the record',
      };
    case PlacementError.ConcernsAwaitingTriage:
      return {
        rule: 'concerns_awaiting_triage',
        field: 'status',
        message:
          'A concern the PRU recorded about this pupil still waits for a DSP’s decision: decide it before ending the placement, so no concern is left without one',
      };
    case PlacementError.AlreadyActive:
      return {
        rule: 'placement_already_active',
        field: 'pupilId',
        message: 'This pupil already has an active placement at this PRU: review or end it instead',
      };
    case PlacementError.AlreadyOnRoll:
      return {
        rule: 'pupil_already_enrolled_at_pru',
        field: 'pupilId',
        message: 'This pupil is already on the PRU’s roll',
      };
    case PlacementError.AlreadyEnded:
      return { rule: 'placement_ended', field: 'status', message: 'This placement has already ended' };
  }
}

export class PlacementRuleError extends ModuleRuleError<PlacementError> {
  constructor(reason: PlacementError) {
    super(reason, describe(reason));
  }
}

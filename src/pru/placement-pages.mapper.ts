import { DomainError, ErrorCode } from '../common/domain-error';
import { FieldProblem, FormError, formErrorOf, FormSpec } from '../web/forms';
import { PlacementError, PlacementRuleError } from './placement-errors';

const keys = (field: string) => ({
  missing: `placements.errors.${field}Missing`,
  otherwise: `placements.errors.${field}Invalid`,
});

/** The placement forms' fields (API field → form field id and messages). */
export const PLACEMENT_FORM_SPEC: FormSpec = {
  fields: {
    upn: { keys: keys('upn') },
    dateOfBirth: { keys: keys('dateOfBirth') },
    homeOrganisationId: { keys: keys('homeOrganisationId') },
    type: { keys: keys('type') },
    reason: { keys: keys('reason') },
    reasonDetail: { keys: { missing: null } },
    startOn: { keys: keys('startOn') },
    reviewOn: { keys: { otherwise: 'placements.errors.dateInvalid' } },
    nextReviewOn: { keys: { otherwise: 'placements.errors.dateInvalid' } },
    endOn: { keys: keys('endOn') },
    outcome: { keys: keys('outcome') },
  },
  common: {
    tooLong: 'placements.errors.tooLong',
    controlCharacters: 'placements.errors.controlCharacters',
    otherwise: 'placements.errors.invalid',
  },
  fallbackField: 'type',
};

/** The review and end forms share `note`: each shows it on its own field. */
export function formErrorsOfProblems(problems: FieldProblem[], noteField = 'note'): FormError[] {
  return problems
    .map((problem) => {
      if (problem.pattern === 'note')
        return {
          field: noteField,
          key:
            problem.kind === 'missing'
              ? 'placements.errors.noteMissing'
              : problem.kind === 'tooLong'
                ? 'placements.errors.tooLong'
                : 'placements.errors.invalid',
          ...(problem.max ? { max: problem.max } : {}),
        };
      return formErrorOf(problem, PLACEMENT_FORM_SPEC);
    })
    .filter((error): error is FormError => error !== null);
}

/** A placement rule the service refused, on the field it is about; null for any other error. */
export function formErrorOfRule(error: unknown): { status: number; errors: FormError[] } | null {
  if (error instanceof PlacementRuleError) {
    const field: Record<PlacementError, string> = {
      [PlacementError.HomeNotPupilsSchool]: 'homeOrganisationId',
      [PlacementError.ReviewBeforeStart]: 'reviewOn',
      [PlacementError.NextReviewBeforeStart]: 'nextReviewOn',
      [PlacementError.EndBeforeStart]: 'endOn',
      [PlacementError.EndInFuture]: 'endOn',
      [PlacementError.ConcernsAwaitingTriage]: 'outcome',
      [PlacementError.AlreadyActive]: 'upn',
      [PlacementError.AlreadyOnRoll]: 'upn',
      [PlacementError.AlreadyEnded]: 'endOn',
    };
    return { status: 422, errors: [{ field: field[error.reason], key: `placements.rules.${error.reason}` }] };
  }
  if (error instanceof DomainError && error.code === ErrorCode.NotFound)
    return { status: 404, errors: [{ field: 'upn', key: 'placements.errors.notFound' }] };
  return null;
}

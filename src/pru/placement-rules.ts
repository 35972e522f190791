import { PlacementStatus } from './placement.entity';
import { PlacementError, PlacementRuleError } from './placement-errors';

/**
 * The placement rules that need no database (the others, which read the roll and the placements, are
 * PlacementsService's). Dates are `YYYY-MM-DD`, which compare correctly as text.
 */

/** A placement is active until it has an ending (a future end date included: the ending is recorded). */
export function placementStatus(ending: unknown): PlacementStatus {
  return ending ? 'ended' : 'active';
}

/** A review date, a next review date or an end date may not be before the placement's start. */
export function assertNotBeforeStart(
  startOn: string,
  date: string | null | undefined,
  reason: PlacementError.ReviewBeforeStart | PlacementError.NextReviewBeforeStart | PlacementError.EndBeforeStart,
): void {
  if (date && date < startOn) throw new PlacementRuleError(reason);
}

/**
 * An ending is recorded when it happens, not planned ahead: a placement "ended" with a date still to
 * come would read as ended while both settings still read everything (planning belongs in a review).
 */
export function assertEndNotInFuture(endOn: string, today: string): void {
  if (endOn > today) throw new PlacementRuleError(PlacementError.EndInFuture);
}

/**
 * When the placement is next reviewed: the latest review's next date (none when it set none), or the
 * date set when the placement started if it has not been reviewed. Reviews oldest first.
 */
export function currentReviewOn(
  reviewOn: string | null,
  reviews: Array<{ nextReviewOn: string | null }>,
): string | null {
  return reviews.length ? reviews[reviews.length - 1].nextReviewOn : reviewOn;
}

/** An active placement whose review date has passed (a review due today is not yet overdue). */
export function isReviewOverdue(status: PlacementStatus, reviewOn: string | null, today: string): boolean {
  return status === 'active' && reviewOn !== null && reviewOn < today;
}

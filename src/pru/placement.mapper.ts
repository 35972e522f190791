import { BilingualName } from '../common/language';
import { PupilNames } from '../school/pupil.repository';
import { Placement, PlacementEnding, PlacementOutcome, PlacementReason, PlacementReview } from './placement.entity';
import { PlacementStatus, PlacementType } from './placement.entity';
import { currentReviewOn, isReviewOverdue, placementStatus } from './placement-rules';

/** An organisation as a placement names it: id, name, and its Welsh name when it has one. */
export type PlacementOrganisation = { id: string } & BilingualName;

/** API.md: one placement in `GET /api/placements`. */
export interface PlacementListItem {
  id: string;
  status: PlacementStatus;
  pupil: { id: string; upn: string; firstName: string; lastName: string; dateOfBirth: string };
  pru: PlacementOrganisation;
  home: PlacementOrganisation;
  type: PlacementType;
  reason: PlacementReason;
  startOn: string;
  /** When it is next reviewed (the latest review's next date, or the one set at the start). */
  reviewOn: string | null;
  reviewOverdue: boolean;
  endOn: string | null;
  outcome: PlacementOutcome | null;
}

export interface PlacementReviewResponse {
  id: string;
  note: string;
  nextReviewOn: string | null;
  reviewedBy: { name: string; role: string; organisationId: string };
  reviewedAt: string;
}

export interface PlacementEndingResponse {
  endOn: string;
  outcome: PlacementOutcome;
  note: string;
  endedBy: { name: string; role: string; organisationId: string };
  endedAt: string;
}

/** `GET /api/placements/:id` and the answer of every change. */
export interface PlacementDetail extends PlacementListItem {
  reasonDetail: string | null;
  placedBy: { name: string; role: string; organisationId: string };
  placedAt: string;
  reviews: PlacementReviewResponse[];
  ending: PlacementEndingResponse | null;
}

export interface PlacementPage {
  items: PlacementListItem[];
  page: number;
  pageSize: number;
  total: number;
}

export interface PlacementParts {
  placement: Placement;
  /** Oldest first. */
  reviews: PlacementReview[];
  ending: PlacementEnding | null;
  pupil: PupilNames;
  names: Map<string, BilingualName>;
}

const organisation = (names: Map<string, BilingualName>, id: string): PlacementOrganisation => {
  const name = names.get(id);
  return { id, name: name?.name ?? '', nameCy: name?.nameCy ?? null };
};

export function toPlacementListItem(parts: PlacementParts, today: string): PlacementListItem {
  const { placement, reviews, ending, pupil, names } = parts;
  const status = placementStatus(ending);
  const reviewOn = status === 'active' ? currentReviewOn(placement.reviewOn, reviews) : null;
  return {
    id: placement.id,
    status,
    pupil: {
      id: pupil.id,
      upn: pupil.upn,
      firstName: pupil.firstName,
      lastName: pupil.lastName,
      dateOfBirth: pupil.dateOfBirth,
    },
    pru: organisation(names, placement.pruId),
    home: organisation(names, placement.homeOrganisationId),
    type: placement.type,
    reason: placement.reason,
    startOn: placement.startOn,
    reviewOn,
    reviewOverdue: isReviewOverdue(status, reviewOn, today),
    endOn: ending?.endOn ?? null,
    outcome: ending?.outcome ?? null,
  };
}

export function toPlacementDetail(parts: PlacementParts, today: string): PlacementDetail {
  const { placement, reviews, ending } = parts;
  return {
    ...toPlacementListItem(parts, today),
    reasonDetail: placement.reasonDetail,
    placedBy: {
      name: placement.placedByName,
      role: placement.placedByRole,
      organisationId: placement.placedByOrganisationId,
    },
    placedAt: placement.placedAt.toISOString(),
    reviews: reviews.map((review) => ({
      id: review.id,
      note: review.note,
      nextReviewOn: review.nextReviewOn,
      reviewedBy: {
        name: review.reviewedByName,
        role: review.reviewedByRole,
        organisationId: review.reviewedByOrganisationId,
      },
      reviewedAt: review.reviewedAt.toISOString(),
    })),
    ending: ending
      ? {
          endOn: ending.endOn,
          outcome: ending.outcome,
          note: ending.note,
          endedBy: { name: ending.endedByName, role: ending.endedByRole, organisationId: ending.endedByOrganisationId },
          endedAt: ending.endedAt.toISOString(),
        }
      : null,
  };
}

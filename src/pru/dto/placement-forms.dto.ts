import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { PageFormDto } from '../../common/page-form.dto';
import { PageQueryDto } from '../../common/page-query.dto';
import { FormChoice, FormText } from '../../web/forms';

/** `/placements/new`, first step: the child by exact UPN and date of birth (school's lookup). */
export class FindPupilFormDto extends PageFormDto {
  @FormText(100) upn?: string;
  @FormText(100) dateOfBirth?: string;
}

/** `/placements/new`, second step: the placement (the pupil is found again from the UPN and date of birth). */
export class NewPlacementFormDto extends FindPupilFormDto {
  @FormChoice() homeOrganisationId?: string;
  @FormChoice() type?: string;
  @FormChoice() reason?: string;
  @FormText(10_000) reasonDetail?: string;
  @FormText(100) startOn?: string;
  @FormText(100) reviewOn?: string;
}

export class ReviewFormDto extends PageFormDto {
  @FormText(10_000) note?: string;
  @FormText(100) nextReviewOn?: string;
}

export class EndFormDto extends PageFormDto {
  @FormText(100) endOn?: string;
  @FormChoice() outcome?: string;
  @FormText(10_000) note?: string;
}

/** What `?done=` may say after a change on a placement's page. */
export const PLACEMENT_PAGE_DONE = ['started', 'reviewed', 'ended'] as const;
export type PlacementPageDone = (typeof PLACEMENT_PAGE_DONE)[number];

export class PlacementsPageQueryDto extends PageQueryDto {
  @IsOptional()
  @IsIn(['active', 'ended'])
  status?: 'active' | 'ended';

  @IsOptional()
  @IsString()
  @MaxLength(7)
  page?: string;
}

export class PlacementPageQueryDto extends PageQueryDto {
  @IsOptional()
  @IsIn(PLACEMENT_PAGE_DONE)
  done?: PlacementPageDone;
}

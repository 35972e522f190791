import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID, ValidateBy, ValidationOptions } from 'class-validator';
import { parseCalendarDate } from '../../common/calendar-date';
import { PageNumber, PageSize } from '../../common/paging';
import { IsPlainText } from '../../common/validation';
import {
  PLACEMENT_OUTCOMES,
  PLACEMENT_REASONS,
  PLACEMENT_STATUSES,
  PLACEMENT_TYPES,
  PlacementOutcome,
  PlacementReason,
  PlacementStatus,
  PlacementType,
} from '../placement.entity';

/** The longest reason detail, review note or ending note (characters). */
export const PLACEMENT_TEXT_MAX = 5000;

/** A real calendar date `YYYY-MM-DD` between 2000 and 2100 (a placement's start, review or end). */
export function IsPlacementDate(validationOptions?: ValidationOptions) {
  return ValidateBy(
    {
      name: 'isPlacementDate',
      validator: {
        validate: (value: unknown) => {
          if (typeof value !== 'string') return false;
          const day = parseCalendarDate(value);
          return day !== undefined && value >= '2000-01-01' && value <= '2100-12-31';
        },
        defaultMessage: (args) => `${args?.property ?? 'date'} must be a real date (YYYY-MM-DD)`,
      },
    },
    validationOptions,
  );
}

/** API.md: `POST /api/placements`. */
export class CreatePlacementDto {
  @ApiProperty()
  @IsUUID('all')
  pupilId: string;

  @ApiProperty({ description: 'The PRU: the caller’s own organisation.' })
  @IsUUID('all')
  pruId: string;

  @ApiProperty({ description: 'The school of the local authority where the pupil is enrolled now.' })
  @IsUUID('all')
  homeOrganisationId: string;

  @ApiProperty({ enum: PLACEMENT_TYPES })
  @IsIn(PLACEMENT_TYPES)
  type: PlacementType;

  @ApiProperty({ example: '2026-10-05' })
  @IsPlacementDate()
  startOn: string;

  @ApiProperty({ enum: PLACEMENT_REASONS })
  @IsIn(PLACEMENT_REASONS)
  reason: PlacementReason;

  @ApiPropertyOptional()
  @IsOptional()
  @IsPlainText({ min: 1, max: PLACEMENT_TEXT_MAX })
  reasonDetail?: string | null;

  @ApiPropertyOptional({ example: '2026-12-07', description: 'Not before startOn.' })
  @IsOptional()
  @IsPlacementDate()
  reviewOn?: string | null;
}

/** API.md: `POST /api/placements/:id/reviews`. */
export class ReviewPlacementDto {
  @ApiProperty()
  @IsPlainText({ min: 1, max: PLACEMENT_TEXT_MAX })
  note: string;

  @ApiPropertyOptional({ description: 'Not before the placement’s start.' })
  @IsOptional()
  @IsPlacementDate()
  nextReviewOn?: string | null;
}

/** API.md: `POST /api/placements/:id/end`. */
export class EndPlacementDto {
  @ApiProperty({ description: 'Not before the placement’s start, and not after today (422 end_in_future).' })
  @IsPlacementDate()
  endOn: string;

  @ApiProperty({ enum: PLACEMENT_OUTCOMES })
  @IsIn(PLACEMENT_OUTCOMES)
  outcome: PlacementOutcome;

  @ApiProperty()
  @IsPlainText({ min: 1, max: PLACEMENT_TEXT_MAX })
  note: string;
}

/** API.md: `GET /api/placements?status=&page=&pageSize=`. */
export class ListPlacementsQueryDto {
  @ApiPropertyOptional({ enum: PLACEMENT_STATUSES })
  @IsOptional()
  @IsIn(PLACEMENT_STATUSES)
  status?: PlacementStatus;

  @PageNumber()
  page?: number;

  @PageSize()
  pageSize?: number;
}

import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, Max, Min } from 'class-validator';
import { SENT_REFERRALS_PAGE_SIZE } from '../escalations.service';

/** `GET /api/escalations`: the referrals the caller's school or PRU sent, paged (API.md, Paging). */
export class ListSentReferralsDto {
  @ApiPropertyOptional({ description: 'Only those the local authority has not decided yet (`true`).' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  undecided?: boolean;

  @ApiPropertyOptional({ minimum: 1, default: 1, description: 'The page, from 1.' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  page?: number;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: SENT_REFERRALS_PAGE_SIZE.max,
    default: SENT_REFERRALS_PAGE_SIZE.default,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(SENT_REFERRALS_PAGE_SIZE.max)
  pageSize?: number;
}

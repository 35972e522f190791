import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional } from 'class-validator';
import { PageNumber, PageSize } from '../../../common/paging';

/** `GET /api/escalations`: the referrals the caller's school or PRU sent, paged (API.md, Paging). */
export class ListSentReferralsDto {
  @ApiPropertyOptional({ description: 'Only those the local authority has not decided yet (`true`).' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  undecided?: boolean;

  @PageNumber()
  page?: number;

  @PageSize()
  pageSize?: number;
}

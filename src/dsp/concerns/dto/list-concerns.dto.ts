import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';

export const CONCERN_STATUSES = ['awaiting_triage', 'open', 'closed'] as const;
export type ConcernStatus = (typeof CONCERN_STATUSES)[number];

/** API.md, Paging: `page` from 1; `pageSize` 1 to 200 (default 50). Anything else is a 400 naming the field. */
export class PagingQueryDto {
  @ApiPropertyOptional({ minimum: 1, default: 1 })
  @IsOptional()
  @Matches(/^[1-9][0-9]{0,8}$/, { message: 'page must be a whole number from 1' })
  page?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Matches(/^(?:[1-9]|[1-9][0-9]|1[0-9]{2}|200)$/, { message: 'pageSize must be a whole number from 1 to 200' })
  pageSize?: string;
}

export class ListConcernsQueryDto extends PagingQueryDto {
  @ApiPropertyOptional({ enum: CONCERN_STATUSES })
  @IsOptional()
  @IsIn(CONCERN_STATUSES)
  status?: ConcernStatus;
}

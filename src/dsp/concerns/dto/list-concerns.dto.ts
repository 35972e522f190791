import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { PagingQueryDto } from '../../../common/paging';

export const CONCERN_STATUSES = ['awaiting_triage', 'open', 'closed'] as const;
export type ConcernStatus = (typeof CONCERN_STATUSES)[number];

/** `GET /api/concerns`: a status filter and API.md's paging. */
export class ListConcernsQueryDto extends PagingQueryDto {
  @ApiPropertyOptional({ enum: CONCERN_STATUSES })
  @IsOptional()
  @IsIn(CONCERN_STATUSES)
  status?: ConcernStatus;
}

import { IsIn, IsOptional } from 'class-validator';

export const CONCERN_STATUSES = ['awaiting_triage', 'open', 'closed'] as const;
export type ConcernStatus = (typeof CONCERN_STATUSES)[number];

export class ListConcernsQueryDto {
  @IsOptional()
  @IsIn(CONCERN_STATUSES)
  status?: ConcernStatus;
}

import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

/** API.md, Paging: `pageSize` 1 to 200, 50 unless asked. One rule for every list. */
export const PAGE_SIZE = { default: 50, max: 200 } as const;

/** The highest page anyone may ask for: far past the end of any list, low enough to stay a safe OFFSET. */
export const MAX_PAGE = 1_000_000;

/** `?page=`: a whole number from 1 (optional; a page past the end is empty with the true total), else a 400 naming it. */
export function PageNumber(description = 'The page, from 1.'): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE, default: 1, description }),
    IsOptional(),
    Type(() => Number),
    IsInt(),
    Min(1),
    Max(MAX_PAGE),
  );
}

/** `?pageSize=`: a whole number from 1 to 200 (optional; 50), else a 400 naming it. */
export function PageSize(): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ minimum: 1, maximum: PAGE_SIZE.max, default: PAGE_SIZE.default }),
    IsOptional(),
    Type(() => Number),
    IsInt(),
    Min(1),
    Max(PAGE_SIZE.max),
  );
}

/** The paging parameters of a JSON list (API.md, Paging). */
export class PagingQueryDto {
  @PageNumber()
  page?: number;

  @PageSize()
  pageSize?: number;
}

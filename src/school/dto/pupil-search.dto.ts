import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { PageQueryDto } from '../../common/page-query.dto';
import { IsPlainText } from '../../common/validation';

/** Pupil list pages: `pageSize` 1 to 200, 50 unless asked (API.md, Paging). */
const PAGE_SIZE = { default: 50, max: 200 } as const;

export class PupilSearchQueryDto {
  @ApiPropertyOptional({
    description:
      'The start of a first, last or preferred name, or of "first last" (case and accents ignored), or a whole UPN.',
  })
  @IsOptional()
  @IsPlainText({ min: 0, max: 100 })
  q?: string;

  @ApiPropertyOptional({ minimum: 1, default: 1, description: 'The page, from 1.' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  page?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: PAGE_SIZE.max, default: PAGE_SIZE.default })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(PAGE_SIZE.max)
  pageSize?: number;
}

export class PupilSearchPageQueryDto extends PageQueryDto {
  @IsOptional()
  @IsPlainText({ min: 0, max: 100 })
  q?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  page?: number;
}

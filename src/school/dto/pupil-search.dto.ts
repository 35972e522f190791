import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { PageQueryDto } from '../../common/page-query.dto';
import { IsPlainText } from '../../common/validation';
import { PageNumber, PageSize } from '../../common/paging';

export class PupilSearchQueryDto {
  @ApiPropertyOptional({
    description:
      'The start of a first, last or preferred name, or of "first last" (case and accents ignored), or a whole UPN.',
  })
  @IsOptional()
  @IsPlainText({ min: 0, max: 100 })
  q?: string;

  @PageNumber()
  page?: number;

  @PageSize()
  pageSize?: number;
}

export class PupilSearchPageQueryDto extends PageQueryDto {
  @IsOptional()
  @IsPlainText({ min: 0, max: 100 })
  q?: string;

  @PageNumber()
  page?: number;
}

import { IsOptional } from 'class-validator';
import { PageQueryDto } from '../../common/page-query.dto';
import { IsPlainText } from '../../common/validation';

export class PupilSearchQueryDto {
  @IsOptional()
  @IsPlainText({ min: 0, max: 100 })
  q?: string;
}

export class PupilSearchPageQueryDto extends PageQueryDto {
  @IsOptional()
  @IsPlainText({ min: 0, max: 100 })
  q?: string;
}

import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { PageFormDto } from '../../../common/page-form.dto';
import { PageQueryDto } from '../../../common/page-query.dto';
import { PageNumber } from '../../../common/paging';

/** The upload form's fields besides the file (multipart): all optional text, checked by the controller. */
export class RollUploadFormDto extends PageFormDto {
  @IsOptional()
  @IsString()
  @MaxLength(20)
  mode?: string;

  @IsOptional()
  @IsString()
  @MaxLength(100)
  organisationId?: string;
}

/** The confirm: the SHA-256 of the file the preview showed, which the kept file must still have. */
export class RollConfirmFormDto extends PageFormDto {
  @IsOptional()
  @IsString()
  @MaxLength(100)
  sha256?: string;
}

export class RollPreviewQueryDto extends PageQueryDto {
  @PageNumber()
  page?: number;
}

const COUNT = /^\d{1,6}$/;

/** After a confirm: the counts of what was done, shown on the upload page. */
export class RollImportPageQueryDto extends PageQueryDto {
  @IsOptional() @Matches(COUNT) added?: string;
  @IsOptional() @Matches(COUNT) updated?: string;
  @IsOptional() @Matches(COUNT) unchanged?: string;
  @IsOptional() @Matches(COUNT) left?: string;
}

import { IsOptional, IsString, MaxLength } from 'class-validator';

/** Query parameters every page accepts: the language switch (`?lang=`), handled by the language middleware. */
export class PageQueryDto {
  @IsOptional()
  @IsString()
  @MaxLength(5)
  lang?: string;
}

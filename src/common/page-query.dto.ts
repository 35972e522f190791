import { IsOptional, IsString, MaxLength } from 'class-validator';

/** Query parameters every page accepts: `?lang=` chooses the page's language (the language middleware; it saves nothing). */
export class PageQueryDto {
  @IsOptional()
  @IsString()
  @MaxLength(5)
  lang?: string;
}

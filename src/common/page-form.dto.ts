import { IsOptional, IsString, MaxLength } from 'class-validator';

/** Every HTML form posts its CSRF token as `_csrf` (checked by CsrfGuard); DTOs of forms extend this. */
export class PageFormDto {
  @IsOptional()
  @IsString()
  @MaxLength(200)
  _csrf?: string;
}

import { IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';

/** Every HTML form posts its CSRF token as `_csrf` (checked by CsrfGuard); DTOs of forms extend this. */
export class PageFormDto {
  @IsOptional()
  @IsString()
  @MaxLength(200)
  _csrf?: string;
}

/**
 * A form that records something once: it also posts the one-use token rendered into it
 * (`submissionKey`), so a double submit records one thing (see dsp/submissions/idempotency.ts).
 */
export class OneUsePageFormDto extends PageFormDto {
  @IsOptional()
  @IsUUID()
  submissionKey?: string;
}

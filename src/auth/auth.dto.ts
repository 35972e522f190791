import { IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { PageFormDto } from '../common/page-form.dto';
import { IsPlainText } from '../common/validation';

/**
 * Malformed input (missing, not text, too long, NUL or other control characters) is a 400; anything
 * well-formed is checked against the accounts and is at worst a 401. A password of only spaces is
 * well-formed (a wrong password), so it is not refused as blank here.
 */
export class LoginDto {
  @IsPlainText({ max: 320 })
  email: string;

  @IsPlainText({ min: 0, max: 1024 })
  @MinLength(1, { message: 'password must not be empty' })
  password: string;
}

/** The sign-in form: the same fields, plus where to go next and the CSRF token. Blanks are re-asked for. */
export class LoginFormDto extends PageFormDto {
  @IsOptional()
  @IsPlainText({ min: 0, max: 320 })
  email?: string;

  @IsOptional()
  @IsPlainText({ min: 0, max: 1024 })
  password?: string;

  @IsOptional()
  @IsString()
  @MaxLength(2000)
  next?: string;
}

import { IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { PageFormDto } from '../../common/page-form.dto';
import { IsPlainText } from '../../common/validation';

/** A six-digit authenticator code or a recovery code, as typed (spaces and hyphens allowed). */
const CODE_MAX = 64;

export class TwoFactorCodeDto {
  @IsPlainText({ max: CODE_MAX })
  code: string;
}

/** Turning it on; while on, `currentCode` (from the authenticator in use, or a recovery code) moves it to the new one. */
export class EnableTwoFactorDto extends TwoFactorCodeDto {
  @IsOptional()
  @IsPlainText({ max: CODE_MAX })
  currentCode?: string;
}

export class DisableTwoFactorDto {
  @IsPlainText({ min: 0, max: 1024 })
  @MinLength(1, { message: 'password must not be empty' })
  password: string;

  @IsPlainText({ max: CODE_MAX })
  code: string;
}

/** The second step of signing in: the challenge the password step answered, and a code. */
export class LoginCodeDto {
  @IsPlainText({ max: 200 })
  challengeToken: string;

  @IsPlainText({ max: CODE_MAX })
  code: string;
}

/** Page forms: every field optional text, so the page can come back with what was typed. */
export class TwoFactorCodeFormDto extends PageFormDto {
  @IsOptional()
  @IsPlainText({ min: 0, max: CODE_MAX })
  code?: string;
}

export class EnableTwoFactorFormDto extends TwoFactorCodeFormDto {
  @IsOptional()
  @IsPlainText({ min: 0, max: CODE_MAX })
  currentCode?: string;
}

export class DisableTwoFactorFormDto extends TwoFactorCodeFormDto {
  @IsOptional()
  @IsPlainText({ min: 0, max: 1024 })
  password?: string;
}

export class LoginCodeFormDto extends TwoFactorCodeFormDto {
  @IsOptional()
  @IsPlainText({ min: 0, max: 200 })
  challengeToken?: string;

  @IsOptional()
  @IsString()
  @MaxLength(2000)
  next?: string;
}

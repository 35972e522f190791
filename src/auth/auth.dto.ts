import { IsBoolean, IsIn, IsOptional, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';
import { Language, LANGUAGES } from '../common/language';
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

/**
 * A change of password. Lengths here are only transport bounds: the policy (12 to 256 characters, not
 * common, not the email's name) is checked by the service and answered as 400 `password`/`newPassword`.
 */
export class ChangePasswordDto {
  @IsPlainText({ min: 0, max: 1024 })
  @MinLength(1, { message: 'currentPassword must not be empty' })
  currentPassword: string;

  @IsPlainText({ min: 0, max: 1024 })
  newPassword: string;
}

/** Ask for a reset link. Any text that could be an email is accepted, and answered alike. */
export class PasswordResetRequestDto {
  @IsPlainText({ max: 320 })
  email: string;
}

/** A new password chosen with a reset link (the policy is the service's, answered as 400 `password`). */
export class PasswordResetDto {
  @IsPlainText({ min: 0, max: 1024 })
  password: string;
}

/** `POST /api/auth/switch`: work in another of one's roles (one of `GET /api/me/memberships`). */
export class SwitchMembershipDto {
  @IsUUID()
  membershipId: string;
}

/** The `/account` form that does the same. */
export class SwitchMembershipFormDto extends PageFormDto {
  @IsOptional()
  @IsString()
  @MaxLength(64)
  membershipId?: string;
}

/** `PATCH /api/me`: either or both; an empty body changes nothing. */
export class UpdateMeDto {
  @IsOptional()
  @IsIn(LANGUAGES)
  language?: Language;

  @IsOptional()
  @IsBoolean()
  emailNotifications?: boolean;
}

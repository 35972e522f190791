import { IsOptional } from 'class-validator';
import { PageFormDto } from '../common/page-form.dto';
import { IsPlainText } from '../common/validation';

/** The /account page's change of password: every field optional text, so the page can re-ask for blanks. */
export class ChangePasswordFormDto extends PageFormDto {
  @IsOptional()
  @IsPlainText({ min: 0, max: 1024 })
  currentPassword?: string;

  @IsOptional()
  @IsPlainText({ min: 0, max: 1024 })
  newPassword?: string;

  @IsOptional()
  @IsPlainText({ min: 0, max: 1024 })
  confirmPassword?: string;
}

/** The /account page's settings: language and email notifications, as radio values. */
export class AccountPreferencesFormDto extends PageFormDto {
  @IsOptional()
  @IsPlainText({ min: 0, max: 10 })
  language?: string;

  @IsOptional()
  @IsPlainText({ min: 0, max: 10 })
  emailNotifications?: string;
}

/** /reset: the email to send a link to. */
export class ResetRequestFormDto extends PageFormDto {
  @IsOptional()
  @IsPlainText({ min: 0, max: 320 })
  email?: string;
}

/** /reset/:token: the new password, twice. */
export class ResetPasswordFormDto extends PageFormDto {
  @IsOptional()
  @IsPlainText({ min: 0, max: 1024 })
  password?: string;

  @IsOptional()
  @IsPlainText({ min: 0, max: 1024 })
  confirmPassword?: string;
}

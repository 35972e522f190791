import { IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { PageFormDto } from '../common/page-form.dto';

export class LoginDto {
  @IsString()
  @MinLength(1, { message: 'email must not be empty' })
  @MaxLength(320)
  email: string;

  @IsString()
  @MinLength(1, { message: 'password must not be empty' })
  @MaxLength(1024)
  password: string;
}

/** The sign-in form: the same fields, plus where to go next and the CSRF token. */
export class LoginFormDto extends PageFormDto {
  @IsOptional()
  @IsString()
  @MaxLength(320)
  email?: string;

  @IsOptional()
  @IsString()
  @MaxLength(1024)
  password?: string;

  @IsOptional()
  @IsString()
  @MaxLength(2000)
  next?: string;
}

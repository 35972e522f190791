import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsIn, IsOptional, IsUUID, MaxLength, MinLength } from 'class-validator';
import { PagingQueryDto } from '../../common/paging';
import { LANGUAGES, Language, Role, ROLES } from '../../common/roles';
import { IsPlainText } from '../../common/validation';

export const EMAIL_MAX = 320;
export const PERSON_NAME_MAX = 200;

export class UsersQueryDto extends PagingQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'organisationId must be a UUID' })
  organisationId?: string;

  @ApiPropertyOptional({ description: 'Part of a name or email address' })
  @IsOptional()
  @IsPlainText({ max: 200 })
  q?: string;
}

export class MembershipDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'organisationId must be a UUID' })
  organisationId: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role: Role;
}

export class InviteUserDto extends MembershipDto {
  @ApiProperty({ maxLength: EMAIL_MAX })
  @IsPlainText({ max: EMAIL_MAX })
  @IsEmail({}, { message: 'email must be an email address' })
  email: string;

  @ApiProperty({ maxLength: PERSON_NAME_MAX })
  @IsPlainText({ max: PERSON_NAME_MAX })
  name: string;

  @ApiPropertyOptional({ enum: LANGUAGES, default: 'en' })
  @IsOptional()
  @IsIn(LANGUAGES)
  language?: Language;
}

export class AcceptInvitationDto {
  /** The policy (length, common passwords, the email's name) is checked by the service: 400 `password`. */
  @ApiProperty({ minLength: 12, maxLength: 256 })
  @IsPlainText({ min: 0, max: 1024 })
  @MinLength(1, { message: 'password must not be empty' })
  @MaxLength(1024)
  password: string;
}

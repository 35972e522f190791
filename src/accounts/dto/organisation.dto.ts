import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, Matches } from 'class-validator';
import { PagingQueryDto } from '../../common/paging';
import { IsPlainText } from '../../common/validation';

export const ORGANISATION_NAME_MAX = 200;

export class CreateOrganisationDto {
  @ApiProperty({ enum: ['school', 'pru'] })
  @IsIn(['school', 'pru'])
  kind: 'school' | 'pru';

  @ApiProperty({ maxLength: ORGANISATION_NAME_MAX })
  @IsPlainText({ max: ORGANISATION_NAME_MAX })
  name: string;

  @ApiPropertyOptional({ maxLength: ORGANISATION_NAME_MAX, description: 'The Welsh name' })
  @IsOptional()
  @IsPlainText({ max: ORGANISATION_NAME_MAX })
  nameCy?: string;

  @ApiProperty({ example: '6812345', description: 'LA number + establishment number: 7 digits, unique' })
  @Matches(/^\d{7}$/, { message: 'code must be 7 digits (the LA number and the establishment number)' })
  code: string;
}

export class UpdateOrganisationDto {
  @ApiPropertyOptional({ maxLength: ORGANISATION_NAME_MAX })
  @IsOptional()
  @IsPlainText({ max: ORGANISATION_NAME_MAX })
  name?: string;

  /** null (or an empty string from a form) removes the Welsh name. */
  @ApiPropertyOptional({ maxLength: ORGANISATION_NAME_MAX, nullable: true })
  @IsOptional()
  @IsPlainText({ min: 0, max: ORGANISATION_NAME_MAX })
  nameCy?: string | null;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}

export class OrganisationsQueryDto extends PagingQueryDto {}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, ValidateBy, ValidationArguments, ValidationOptions } from 'class-validator';
import { IsDateOfBirth } from '../../../common/instant-validators';
import { isValidUpn } from '../../upn';
import { ROLL_MODES, RollMode } from '../roll-import.service';

/** `?dryRun=true|false&mode=full|partial` (API.md, "The roll"). */
export class RollImportQueryDto {
  @ApiPropertyOptional({ enum: ['true', 'false'], default: 'false' })
  @IsOptional()
  @IsIn(['true', 'false'])
  dryRun?: 'true' | 'false';

  @ApiPropertyOptional({ enum: ROLL_MODES, default: 'full' })
  @IsOptional()
  @IsIn(ROLL_MODES)
  mode?: RollMode;
}

/** A Unique Pupil Number with the right check letter (school/upn.ts). */
export function IsUpn(validationOptions?: ValidationOptions) {
  return ValidateBy(
    {
      name: 'isUpn',
      validator: {
        validate: (value: unknown) => isValidUpn(value),
        defaultMessage: (args?: ValidationArguments) =>
          `${args?.property ?? 'upn'} must be a UPN: a check letter, then 12 characters, the letter matching them`,
      },
    },
    validationOptions,
  );
}

/** `?upn=&dateOfBirth=`: both required; a malformed UPN (or a wrong check letter) or date is a 400. */
export class PupilLookupQueryDto {
  @ApiProperty({ example: 'A681234526001' })
  @IsUpn()
  upn: string;

  @ApiProperty({ example: '2016-03-14' })
  @IsDateOfBirth()
  dateOfBirth: string;
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsDefined,
  IsIn,
  IsObject,
  IsOptional,
  IsUUID,
  registerDecorator,
  ValidateIf,
  ValidateNested,
  ValidationOptions,
} from 'class-validator';
import { DAY_MS, parseCalendarDate } from '../../common/calendar-date';
import { IsPlainText } from '../../common/validation';
import { EXTERNAL_SEND_METHODS, ExternalSendMethod } from '../transfer.entity';

/** How far from today a leaving date may be (days, either way): a real date of this school year or the next. */
export const LEAVING_DATE_RANGE_DAYS = 366;
export const TRANSFER_NOTE_MAX = 5000;
export const EXTERNAL_NAME_MAX = 200;

/** `YYYY-MM-DD`, a real date within a year of today. */
function IsLeavingDate(validationOptions?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isLeavingDate',
      target: object.constructor,
      propertyName,
      options: validationOptions,
      validator: {
        validate: (value: unknown) => {
          if (typeof value !== 'string') return false;
          const day = parseCalendarDate(value);
          if (day === undefined) return false;
          const today = Math.floor(Date.now() / DAY_MS);
          return Math.abs(day - today) <= LEAVING_DATE_RANGE_DAYS;
        },
        defaultMessage: () => `${propertyName} must be a real date (YYYY-MM-DD) within a year of today`,
      },
    });
}

/** The field must not be sent when `when(object)` holds (one of two exclusive shapes). */
function AbsentWhen(when: (object: Record<string, unknown>) => boolean, reason: string) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'absentWhen',
      target: object.constructor,
      propertyName,
      validator: {
        validate: (value: unknown, args) => value === undefined || !when(args?.object as Record<string, unknown>),
        defaultMessage: () => `${propertyName} ${reason}`,
      },
    });
}

export class ExternalDestinationDto {
  @ApiProperty({ maxLength: EXTERNAL_NAME_MAX, description: 'The receiving school outside the local authority.' })
  @IsPlainText({ max: EXTERNAL_NAME_MAX })
  name: string;

  @ApiPropertyOptional({ maxLength: EXTERNAL_NAME_MAX })
  @IsOptional()
  @IsPlainText({ max: EXTERNAL_NAME_MAX })
  localAuthority?: string;
}

const isExternal = (o: Record<string, unknown>) => o.toExternal !== undefined;

/**
 * API.md: `{toOrganisationId, leavingOn, note?}` for a school or PRU of the local authority, or
 * `{toExternal: {name, localAuthority?}, leavingOn, sentBy, note?}` for one outside it. Exactly one
 * destination (400 otherwise).
 */
export class SendTransferDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'A school or PRU of your local authority (or toExternal).' })
  @ValidateIf((o: Record<string, unknown>) => !isExternal(o) || o.toOrganisationId !== undefined)
  @IsUUID('all')
  @AbsentWhen(isExternal, 'must not be sent with toExternal: choose one destination')
  toOrganisationId?: string;

  @ApiPropertyOptional({ type: ExternalDestinationDto, description: 'A school outside the local authority.' })
  // Not IsOptional: that would let `null` through as "no external destination" and skip the checks.
  @ValidateIf((o: Record<string, unknown>) => o.toExternal !== undefined)
  @IsObject()
  @ValidateNested()
  @Type(() => ExternalDestinationDto)
  toExternal?: ExternalDestinationDto;

  @ApiProperty({ example: '2026-12-18', description: 'The pupil’s last day at the sending school or PRU.' })
  @IsLeavingDate()
  leavingOn: string;

  @ApiPropertyOptional({ enum: EXTERNAL_SEND_METHODS, description: 'How the file went (with toExternal only).' })
  @ValidateIf((o: Record<string, unknown>) => isExternal(o) || o.sentBy !== undefined)
  @IsDefined()
  @IsIn(EXTERNAL_SEND_METHODS)
  @AbsentWhen((o) => !isExternal(o), 'is only for a transfer outside the local authority (toExternal)')
  sentBy?: ExternalSendMethod;

  @ApiPropertyOptional({ maxLength: TRANSFER_NOTE_MAX })
  @IsOptional()
  @IsPlainText({ max: TRANSFER_NOTE_MAX })
  note?: string;
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID, registerDecorator, ValidationOptions } from 'class-validator';
import { parseCalendarDate } from '../../../common/calendar-date';
import { PagingQueryDto } from '../../../common/paging';
import { IsPlainText } from '../../../common/validation';

export const ACTION_DESCRIPTION_MAX = 2000;
export const ACTION_NOTE_MAX = 2000;

/** `YYYY-MM-DD`, a real calendar date (whether it is in the past is a rule: 422 `due_in_past`). */
export function IsDueDate(validationOptions?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isDueDate',
      target: object.constructor,
      propertyName,
      options: validationOptions,
      validator: {
        validate: (value: unknown) =>
          typeof value === 'string' &&
          parseCalendarDate(value) !== undefined &&
          value >= '2000-01-01' &&
          value < '2100-01-01',
        defaultMessage: () => `${propertyName} must be a real date (YYYY-MM-DD)`,
      },
    });
}

/** API.md, "Daily work": `{description, assigneeUserId, dueOn}`. */
export class SetActionDto {
  @ApiProperty({ maxLength: ACTION_DESCRIPTION_MAX, description: 'What is to be done.' })
  @IsPlainText({ max: ACTION_DESCRIPTION_MAX })
  description: string;

  @ApiProperty({
    format: 'uuid',
    description: 'An active member of staff, DSP or head teacher of the organisation that recorded the concern.',
  })
  @IsUUID('all')
  assigneeUserId: string;

  @ApiProperty({ example: '2026-12-04', description: 'The day it is due (London calendar), today or later.' })
  @IsDueDate()
  dueOn: string;
}

export class CompleteActionDto {
  @ApiProperty({ maxLength: ACTION_NOTE_MAX, description: 'What was done.' })
  @IsPlainText({ max: ACTION_NOTE_MAX })
  note: string;
}

export const ACTION_ASSIGNEES = ['me', 'any'] as const;
export type ActionAssignee = (typeof ACTION_ASSIGNEES)[number];
export const ACTION_STATUSES = ['open', 'done', 'overdue'] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];

export class ListActionsQueryDto extends PagingQueryDto {
  @ApiPropertyOptional({
    enum: ACTION_ASSIGNEES,
    description: '`me` (default): the caller’s actions; `any`: every action of the organisation (DSPs).',
  })
  @IsOptional()
  @IsIn(ACTION_ASSIGNEES)
  assignee?: ActionAssignee;

  @ApiPropertyOptional({ enum: ACTION_STATUSES, description: 'Omitted: open ones first, then done.' })
  @IsOptional()
  @IsIn(ACTION_STATUSES)
  status?: ActionStatus;
}

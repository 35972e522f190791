import { Controller, Get, Query } from '@nestjs/common';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { CurrentActor } from '../auth/current-actor.decorator';
import { Actor } from '../common/actor';
import { AuditService } from './audit.service';

export const AUDIT_SUBJECT_TYPES = ['pupil', 'pupil_list', 'concern', 'escalation', 'organisation'] as const;

export class AuditQueryDto {
  @IsOptional()
  @IsIn(AUDIT_SUBJECT_TYPES)
  subjectType?: string;

  @IsOptional()
  @IsUUID()
  subjectId?: string;
}

@Controller('api/audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  async list(@CurrentActor() actor: Actor, @Query() query: AuditQueryDto) {
    return { items: await this.audit.list(actor, query) };
  }
}

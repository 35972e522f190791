import { Controller, Get, Query, Render } from '@nestjs/common';
import { CurrentActor } from '../auth/current-actor.decorator';
import { Actor } from '../common/actor';
import { AuditService } from './audit.service';
import { AuditQueryDto } from './audit.controller';
import { IsOptional, IsString, MaxLength } from 'class-validator';

export class AuditPageQueryDto extends AuditQueryDto {
  @IsOptional()
  @IsString()
  @MaxLength(5)
  lang?: string;
}

@Controller('audit')
export class AuditPagesController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @Render('audit/list')
  async list(@CurrentActor() actor: Actor, @Query() query: AuditPageQueryDto) {
    return { title: 'audit.title', entries: await this.audit.list(actor, query) };
  }
}

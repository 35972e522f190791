import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { CurrentActor } from '../auth/current-actor.decorator';
import { Actor } from '../common/actor';
import { IdParam } from '../common/id-param';
import { CreateOrganisationDto, OrganisationsQueryDto, UpdateOrganisationDto } from './dto/organisation.dto';
import { OrganisationsAdminService } from './organisations-admin.service';

/** API.md, Organisations: listed to everyone (their scope), changed by the admin only. Never deleted. */
@Controller('api/organisations')
export class OrganisationsController {
  constructor(private readonly organisations: OrganisationsAdminService) {}

  @Get()
  list(@CurrentActor() actor: Actor, @Query() query: OrganisationsQueryDto) {
    return this.organisations.list(actor, query);
  }

  @Post()
  create(@CurrentActor() actor: Actor, @Body() dto: CreateOrganisationDto) {
    return this.organisations.create(actor, dto);
  }

  @Patch(':id')
  update(@CurrentActor() actor: Actor, @Param() { id }: IdParam, @Body() dto: UpdateOrganisationDto) {
    return this.organisations.update(actor, id, dto);
  }
}

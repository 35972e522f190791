import { Controller, Get, Query, Render } from '@nestjs/common';
import { AccessPolicy } from '../access/access-policy';
import { CurrentActor } from '../auth/current-actor.decorator';
import { Actor } from '../common/actor';
import { PageQueryDto } from '../common/page-query.dto';
import { isSettingKind } from '../organisations/roles';
import { PupilsService } from '../school/pupils.service';

/** The signed-in person's starting page: what their role can do from here. */
@Controller()
export class HomePagesController {
  constructor(
    private readonly accessPolicy: AccessPolicy,
    private readonly pupils: PupilsService,
  ) {}

  @Get()
  @Render('home/dashboard')
  async dashboard(@CurrentActor() actor: Actor, @Query() _query: PageQueryDto) {
    const worksWithPupils = isSettingKind(actor.organisationKind) && this.accessPolicy.may(actor, 'pupil.read');
    return {
      title: 'home.title',
      worksWithPupils,
      pupilCount: worksWithPupils ? await this.pupils.countVisible(actor) : 0,
      canReadAudit: this.accessPolicy.may(actor, 'audit.read'),
      isLocalAuthorityTeam: actor.role === 'la_mash' || actor.role === 'la_early_help',
      isAdmin: actor.role === 'admin',
    };
  }
}

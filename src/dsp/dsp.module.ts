import { Module } from '@nestjs/common';
import { GuidanceModule } from '../guidance/guidance.module';
import { SchoolModule } from '../school/school.module';
import { ConcernsController } from './concerns/concerns.controller';
import { ConcernsPagesController } from './concerns/concerns.pages.controller';
import { ConcernsService } from './concerns/concerns.service';
import { EscalationStateReader } from './escalations/escalation-state';
import { EscalationsController } from './escalations/escalations.controller';
import { EscalationsService } from './escalations/escalations.service';

/** The DSP's work: concerns, triage, decisions and referrals (the sending side), as API and pages. */
@Module({
  imports: [GuidanceModule, SchoolModule],
  controllers: [ConcernsController, EscalationsController, ConcernsPagesController],
  providers: [ConcernsService, EscalationsService, EscalationStateReader],
  exports: [ConcernsService, EscalationsService, EscalationStateReader],
})
export class DspModule {}

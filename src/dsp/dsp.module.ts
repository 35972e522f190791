import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccessModule } from '../access/access.module';
import { CalendarModule } from '../calendar/calendar.module';
import { GuidanceModule } from '../guidance/guidance.module';
import { SchoolModule } from '../school/school.module';
import { ConcernClosure } from './concerns/concern-closure.entity';
import { ConcernDecision } from './concerns/concern-decision.entity';
import { ConcernLinkedPupil } from './concerns/concern-linked-pupil.entity';
import { Concern } from './concerns/concern.entity';
import { ConcernsController } from './concerns/concerns.controller';
import { ConcernsPagesController } from './concerns/concerns.pages.controller';
import { ConcernsService } from './concerns/concerns.service';
import { EscalationStateReader } from './escalations/escalation-state';
import { Escalation } from './escalations/escalation.entity';
import { EscalationsController } from './escalations/escalations.controller';
import { EscalationsService } from './escalations/escalations.service';

/** The DSP's work: concerns, triage, decisions and referrals (the sending side), as API and pages. */
@Module({
  imports: [
    TypeOrmModule.forFeature([Concern, ConcernLinkedPupil, ConcernDecision, ConcernClosure, Escalation]),
    AccessModule,
    CalendarModule,
    GuidanceModule,
    SchoolModule,
  ],
  controllers: [ConcernsController, EscalationsController, ConcernsPagesController],
  providers: [ConcernsService, EscalationsService, EscalationStateReader],
  exports: [ConcernsService, EscalationsService, EscalationStateReader],
})
export class DspModule {}

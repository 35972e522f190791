import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
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
import { ConcernHistoryReader } from './concerns/concern-history.reader';
import { ConcernRepository } from './concerns/concern.repository';
import { CONCERNS_TO_REFER } from './escalations/concerns-to-refer';
import { EscalationAcknowledgement } from './escalations/escalation-acknowledgement.entity';
import { EscalationOutcome } from './escalations/escalation-outcome.entity';
import { EscalationStateReader } from './escalations/escalation-state';
import { Escalation } from './escalations/escalation.entity';
import { EscalationRepository } from './escalations/escalation.repository';
import { EscalationsController } from './escalations/escalations.controller';
import { EscalationsService } from './escalations/escalations.service';
import { PAGE_NOTICES } from '../web/page-notices';
import { StaffReportNotices } from './staff-report-notices';
import { DspWorklistReader } from './dsp-worklist';
import { ReferralClock } from './escalations/referral-clock';
import { ReferralState } from './escalations/referral-state.entity';
import { PupilRecordsReader } from './pupil-records.reader';
import { ReferralBalanceCounter } from './referral-balance-counter';
import { ReferralBalanceCountWriter } from './referral-balance-count-writer';
import { OrganisationsModule } from '../organisations/organisations.module';
import { IdempotencyKey } from './submissions/idempotency-key.entity';
import { IdempotentCreations } from './submissions/idempotency';
import { ConcernState } from './concern-states/concern-state.entity';
import { ConcernStateWriter } from './concern-states/concern-states';
import { NotificationsModule } from '../notifications/notifications.module';
import { ConcernNotifications } from './concerns/concern-notifications';
import { ConcernAmendment, ConcernCurrent } from './concerns/concern-amendment.entity';
import { ConcernAmendmentsService } from './concerns/concern-amendments.service';
import { ConcernAmendmentsController } from './concerns/concern-amendments.controller';
import { ConcernAmendmentsPagesController } from './concerns/concern-amendments.pages.controller';
import { ConcernAmendmentEvents } from './concerns/amendment-events';
import { Action } from './actions/action.entity';
import { ActionCompletion } from './actions/action-completion.entity';
import { ActionsService } from './actions/actions.service';
import { ActionRecords } from './actions/action-records';
import { ActionEvents } from './actions/action-events';
import { ActionReminders } from './actions/action-reminders';
import { ACTION_CONCERNS } from './actions/action-concerns';
import { ActionsController } from './actions/actions.controller';
import { ActionsPagesController } from './actions/actions.pages.controller';
import { ConcernAttachment } from './attachments/concern-attachment.entity';
import { AttachmentsController } from './attachments/attachments.controller';
import { AttachmentsPagesController } from './attachments/attachments.pages.controller';
import { AttachmentsService } from './attachments/attachments.service';
import { AttachmentContents } from './attachments/attachment-contents';
import { AttachmentEvents } from './attachments/attachment-events';
import { VISIBLE_CONCERNS } from './attachments/visible-concerns';
import { ReferralNotifications } from './escalations/referral-notifications';
import { ReferralReminders } from './escalations/referral-reminders';
import { ConfirmInWritingReminders } from './confirm-in-writing-reminders';

/** The DSP's work: concerns, triage, decisions and referrals (the sending side), as API and pages. */
@Module({
  imports: [
    TypeOrmModule.forFeature([
      Concern,
      ConcernLinkedPupil,
      ConcernDecision,
      ConcernClosure,
      Escalation,
      EscalationAcknowledgement,
      EscalationOutcome,
      ReferralState,
      IdempotencyKey,
      ConcernState,
      ConcernAmendment,
      ConcernCurrent,
      Action,
      ActionCompletion,
      ConcernAttachment,
    ]),
    CalendarModule,
    GuidanceModule.register({ pupilHistory: ConcernHistoryReader }),
    SchoolModule,
    OrganisationsModule,
    NotificationsModule,
  ],
  controllers: [
    ConcernsController,
    EscalationsController,
    ConcernsPagesController,
    ConcernAmendmentsController,
    ConcernAmendmentsPagesController,
    ActionsController,
    ActionsPagesController,
    AttachmentsController,
    AttachmentsPagesController,
  ],
  providers: [
    ConcernsService,
    // Referrals reach concerns through this port, so escalations/ does not import concerns/.
    { provide: CONCERNS_TO_REFER, useExisting: ConcernsService },
    EscalationsService,
    EscalationStateReader,
    ConcernRepository,
    ConcernStateWriter,
    EscalationRepository,
    ReferralClock,
    ReferralBalanceCounter,
    ReferralBalanceCountWriter,
    PupilRecordsReader,
    DspWorklistReader,
    IdempotentCreations,
    ConcernNotifications,
    ConcernAmendmentsService,
    ConcernAmendmentEvents,
    ActionsService,
    ActionRecords,
    ActionEvents,
    ActionReminders,
    // Actions reach concerns through this port, so actions/ does not import concerns/.
    { provide: ACTION_CONCERNS, useExisting: ConcernRepository },
    AttachmentsService,
    AttachmentContents,
    AttachmentEvents,
    { provide: VISIBLE_CONCERNS, useExisting: ConcernRepository },
    ReferralNotifications,
    ReferralReminders,
    ConfirmInWritingReminders,
    // The pages' notices port (web/page-notices.ts): staff reports reach the DSPs on every page at once.
    { provide: PAGE_NOTICES, useClass: StaffReportNotices },
  ],
  exports: [
    PAGE_NOTICES,
    ReferralNotifications,
    ReferralReminders,
    ConfirmInWritingReminders,
    ConcernsService,
    EscalationsService,
    EscalationStateReader,
    ConcernRepository,
    ConcernStateWriter,
    EscalationRepository,
    ReferralClock,
    ReferralBalanceCounter,
    ReferralBalanceCountWriter,
    PupilRecordsReader,
    DspWorklistReader,
    IdempotentCreations,
    ConcernAmendmentsService,
    // The chronology's source of corrections (chronology.module.ts).
    ConcernAmendmentEvents,
    // Actions on concerns: the service (dashboard), the chronology's source and the sweep's reminder source.
    ActionsService,
    ActionEvents,
    ActionReminders,
    AttachmentEvents,
    // Guidance as wired here (with this module's history reader), for the demo seed: registering it a
    // second time would make a second instance and mount its controllers twice.
    GuidanceModule,
  ],
})
export class DspModule {}

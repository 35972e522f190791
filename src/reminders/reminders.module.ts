import { Module } from '@nestjs/common';
import { ActionReminders } from '../dsp/actions/action-reminders';
import { ConfirmInWritingReminders } from '../dsp/confirm-in-writing-reminders';
import { DspModule } from '../dsp/dsp.module';
import { ReferralReminders } from '../dsp/escalations/referral-reminders';
import { NotificationsModule } from '../notifications/notifications.module';
import { REMINDER_SOURCES, ReminderSource } from '../notifications/reminder-source';
import { TransferReminders } from '../transfers/transfer-reminders';
import { TransfersModule } from '../transfers/transfers.module';
import { ReminderSweep } from './reminder-sweep';

/**
 * The reminder sweep, composed from the modules that own the records (docs/architecture.md,
 * "Notifications"): each module exports its `ReminderSource`, and this module lists them once. Adding a
 * source is one line in the factory's `inject` list. Near the top of the graph: it imports the owners,
 * and only app.module imports it. ScheduleModule.forRoot() is registered once, in app.module.
 */
@Module({
  imports: [NotificationsModule, DspModule, TransfersModule],
  providers: [
    {
      provide: REMINDER_SOURCES,
      useFactory: (...sources: ReminderSource[]) => sources,
      inject: [ReferralReminders, ConfirmInWritingReminders, TransferReminders, ActionReminders],
    },
    ReminderSweep,
  ],
  exports: [ReminderSweep],
})
export class RemindersModule {}

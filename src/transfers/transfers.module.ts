import { Module } from '@nestjs/common';
import { NotificationsModule } from '../notifications/notifications.module';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CalendarModule } from '../calendar/calendar.module';
import { OrganisationsModule } from '../organisations/organisations.module';
import { SchoolModule } from '../school/school.module';
import { TransferEvents } from './transfer-events';
import { TransferReminders } from './transfer-reminders';
import { TransferReceipt } from './transfer-receipt.entity';
import { Transfer } from './transfer.entity';
import { TransfersController } from './transfers.controller';
import { TransfersPagesController } from './transfers.pages.controller';
import { TransfersService } from './transfers.service';

/**
 * Moving school: the pupil's safeguarding file sent to the next school or PRU and its receipt (tables
 * `transfers`, `transfer_receipts`). Moves the roll and leaves the sender's retained access through
 * school's EnrolmentChanges; gives the chronology its transfer entries (TransferEvents).
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([Transfer, TransferReceipt]),
    SchoolModule,
    OrganisationsModule,
    CalendarModule,
    NotificationsModule,
  ],
  controllers: [TransfersController, TransfersPagesController],
  providers: [TransfersService, TransferEvents, TransferReminders],
  exports: [TransfersService, TransferEvents, TransferReminders],
})
export class TransfersModule {}

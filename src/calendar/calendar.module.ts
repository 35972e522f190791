import { Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { WALES_BANK_HOLIDAYS_2025_2028, WorkingDayCalendar } from './working-days';

/**
 * The working-day calendar, built from the configured bank holidays (BANK_HOLIDAYS), or the built-in
 * England & Wales list when none are configured. Modules that count working days import this module.
 */
@Module({
  providers: [
    {
      provide: WorkingDayCalendar,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) =>
        new WorkingDayCalendar(config.calendar.bankHolidays ?? WALES_BANK_HOLIDAYS_2025_2028),
    },
  ],
  exports: [WorkingDayCalendar],
})
export class CalendarModule {}

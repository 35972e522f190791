import { Global, Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { WorkingDayCalendar } from './working-days';

/** Makes the working-day calendar, built from the configured bank holidays, injectable everywhere. */
@Global()
@Module({
  providers: [
    {
      provide: WorkingDayCalendar,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => new WorkingDayCalendar(config.calendar.bankHolidays),
    },
  ],
  exports: [WorkingDayCalendar],
})
export class CalendarModule {}

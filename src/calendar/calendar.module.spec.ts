import { Injectable } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { loadConfig } from '../config/app-config';
import { ConfigModule } from '../config/config.module';
import { CalendarModule } from './calendar.module';
import { WorkingDayCalendar } from './working-days';

@Injectable()
class NeedsCalendar {
  constructor(readonly calendar: WorkingDayCalendar) {}
}

describe('CalendarModule', () => {
  it('provides a WorkingDayCalendar built from the configured bank holidays to the modules that import it', async () => {
    const config = loadConfig({ BANK_HOLIDAYS: '2026-06-03' });
    const moduleRef = await Test.createTestingModule({
      imports: [ConfigModule.forRoot(config), CalendarModule],
      providers: [NeedsCalendar],
    }).compile();

    const { calendar } = moduleRef.get(NeedsCalendar);
    expect(calendar).toBeInstanceOf(WorkingDayCalendar);
    expect(calendar).toBe(moduleRef.get(WorkingDayCalendar));
    expect(calendar.isWorkingDay(new Date('2026-06-03T12:00:00Z'))).toBe(false); // the configured holiday
    expect(calendar.isWorkingDay(new Date('2026-12-25T12:00:00Z'))).toBe(true); // the default list was replaced
    await moduleRef.close();
  });

  it('uses the built-in England & Wales list when no bank holidays are configured', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [ConfigModule.forRoot(loadConfig({})), CalendarModule],
    }).compile();

    const calendar = moduleRef.get(WorkingDayCalendar);
    for (const holiday of ['2026-12-25', '2027-12-28', '2028-08-28'])
      expect(calendar.isWorkingDay(new Date(`${holiday}T12:00:00Z`))).toBe(false);
    expect(calendar.isWorkingDay(new Date('2026-06-03T12:00:00Z'))).toBe(true);
    await moduleRef.close();
  });
});

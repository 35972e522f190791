import { DynamicModule, Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { ScheduleModule } from '@nestjs/schedule';
import { AccessModule } from './access/access.module';
import { AccountsModule } from './accounts/accounts.module';
import { AccessPolicy } from './access/access-policy';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { CalendarModule } from './calendar/calendar.module';
import { ChronologyModule } from './chronology/chronology.module';
import { AppConfig } from './config/app-config';
import { MailModule } from './mail/mail.module';
import { NotificationsModule } from './notifications/notifications.module';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { DemoSeedModule } from './seed/demo-seed.module';
import { DspModule } from './dsp/dsp.module';
import { DspReferralAccessRules } from './dsp/referral-access-rules';
import { HealthModule } from './health/health.module';
import { HomeModule } from './home/home.module';
import { LocalAuthorityModule } from './local-authority/local-authority.module';
import { LoggingModule } from './logging/logging.module';
import { OrganisationsModule } from './organisations/organisations.module';
import { ReportsModule } from './reports/reports.module';
import { RemindersModule } from './reminders/reminders.module';
import { PruModule } from './pru/pru.module';
import { SchoolAuditPupils } from './school/audit-pupils';
import { SchoolRollAccessRules } from './school/roll-access-rules';
import { SchoolModule } from './school/school.module';
import { TransfersModule } from './transfers/transfers.module';
import { RetentionModule } from './retention/retention.module';
import { PageLocalsInterceptor } from './web/page-locals.interceptor';

/**
 * The composition root. Global, as platform services every module uses: ConfigModule (APP_CONFIG),
 * DatabaseModule (the connection, UnitOfWork), AuditModule (AuditService) and, for now, I18nModule. Every
 * other module imports the modules it uses, so the imports show the real graph; the seed comes last.
 */
@Module({})
export class AppModule {
  /** Built from an already-validated configuration, so tests can boot the app on their own database. */
  static register(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        // The log (JSON lines in production, one per request with its id): src/logging.
        LoggingModule,
        DatabaseModule,
        MailModule,
        OrganisationsModule,
        // The one access policy, with the owners' halves of its rules (access/access-ports.ts).
        AccessModule.forRoot({ roll: SchoolRollAccessRules, referrals: DspReferralAccessRules }),
        // Who may read the audit log is the access policy's decision, and pupils' names the roll's; the
        // log itself imports neither.
        AuditModule.register({ readPolicy: AccessPolicy, pupils: SchoolAuditPupils, imports: [SchoolModule] }),
        AuthModule,
        CalendarModule,
        SchoolModule,
        NotificationsModule,
        DspModule,
        LocalAuthorityModule,
        PruModule,
        ChronologyModule,
        TransfersModule,
        RetentionModule,
        ReportsModule,
        AccountsModule,
        HomeModule,
        HealthModule,
        // The time-based notifications' sweep (@nestjs/schedule; REMINDER_SWEEP_SECONDS).
        ScheduleModule.forRoot(),
        RemindersModule,
        DemoSeedModule,
      ],
      providers: [{ provide: APP_INTERCEPTOR, useClass: PageLocalsInterceptor }],
    };
  }
}

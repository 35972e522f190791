import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { UnitOfWork } from '../database/unit-of-work';
import { NotificationEmails } from '../notifications/notification-emails';
import { NotificationEvent, NotificationsService } from '../notifications/notifications.service';
import { REMINDER_SOURCES, ReminderSource } from '../notifications/reminder-source';

/** The interval's name in @nestjs/schedule's registry. */
export const REMINDER_SWEEP = 'reminder-sweep';

/** What one sweep did on this instance: notifications it stored, emails it sent. */
export interface SweepResult {
  raised: number;
  emailed: number;
}

/**
 * The time-based notifications (API.md, "Daily work"): every `REMINDER_SWEEP_SECONDS` (60 unless set; 0
 * off) each instance asks every `REMINDER_SOURCES` source what is due now, raises what has not been raised
 * yet through `NotificationsService.notify` (one transaction per source; the unique key per event and
 * person stores each once however many instances sweep at once), then sends the notification emails still
 * pending (the outbox's flush, which also catches any a crash left behind). One sweep at a time per
 * instance: a tick that finds the last one still running does nothing. Tests call `runOnce(now)` with a
 * moved clock.
 */
@Injectable()
export class ReminderSweep implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('ReminderSweep');
  private running: Promise<SweepResult> | null = null;
  private stopped = false;

  constructor(
    @Inject(REMINDER_SOURCES) private readonly sources: ReminderSource[],
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly unitOfWork: UnitOfWork,
    private readonly notifications: NotificationsService,
    private readonly emails: NotificationEmails,
    private readonly scheduler: SchedulerRegistry,
  ) {}

  onApplicationBootstrap(): void {
    const seconds = this.config.reminders.sweepSeconds;
    if (seconds <= 0) return;
    const timer = setInterval(() => this.tick(), seconds * 1000);
    // The registry clears it when the app closes (ScheduleModule's shutdown).
    this.scheduler.addInterval(REMINDER_SWEEP, timer);
  }

  /**
   * At shutdown, before the database closes: no further sweep starts, and the one under way finishes
   * (each source's notifications commit whole or not at all; emails being sent are settled).
   */
  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.scheduler.doesExist('interval', REMINDER_SWEEP)) this.scheduler.deleteInterval(REMINDER_SWEEP);
    await this.running?.catch(() => undefined);
  }

  /** The scheduled run: skipped while the previous one is still going; failures are logged, never thrown. */
  tick(): void {
    if (this.running || this.stopped) return;
    this.running = this.runOnce(new Date());
    this.running
      .catch((error: Error) => this.logger.error(`The reminder sweep failed: ${error.message}`))
      .finally(() => (this.running = null));
  }

  /** One sweep at `now`: every source, then the emails. A source that fails is logged; the others still run. */
  async runOnce(now: Date): Promise<SweepResult> {
    let raised = 0;
    for (const source of this.sources) {
      try {
        raised += await this.unitOfWork.run(async (manager) => {
          const events = await this.notYetRaised(manager, await source.due(manager, now));
          let stored = 0;
          for (const event of events) stored += (await this.notifications.notify(manager, event)).length;
          return stored;
        });
      } catch (error) {
        this.logger.error(`Reminder source "${source.name}" failed: ${(error as Error).message}`);
      }
    }
    const emailed = await this.emails.flush();
    return { raised, emailed };
  }

  /** Leaves out events already raised (one indexed query per kind), so a reminder that stays due costs nothing. */
  private async notYetRaised(
    manager: Parameters<NotificationsService['raisedEventKeys']>[0],
    events: NotificationEvent[],
  ): Promise<NotificationEvent[]> {
    const fresh: NotificationEvent[] = [];
    for (const kind of [...new Set(events.map((event) => event.kind))]) {
      const ofKind = events.filter((event) => event.kind === kind);
      const raised = await this.notifications.raisedEventKeys(
        manager,
        kind,
        ofKind.map((event) => event.eventKey),
      );
      fresh.push(...ofKind.filter((event) => !raised.has(event.eventKey)));
    }
    return fresh;
  }
}

import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { Brackets } from 'typeorm';
import { message } from '../common/language';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { UnitOfWork } from '../database/unit-of-work';
import { Mailer } from '../mail/mailer';
import { OrganisationsService } from '../organisations/organisations.service';
import { Notification } from './notification.entity';

/** A claim older than this is taken to be a crashed instance's, and the email is tried again. */
export const EMAIL_CLAIM_LEASE_MS = 5 * 60 * 1000;
/** Rows looked at per round of a flush. */
const BATCH = 50;

/**
 * The email of every notification, sent after the notification has committed and once (docs/architecture.md,
 * "Notifications"). Each notification row is its own outbox: stored `email_state = 'pending'` in the
 * raiser's transaction, so nothing is emailed for a change that rolled back and nothing committed is lost.
 * A flush claims one row at a time with a conditional UPDATE (pending, or a claim past its lease), so of
 * several instances flushing at once exactly one sends each email; it then sends (or, for a person who
 * turned email off or whose account is inactive, sends nothing) and settles the row. A failed send stays
 * claimed and is tried again when the lease runs out; a crash between the SMTP server's acceptance and
 * the settling UPDATE sends it once more then (the only case of a second email).
 *
 * The email says only the notification's title (no pupil's name, no words of a concern: the title's own
 * rule) and a link, in the person's language first; an urgent one says so in the subject.
 */
@Injectable()
export class NotificationEmails implements OnModuleDestroy {
  private readonly logger = new Logger('NotificationEmails');
  private tail: Promise<unknown> = Promise.resolve();
  private queued: Promise<number> | null = null;
  private closing = false;

  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly mailer: Mailer,
    private readonly organisations: OrganisationsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Sends what is pending soon, without waiting for it (after a notification's transaction commits), on an
   * instance that runs the sweep (REMINDER_SWEEP_SECONDS above 0). One that does not leaves its emails to
   * the next sweep of one that does (within a minute), and tests to their own `runOnce`.
   */
  flushSoon(): void {
    if (this.closing || this.config.reminders.sweepSeconds <= 0) return;
    this.flush().catch((error: Error) => this.logger.error(`Sending notification emails failed: ${error.message}`));
  }

  /**
   * Sends every pending email this instance can claim; answers how many it sent. Flushes asked for while
   * one waits to start share it; one runs at a time per instance.
   */
  flush(): Promise<number> {
    if (this.queued) return this.queued;
    const run = this.tail.then(() => {
      this.queued = null;
      return this.sendPending();
    });
    this.queued = run;
    this.tail = run.catch(() => undefined);
    return run;
  }

  async onModuleDestroy(): Promise<void> {
    this.closing = true;
    await this.tail;
  }

  private async sendPending(): Promise<number> {
    let sent = 0;
    for (;;) {
      const stale = new Date(Date.now() - EMAIL_CLAIM_LEASE_MS).toISOString();
      const candidates = await this.unitOfWork.run((manager) =>
        manager
          .getRepository(Notification)
          .createQueryBuilder('notification')
          .select('notification.id', 'id')
          .where('notification.email_state IS NOT NULL')
          .andWhere(
            new Brackets((qb) =>
              qb
                .where("notification.email_state = 'pending'")
                .orWhere('notification.email_claimed_at < :stale', { stale }),
            ),
          )
          .orderBy('notification.created_at', 'ASC')
          .addOrderBy('notification.id', 'ASC')
          .limit(BATCH)
          .getRawMany<{ id: string }>(),
      );
      for (const { id } of candidates) if (await this.sendOne(id, stale)) sent++;
      if (candidates.length < BATCH || this.closing) return sent;
    }
  }

  /** Claims, sends and settles one; false when another instance has it or it was not sent. */
  private async sendOne(id: string, stale: string): Promise<boolean> {
    const claimedAt = new Date();
    const claimed = await this.unitOfWork.run((manager) =>
      manager
        .createQueryBuilder()
        .update(Notification)
        .set({ emailState: 'sending', emailClaimedAt: claimedAt })
        .where('id = :id', { id })
        .andWhere(
          new Brackets((qb) =>
            qb
              .where("email_state = 'pending'")
              .orWhere("(email_state = 'sending' AND email_claimed_at < :stale)", { stale }),
          ),
        )
        .execute(),
    );
    if ((claimed.affected ?? 0) !== 1) return false;
    const { row, recipient } = await this.unitOfWork.run(async (manager) => {
      const found = await manager.getRepository(Notification).findOneByOrFail({ id });
      return { row: found, recipient: await this.organisations.emailRecipient(manager, found.userId) };
    });
    let emailedAt: Date | null = null;
    if (recipient?.wantsEmail) {
      try {
        await this.mailer.send({
          to: recipient.email,
          language: recipient.language,
          kind: row.urgent ? 'notification_urgent' : 'notification',
          link: this.mailer.link(row.link),
          params: {
            title: message(row.titleKey, row.titleParams),
            authority: { name: recipient.authority.name, nameCy: recipient.authority.nameCy },
          },
        });
        emailedAt = new Date();
      } catch (error) {
        // Left claimed: tried again when the lease runs out.
        this.logger.warn(`A notification email could not be sent (tried again later): ${(error as Error).message}`);
        return false;
      }
    }
    await this.unitOfWork.run((manager) =>
      manager
        .createQueryBuilder()
        .update(Notification)
        .set({ emailState: null, emailedAt })
        .where('id = :id', { id })
        .andWhere("email_state = 'sending'")
        .execute(),
    );
    return emailedAt !== null;
  }
}

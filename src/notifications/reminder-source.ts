import { EntityManager } from 'typeorm';
import { NotificationEvent } from './notifications.service';

/**
 * A module's time-based notifications (API.md, "Daily work"): what is due at `now` that nobody has been
 * told of yet (a referral with no LA decision one working day after receipt, an action due today). The
 * sweep asks every source each minute and raises what they answer through `NotificationsService.notify`,
 * whose unique key per event and person stores each once however many instances sweep at once; a source
 * should still leave out what is long settled (bounded, indexed queries, never a scan of all history).
 */
export interface ReminderSource {
  /** A short name for logs and tests (`referrals`, `actions`). */
  readonly name: string;
  due(manager: EntityManager, now: Date): Promise<NotificationEvent[]>;
}

/** The sweep's sources, provided where the sweep is composed from the modules that own the records. */
export const REMINDER_SOURCES = Symbol('REMINDER_SOURCES');

/**
 * How far back a source looks for what fell due: a reminder due longer ago than this, never raised (the
 * sweep was off for a fortnight), is left: by then it is news to nobody. It keeps every source's query
 * to a bounded range of an index, whatever the history holds.
 */
export const REMINDER_LOOKBACK_MS = 14 * 24 * 60 * 60 * 1000;

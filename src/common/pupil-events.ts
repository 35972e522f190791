import { EntityManager } from 'typeorm';
import { Message } from './language';

/**
 * The chronology kinds that come through `PupilEventSource`s rather than the chronology's own readers: PRU
 * placements, transfers, the concern's daily work (actions, amendments, attachments), and retention's
 * tombstone (`records_disposed`).
 */
export const PUPIL_EVENT_KINDS = [
  'placement_started',
  'placement_reviewed',
  'placement_ended',
  'transfer',
  'action_set',
  'action_completed',
  'concern_amended',
  'attachment_added',
  'records_disposed',
] as const;
export type PupilEventKind = (typeof PUPIL_EVENT_KINDS)[number];

/**
 * One event in a pupil's chronology from a module the chronology reads through `PupilEventSource`
 * (pru's placements, transfers): what happened, when, where and by whom, its title a catalogue message
 * (no language is known where it is made) and its text as recorded (never translated).
 */
export interface PupilEvent {
  /** Unique in the chronology, e.g. `placement:<id>`. */
  id: string;
  kind: PupilEventKind;
  /** When it happened (a start date's London midnight for a dated event). */
  at: Date;
  /** When it was recorded: orders equal times, and decides what an organisation that left keeps. */
  recordedAt: Date;
  title: Message;
  detail: string | null;
  actor: { name: string; role: string } | null;
  /** The organisation where it was made. */
  organisationId: string;
  /**
   * The chronology's own entries that say the same fact, left out when this event is shown: a
   * placement's start and end say what its dual enrolment's start and end would (`enrolment:<id>`,
   * `enrolment-ended:<id>`), with the reason and outcome besides.
   */
  replaces?: string[];
}

/** A module's events about one pupil, read in the caller's transaction (no access check: the chronology asks first). */
export interface PupilEventSource {
  eventsOf(manager: EntityManager, pupilId: string): Promise<PupilEvent[]>;
}

/** The chronology's sources of PupilEvents, provided by ChronologyModule from the modules that keep them. */
export const PUPIL_EVENT_SOURCES = Symbol('PUPIL_EVENT_SOURCES');

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

/**
 * One read of a source, as a branch of the chronology's one `UNION ALL` statement (database/json-rows.ts,
 * `JsonRowBranch`): `tag` names its rows (unique within the source, letters and dashes only), `row` is the
 * row as a JSON object (`jsonRowOf`), `from` the rest of the SELECT, by the parameter `:pupilId`.
 */
export interface PupilEventBranch {
  tag: string;
  row: string;
  from: string;
}

/**
 * A module's events about one pupil, read in the caller's transaction (no access check: the chronology
 * asks first). Issue 9: a source does not run its own queries; it gives its reads as branches, and the
 * chronology runs every source's branches together in one statement and hands each source its rows.
 */
export interface PupilEventSource {
  /** Its reads of one pupil's rows (with what it would once have read after: names, reviews, receipts). */
  branches(manager: EntityManager): PupilEventBranch[];
  /** Its events from its branches' rows, found by tag (each row parsed from JSON; `hydrateJsonRow` types it). */
  eventsFrom(manager: EntityManager, rowsOf: (tag: string) => Array<Record<string, unknown>>): PupilEvent[];
}

/** The chronology's sources of PupilEvents, provided by ChronologyModule from the modules that keep them. */
export const PUPIL_EVENT_SOURCES = Symbol('PUPIL_EVENT_SOURCES');

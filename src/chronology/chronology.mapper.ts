import { Language, Message } from '../common/language';
import { organisationName } from '../organisations/organisation-name';
import { OrganisationRef } from '../organisations/organisations.service';
import { translateMessage } from '../i18n/i18n.service';
import { Pupil } from '../school/pupil.entity';

export const CHRONOLOGY_KINDS = [
  'concern_recorded',
  'linked_mention',
  'decision',
  'escalation_sent',
  'la_acknowledged',
  'la_outcome',
  'concern_closed',
  'transfer',
  'enrolment',
  'placement_started',
  'placement_reviewed',
  'placement_ended',
  'action_set',
  'action_completed',
  'concern_amended',
  'attachment_added',
  'records_disposed',
] as const;
export type ChronologyKind = (typeof CHRONOLOGY_KINDS)[number];

/** An entry as the chronology service returns it: its title in no language yet. */
export interface ChronologyEntry {
  id: string;
  at: string;
  kind: ChronologyKind;
  /** e.g. `{ key: 'chronology.titles.decision', params: { outcome: { key: 'decisionOutcomes.monitor' } } }`. */
  title: Message;
  /** The words as recorded (summary, rationale, note): never translated. */
  detail: string | null;
  /** A concern's record of the child's own words, verbatim (never translated), with the language spoken. */
  childsWords?: { text: string; language: string | null; languageName: string | null };
  actor: { name: string; role: string } | null;
  organisationId: string;
  /** Where the entry was made (the organisation `organisationId` names), with both its names. */
  organisation: OrganisationRef;
  concernId?: string;
  escalationId?: string;
  category?: string;
  route?: string;
  outcome?: string;
  /** Present (true) only on a decision or referral below the guidance; going up is never marked. */
  belowGuidance?: true;
}

export interface Chronology {
  pupil: { id: string; upn: string; firstName: string; lastName: string; dateOfBirth: string; yearGroup: number };
  /** One page, in the chronology's order (oldest first); page 1 is the newest entries. */
  entries: ChronologyEntry[];
  page: number;
  pageSize: number;
  /** How many entries the filters match, on every page together. */
  total: number;
}

/** The API's chronology (API.md): each title, and the organisation's name, in the reader's language. */
export interface ChronologyResponse {
  pupil: Chronology['pupil'];
  entries: Array<
    Omit<ChronologyEntry, 'title' | 'organisation'> & { title: string; organisation: { id: string; name: string } }
  >;
  page: number;
  pageSize: number;
  total: number;
}

export function toChronologyResponse(chronology: Chronology, language: Language): ChronologyResponse {
  return {
    pupil: chronology.pupil,
    entries: chronology.entries.map((entry) => ({
      ...entry,
      title: translateMessage(language, entry.title),
      organisation: { id: entry.organisation.id, name: organisationName(entry.organisation, language) },
    })),
    page: chronology.page,
    pageSize: chronology.pageSize,
    total: chronology.total,
  };
}

export function toChronologyPupil(pupil: Pupil): Chronology['pupil'] {
  return {
    id: pupil.id,
    upn: pupil.upn,
    firstName: pupil.firstName,
    lastName: pupil.lastName,
    dateOfBirth: pupil.dateOfBirth,
    yearGroup: pupil.yearGroup,
  };
}

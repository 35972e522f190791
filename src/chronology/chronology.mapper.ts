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
] as const;
export type ChronologyKind = (typeof CHRONOLOGY_KINDS)[number];

export interface ChronologyEntry {
  id: string;
  at: string;
  kind: ChronologyKind;
  /** In the reader's language. */
  title: string;
  /** The words as recorded (summary, rationale, note): never translated. */
  detail: string | null;
  actor: { name: string; role: string } | null;
  organisationId: string;
  concernId?: string;
  escalationId?: string;
  category?: string;
  route?: string;
  outcome?: string;
}

export interface ChronologyResponse {
  pupil: { id: string; upn: string; firstName: string; lastName: string; dateOfBirth: string; yearGroup: number };
  entries: ChronologyEntry[];
}

export function toChronologyPupil(pupil: Pupil): ChronologyResponse['pupil'] {
  return {
    id: pupil.id,
    upn: pupil.upn,
    firstName: pupil.firstName,
    lastName: pupil.lastName,
    dateOfBirth: pupil.dateOfBirth,
    yearGroup: pupil.yearGroup,
  };
}

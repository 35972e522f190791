import { PupilContactDetailsView } from './roll/pupil-contacts.reader';
import { Enrolment, EnrolmentType } from './enrolment.entity';
import { Pupil, PupilFlag, pupilFlags } from './pupil.entity';

export interface PupilSummaryResponse {
  id: string;
  upn: string;
  firstName: string;
  lastName: string;
  preferredName: string | null;
  dateOfBirth: string;
  yearGroup: number;
  enrolments: Array<{ organisationId: string; type: EnrolmentType }>;
}

export interface PupilDetailResponse extends PupilSummaryResponse {
  gender: string;
  homeLanguage: string;
  flags: PupilFlag[];
  enrolments: Array<{
    organisationId: string;
    organisationName: string;
    /** The organisation's names, for a page to show the one in the reader's language. */
    organisation: { id: string; name: string; nameCy: string | null };
    type: EnrolmentType;
    startedOn: string;
  }>;
  siblings: Array<{ id: string; firstName: string; lastName: string; yearGroup: number }>;
  /**
   * Address and contacts from the roll import: present (an object, or null when none are held) only for
   * DSPs and head teachers of a school or PRU where the pupil is enrolled; absent for everyone else.
   */
  contactDetails?: PupilContactDetailsView | null;
  /**
   * For school and PRU roles: whether the pupil is on the caller's roll now (false when the caller
   * reads the pupil only through what their organisation kept after the pupil left: no new concerns).
   */
  onCallersRoll?: boolean;
}

export type EnrolmentWithName = Enrolment & { organisationName: string; organisationNameCy: string | null };

export function toPupilSummary(pupil: Pupil, enrolments: Enrolment[]): PupilSummaryResponse {
  return {
    id: pupil.id,
    upn: pupil.upn,
    firstName: pupil.firstName,
    lastName: pupil.lastName,
    preferredName: pupil.preferredName,
    dateOfBirth: pupil.dateOfBirth,
    yearGroup: pupil.yearGroup,
    enrolments: enrolments.map((enrolment) => ({ organisationId: enrolment.organisationId, type: enrolment.type })),
  };
}

export function toPupilDetail(pupil: Pupil, enrolments: EnrolmentWithName[], siblings: Pupil[]): PupilDetailResponse {
  return {
    ...toPupilSummary(pupil, enrolments),
    gender: pupil.gender,
    homeLanguage: pupil.homeLanguage,
    flags: pupilFlags(pupil),
    enrolments: enrolments.map((enrolment) => ({
      organisationId: enrolment.organisationId,
      organisationName: enrolment.organisationName,
      organisation: {
        id: enrolment.organisationId,
        name: enrolment.organisationName,
        nameCy: enrolment.organisationNameCy,
      },
      type: enrolment.type,
      startedOn: enrolment.startedOn,
    })),
    siblings: siblings.map((sibling) => ({
      id: sibling.id,
      firstName: sibling.firstName,
      lastName: sibling.lastName,
      yearGroup: sibling.yearGroup,
    })),
  };
}

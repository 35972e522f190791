import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { CalendarDateColumn, InstantColumn } from '../common/columns';

export const GENDERS = ['female', 'male', 'non_binary', 'not_stated'] as const;
export type Gender = (typeof GENDERS)[number];

export const PUPIL_FLAGS = [
  'looked_after',
  'cp_register',
  'aln',
  'young_carer',
  'eal',
  'fsm',
  'welsh_speaker',
] as const;
export type PupilFlag = (typeof PUPIL_FLAGS)[number];

/** A learner. Safeguarding records hang off the pupil, never off an enrolment, so they follow the child. */
@Entity('pupils')
@Index('idx_pupils_last_first', ['lastName', 'firstName'])
export class Pupil {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ type: 'varchar', length: 13, unique: true })
  upn: string;

  @Column({ name: 'first_name', type: 'varchar', length: 100 })
  firstName: string;

  @Column({ name: 'last_name', type: 'varchar', length: 100 })
  lastName: string;

  @Column({ name: 'preferred_name', type: 'varchar', length: 100, nullable: true })
  preferredName: string | null;

  @CalendarDateColumn({ name: 'date_of_birth' })
  dateOfBirth: string;

  @Column({ type: 'varchar', length: 20 })
  gender: Gender;

  /** 0 is Reception; 1 to 13 are Years 1 to 13. */
  @Column({ name: 'year_group', type: 'integer' })
  yearGroup: number;

  @Column({ name: 'home_language', type: 'varchar', length: 60 })
  homeLanguage: string;

  @Column({ name: 'looked_after', type: 'boolean', default: false })
  lookedAfter: boolean;

  @Column({ name: 'cp_register', type: 'boolean', default: false })
  cpRegister: boolean;

  @Column({ type: 'boolean', default: false })
  aln: boolean;

  @Column({ name: 'young_carer', type: 'boolean', default: false })
  youngCarer: boolean;

  @Column({ type: 'boolean', default: false })
  eal: boolean;

  @Column({ type: 'boolean', default: false })
  fsm: boolean;

  @Column({ name: 'welsh_speaker', type: 'boolean', default: false })
  welshSpeaker: boolean;

  /** Pupils sharing a household are siblings (or live as such). */
  @Index('idx_pupils_household')
  @Column({ name: 'household_id', type: 'varchar', length: 36, nullable: true })
  householdId: string | null;

  @InstantColumn({ name: 'created_at' })
  createdAt: Date;

  // The names folded for search (pupil-search.ts), kept with the row by PupilSearchSubscriber and never
  // read back (select: false), so they cannot reach a response.
  @Column({ name: 'search_first_name', type: 'varchar', length: 200, nullable: true, select: false })
  searchFirstName?: string | null;

  @Column({ name: 'search_last_name', type: 'varchar', length: 200, nullable: true, select: false })
  searchLastName?: string | null;

  @Column({ name: 'search_preferred_name', type: 'varchar', length: 200, nullable: true, select: false })
  searchPreferredName?: string | null;

  @Column({ name: 'search_full_name', type: 'varchar', length: 200, nullable: true, select: false })
  searchFullName?: string | null;

  @Column({ name: 'search_last_name_part', type: 'varchar', length: 200, nullable: true, select: false })
  searchLastNamePart?: string | null;
}

export function pupilFlags(pupil: Pupil): PupilFlag[] {
  const set: Record<PupilFlag, boolean> = {
    looked_after: pupil.lookedAfter,
    cp_register: pupil.cpRegister,
    aln: pupil.aln,
    young_carer: pupil.youngCarer,
    eal: pupil.eal,
    fsm: pupil.fsm,
    welsh_speaker: pupil.welshSpeaker,
  };
  return PUPIL_FLAGS.filter((flag) => set[flag]);
}

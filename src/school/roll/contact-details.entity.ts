import { Column, Entity, PrimaryColumn } from 'typeorm';
import { InstantColumn, JsonColumn } from '../../common/columns';

/** One person the school's information system lists for a pupil. */
export interface PupilContact {
  name: string;
  relationship: string | null;
  /** Parental responsibility: true, false, or null when the file did not say. */
  parentalResponsibility: boolean | null;
  phone: string | null;
}

/**
 * A pupil's address and contacts as the last roll import that carried them said (a copy of the
 * school's information system, replaced whole by the next file). Read only through
 * `PupilContactsReader`, which asks `AccessPolicy.restrictPupilContacts`: DSPs and head teachers of a
 * school or PRU where the pupil is enrolled now, nobody else (a referral carries what the DSP sends).
 */
@Entity('pupil_contact_details')
export class PupilContactDetails {
  @PrimaryColumn({ name: 'pupil_id', type: 'varchar', length: 36 })
  pupilId: string;

  @Column({ name: 'address_line1', type: 'varchar', length: 200, nullable: true })
  addressLine1: string | null;

  @Column({ name: 'address_line2', type: 'varchar', length: 200, nullable: true })
  addressLine2: string | null;

  @Column({ type: 'varchar', length: 100, nullable: true })
  town: string | null;

  @Column({ type: 'varchar', length: 20, nullable: true })
  postcode: string | null;

  @JsonColumn()
  contacts: PupilContact[];

  /** The school or PRU whose file said it last. */
  @Column({ name: 'organisation_id', type: 'varchar', length: 36 })
  organisationId: string;

  @InstantColumn({ name: 'updated_at' })
  updatedAt: Date;
}

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
 * A pupil's address and contacts as one school's or PRU's last roll import that carried them said (a
 * copy of that organisation's information system, replaced whole by its next file). One row per pupil
 * and organisation: a school's import writes only its own row, so no school can change (or, by
 * importing a UPN, read) what another holds. Read only through `PupilContactsReader`, which asks
 * `AccessPolicy.restrictPupilContacts`: DSPs and head teachers of that organisation while the pupil is
 * enrolled there, nobody else (a referral carries what the DSP sends).
 */
@Entity('pupil_contact_details')
export class PupilContactDetails {
  @PrimaryColumn({ name: 'pupil_id', type: 'varchar', length: 36 })
  pupilId: string;

  /** The school or PRU whose file said it. */
  @PrimaryColumn({ name: 'organisation_id', type: 'varchar', length: 36 })
  organisationId: string;

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

  @InstantColumn({ name: 'updated_at' })
  updatedAt: Date;
}

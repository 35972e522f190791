import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AccessPolicy } from '../../access/access-policy';
import { Actor } from '../../common/actor';
import { isSettingKind } from '../../common/roles';
import { PupilContact, PupilContactDetails } from './contact-details.entity';

/** A pupil's address and contacts as the roll import keeps them, for a page or the API. */
export interface PupilContactDetailsView {
  address: {
    addressLine1: string | null;
    addressLine2: string | null;
    town: string | null;
    postcode: string | null;
  } | null;
  contacts: PupilContact[];
}

/**
 * The only way to read `pupil_contact_details`: every query goes through
 * `AccessPolicy.restrictPupilContacts` (DSPs and head teachers of a school or PRU where the pupil is
 * enrolled now, and only their own organisation's row), so no page, route or other module can read an
 * address around it, nor one school read what another school's file said.
 */
@Injectable()
export class PupilContactsReader {
  constructor(private readonly accessPolicy: AccessPolicy) {}

  /** Whether the actor's role reads contact details at all (so a page or answer can leave the section out). */
  mayRead(actor: Actor): boolean {
    return isSettingKind(actor.organisationKind) && this.accessPolicy.may(actor, 'pupil.contacts.read');
  }

  /**
   * The pupil's address and contacts as the actor's own organisation holds them, or null when it holds
   * none or the actor may not read them (another school's row is never a fallback).
   */
  async forPupil(actor: Actor, manager: EntityManager, pupilId: string): Promise<PupilContactDetailsView | null> {
    const qb = manager
      .getRepository(PupilContactDetails)
      .createQueryBuilder('details')
      .where('details.pupil_id = :contactPupilId', { contactPupilId: pupilId });
    const row = await this.accessPolicy.restrictPupilContacts(actor, qb, 'details').getOne();
    if (!row) return null;
    const hasAddress = [row.addressLine1, row.addressLine2, row.town, row.postcode].some(Boolean);
    return {
      address: hasAddress
        ? { addressLine1: row.addressLine1, addressLine2: row.addressLine2, town: row.town, postcode: row.postcode }
        : null,
      contacts: row.contacts.map((contact) => ({
        name: contact.name,
        relationship: contact.relationship ?? null,
        parentalResponsibility: contact.parentalResponsibility ?? null,
        phone: contact.phone ?? null,
      })),
    };
  }
}

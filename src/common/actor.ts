import { Language, OrganisationKind, Role } from './roles';

/** The signed-in caller. Every service method takes it first, so access and audit can never be skipped. */
export interface Actor {
  userId: string;
  membershipId: string;
  email: string;
  name: string;
  role: Role;
  organisationId: string;
  organisationName: string;
  /** The organisation's Welsh name, when it has one (optional: an actor built without it reads as none). */
  organisationNameCy?: string | null;
  organisationKind: OrganisationKind;
  /** The local authority this organisation belongs to (itself, for a local authority). */
  localAuthorityId: string;
  /**
   * The account's saved language: a preference for the edge (the pages' fallback, the API's language),
   * never an input to domain code, which answers in codes and messages (common/language.ts).
   */
  language: Language;
}

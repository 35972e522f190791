import { Role } from '../common/roles';
import { Membership } from '../organisations/membership.entity';
import { Organisation } from '../organisations/organisation.entity';
import { hasPassword, User } from '../organisations/user.entity';

/** An organisation as the API answers it (API.md, Organisations). */
export interface OrganisationView {
  id: string;
  kind: Organisation['kind'];
  name: string;
  nameCy: string | null;
  code: string | null;
  localAuthorityId: string | null;
  active: boolean;
}

export function toOrganisationView(organisation: Organisation): OrganisationView {
  return {
    id: organisation.id,
    kind: organisation.kind,
    name: organisation.name,
    nameCy: organisation.nameCy ?? null,
    code: organisation.code ?? null,
    localAuthorityId: organisation.localAuthorityId ?? null,
    active: Boolean(organisation.active),
  };
}

export interface MembershipView {
  id: string;
  organisationId: string;
  role: Role;
  createdAt: string;
  /** When the role ended; null while it is current. */
  endedAt: string | null;
}

/** An account as the API answers it: only the memberships the caller manages are listed. */
export interface AccountView {
  id: string;
  email: string;
  name: string;
  language: User['language'];
  active: boolean;
  twoFactorEnabled: boolean;
  /** False until the person accepts their invitation (sets a password). */
  invitationAccepted: boolean;
  memberships: MembershipView[];
}

export function toMembershipView(membership: Membership): MembershipView {
  return {
    id: membership.id,
    organisationId: membership.organisationId,
    role: membership.role,
    createdAt: membership.createdAt.toISOString(),
    endedAt: membership.endedAt ? membership.endedAt.toISOString() : null,
  };
}

export function toAccountView(user: User, memberships: Membership[], twoFactorEnabled = false): AccountView {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    language: user.language,
    active: Boolean(user.active),
    twoFactorEnabled,
    invitationAccepted: hasPassword(user),
    memberships: memberships.map(toMembershipView),
  };
}

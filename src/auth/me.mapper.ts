import { Actor } from '../common/actor';

export interface MeResponse {
  id: string;
  email: string;
  name: string;
  role: string;
  organisationId: string;
  language: string;
  /** Only in `/api/me` (the sign-in answer's `user` has the fields above). */
  emailNotifications?: boolean;
}

/** One role a person can work in (`GET /api/me/memberships`); `current` is the one this session works in. */
export interface MembershipOptionResponse {
  membershipId: string;
  role: string;
  organisationId: string;
  organisationName: string;
  organisationNameCy: string | null;
  current: boolean;
}

export function toMembershipOption(option: Actor, current: Actor): MembershipOptionResponse {
  return {
    membershipId: option.membershipId,
    role: option.role,
    organisationId: option.organisationId,
    organisationName: option.organisationName,
    organisationNameCy: option.organisationNameCy ?? null,
    current: option.membershipId === current.membershipId,
  };
}

/** The account as `/api/me` and the sign-in answer's `user` give it; `preferences` only for `/api/me`. */
export function toMeResponse(actor: Actor, preferences?: { emailNotifications: boolean }): MeResponse {
  return {
    id: actor.userId,
    email: actor.email,
    name: actor.name,
    role: actor.role,
    organisationId: actor.organisationId,
    language: actor.language,
    ...(preferences ? { emailNotifications: preferences.emailNotifications } : {}),
  };
}

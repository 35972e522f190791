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

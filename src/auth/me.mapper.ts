import { Actor } from '../common/actor';

export interface MeResponse {
  id: string;
  email: string;
  name: string;
  role: string;
  organisationId: string;
  language: string;
}

export function toMeResponse(actor: Actor): MeResponse {
  return {
    id: actor.userId,
    email: actor.email,
    name: actor.name,
    role: actor.role,
    organisationId: actor.organisationId,
    language: actor.language,
  };
}

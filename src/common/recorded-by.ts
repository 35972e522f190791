import { Actor } from './actor';

/** The four "who" columns every entry carries, filled from the actor with a given prefix. */
export function recordedBy<P extends string>(prefix: P, actor: Actor) {
  return {
    [`${prefix}UserId`]: actor.userId,
    [`${prefix}Name`]: actor.name,
    [`${prefix}Role`]: actor.role,
    [`${prefix}OrganisationId`]: actor.organisationId,
  } as Record<`${P}UserId`, string> & Record<`${P}Name` | `${P}Role` | `${P}OrganisationId`, string>;
}

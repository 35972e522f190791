import { EntityManager } from 'typeorm';

/**
 * Ends the recorded sessions of an account or of one membership, in the caller's transaction. Loading
 * the actor already refuses a deactivated account, an ended membership and a deactivated organisation
 * (OrganisationsService.loadActor), so every old session's next request is a 401 whatever this does;
 * recording the end is what keeps those sessions dead after a reactivation. Bound in AccountsModule to
 * auth's session registry once it records sessions; until then to `SessionsStoppedByLoading`.
 */
export abstract class AccountSessions {
  abstract endAllFor(manager: EntityManager, userId: string, reason: string): Promise<void>;
  abstract endAllForMembership(manager: EntityManager, membershipId: string, reason: string): Promise<void>;
}

/** Nothing recorded: the actor's query alone stops the sessions (see AccountSessions). */
export class SessionsStoppedByLoading extends AccountSessions {
  endAllFor(): Promise<void> {
    return Promise.resolve();
  }
  endAllForMembership(): Promise<void> {
    return Promise.resolve();
  }
}

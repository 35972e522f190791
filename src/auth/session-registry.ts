import { Injectable } from '@nestjs/common';
import { EntityManager, UpdateQueryBuilder } from 'typeorm';
import { Session, SessionEndReason } from './session.entity';

/**
 * Starts and ends sessions, in the caller's transaction (so a session ends together with the change
 * that ends it: a new password, a deactivated account, an ended membership). An ended session's token
 * is refused at its next request (jwt.strategy.ts `notSignedOut`): nothing waits for the token to expire.
 */
@Injectable()
export class SessionRegistry {
  async start(
    manager: EntityManager,
    session: { jti: string; userId: string; membershipId: string; startedAt: Date; expiresAt: Date },
  ): Promise<void> {
    await manager.insert(Session, { ...session, endedAt: null, endReason: null });
  }

  /** Ends one session. True when this call ended it (false: unknown, or already ended). */
  async end(manager: EntityManager, jti: string, reason: SessionEndReason): Promise<boolean> {
    const result = await this.endWhere(manager, reason, (qb) => qb.andWhere('jti = :jti', { jti }));
    return result > 0;
  }

  /**
   * Ends every open session of an account (but `exceptJti`, the one making a change of password that
   * should go on). Answers how many ended.
   */
  endAllFor(
    manager: EntityManager,
    userId: string,
    options: { exceptJti?: string; reason: SessionEndReason },
  ): Promise<number> {
    return this.endWhere(manager, options.reason, (qb) => {
      qb.andWhere('user_id = :userId', { userId });
      if (options.exceptJti) qb.andWhere('jti <> :exceptJti', { exceptJti: options.exceptJti });
    });
  }

  /** Ends every open session signed in with one membership (that role in that organisation). */
  endAllForMembership(manager: EntityManager, membershipId: string, reason: SessionEndReason): Promise<number> {
    return this.endWhere(manager, reason, (qb) => qb.andWhere('membership_id = :membershipId', { membershipId }));
  }

  /** Deletes the rows of sessions whose tokens have expired anyway (ended or not). */
  async pruneExpired(manager: EntityManager, now: Date): Promise<void> {
    // Instants are stored as ISO text (see InstantColumn), so the cut-off is compared as ISO text too.
    await manager
      .createQueryBuilder()
      .delete()
      .from(Session)
      .where('expires_at < :now', { now: now.toISOString() })
      .execute();
  }

  private async endWhere(
    manager: EntityManager,
    reason: SessionEndReason,
    narrow: (qb: UpdateQueryBuilder<Session>) => void,
  ): Promise<number> {
    const qb = manager
      .createQueryBuilder<Session>(Session, 'session')
      .update()
      .set({ endedAt: new Date(), endReason: reason })
      .where('ended_at IS NULL');
    narrow(qb);
    const result = await qb.execute();
    return result.affected ?? 0;
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { randomBytes } from 'node:crypto';
import { EntityManager, MoreThan } from 'typeorm';
import { Actor } from '../common/actor';
import { TooManyAttemptsError, UnauthenticatedError } from '../common/domain-error';
import { newId } from '../common/ids';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { DatabaseLock, UnitOfWork } from '../database/unit-of-work';
import { OrganisationsService } from '../organisations/organisations.service';
import { LoginAttempt } from './login-attempt.entity';
import {
  hashPassword,
  needsRehash,
  ScryptParameters,
  scryptParameters,
  unknownUserHash,
  verifyPassword,
} from './password-hasher';
import { RevokedSession } from './revoked-session.entity';
import { SessionClaims } from './jwt.strategy';

export interface SignedIn {
  accessToken: string;
  expiresInSeconds: number;
  actor: Actor;
}

/** The session a request was made with: its token's id and expiry (seconds since the epoch). */
export interface CurrentSessionClaims {
  jti: string;
  exp: number;
}

/** Failed sign-ins from one network address within the lockout window before it answers 429. */
export const MAX_FAILED_ATTEMPTS_PER_ADDRESS = 50;
/** Sign-in attempts are kept this long (for the lockouts and for investigating an attack), then pruned. */
export const LOGIN_ATTEMPTS_KEPT_MS = 24 * 3600 * 1000;
/** Pruning runs at most this often per process, inside a transaction the caller already has open. */
const PRUNE_INTERVAL_MS = 60 * 1000;

type Admission = { admitted: true; attemptId: string } | { admitted: false; retryAfterSeconds: number };

@Injectable()
export class AuthService {
  /** When this process next deletes old sign-in attempts and expired revocations. */
  private nextPruneAt = 0;
  /** The parameters new hashes are made with (the configured cost), and the unknown-user hash at that cost. */
  private readonly hashing: ScryptParameters;
  private readonly unknownUserHash: string;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly jwt: JwtService,
    private readonly organisations: OrganisationsService,
    private readonly unitOfWork: UnitOfWork,
  ) {
    this.hashing = scryptParameters(config.auth.passwordHashCost);
    this.unknownUserHash = unknownUserHash(this.hashing);
  }

  /**
   * Checks the password and issues a session token. After `maxFailedAttempts` failures for one account
   * within the window (since its last success), the account answers 429 until the window has passed,
   * even with the right password, so guessing cannot continue; after `MAX_FAILED_ATTEMPTS_PER_ADDRESS`
   * failures from one address within the window, that address answers 429 for every account.
   *
   * The attempt is counted and recorded (as a failure) atomically, before the password is checked, so
   * parallel guesses cannot all pass the check before any of them is recorded. The password is checked
   * outside that short transaction; only then is the attempt marked as succeeded.
   */
  async signIn(email: string, password: string, ipAddress: string | null): Promise<SignedIn> {
    const normalisedEmail = email.trim().toLowerCase();
    const admission = await this.admit(normalisedEmail, ipAddress);
    if (!admission.admitted) throw new TooManyAttemptsError(admission.retryAfterSeconds);

    const user = await this.organisations.findUserByEmail(normalisedEmail);
    const storedHash = user?.passwordHash ?? this.unknownUserHash;
    const passwordMatches = await verifyPassword(password, storedHash);
    const actor = user && passwordMatches ? await this.organisations.primaryActorOf(user.id) : null;
    if (!user || !actor) throw new UnauthenticatedError('Wrong email or password');

    // Hashes made with weaker parameters than today's are replaced while the password is at hand.
    const newHash = needsRehash(storedHash, this.hashing) ? await hashPassword(password, this.hashing) : null;
    await this.unitOfWork.run(async (manager) => {
      await manager.update(LoginAttempt, { id: admission.attemptId }, { succeeded: true });
      // Only if the hash is still the one just checked, so a concurrent change of password is never undone.
      if (newHash) await this.organisations.replacePasswordHash(manager, user.id, storedHash, newHash);
    });

    const claims: SessionClaims = {
      sub: actor.userId,
      mid: actor.membershipId,
      jti: randomBytes(18).toString('base64url'),
    };
    const accessToken = await this.jwt.signAsync(claims, {
      algorithm: 'HS256',
      expiresIn: this.config.auth.sessionTtlSeconds,
    });
    return { accessToken, expiresInSeconds: this.config.auth.sessionTtlSeconds, actor };
  }

  /** Ends the session the request was made with: its token is refused from now on, wherever it is sent. */
  async signOut(_actor: Actor, session: CurrentSessionClaims): Promise<void> {
    await this.revoke(session.jti, session.exp);
  }

  /**
   * Ends the session a sign-out form was posted with, if its token is still good. A token that is
   * already invalid or expired needs no revoking; the form still signs the browser out.
   */
  async endSession(token: string | null): Promise<void> {
    if (!token) return;
    let claims: Partial<CurrentSessionClaims>;
    try {
      claims = await this.jwt.verifyAsync<Partial<CurrentSessionClaims>>(token, { algorithms: ['HS256'] });
    } catch {
      return;
    }
    if (typeof claims.jti === 'string' && typeof claims.exp === 'number') await this.revoke(claims.jti, claims.exp);
  }

  private async revoke(jti: string, expiresAtSeconds: number): Promise<void> {
    await this.unitOfWork.run(async (manager) => {
      await manager
        .createQueryBuilder()
        .insert()
        .into(RevokedSession)
        .values({ jti, expiresAt: new Date(expiresAtSeconds * 1000) })
        .orIgnore()
        .execute();
      await this.pruneIfDue(manager);
    });
  }

  /**
   * In one short transaction, under a lock per account and per address (PostgreSQL; SQLite's queue
   * serialises transactions anyway): counts the failures, refuses at the limit, else records this
   * attempt as a failure until its password proves right. A pending attempt thus counts as a failure.
   */
  private admit(email: string, ipAddress: string | null): Promise<Admission> {
    const { maxFailedAttempts, lockoutWindowSeconds } = this.config.auth;
    const windowMs = lockoutWindowSeconds * 1000;
    return this.unitOfWork.run(async (manager) => {
      // Always account first, then address, so two attempts never wait for each other in a circle.
      await this.unitOfWork.lock(manager, DatabaseLock.SignInAccount, email);
      if (ipAddress) await this.unitOfWork.lock(manager, DatabaseLock.SignInAddress, ipAddress);
      // Pruning commits even when this attempt is refused: refusals are answered, not thrown, in here.
      await this.pruneIfDue(manager);
      const now = Date.now();
      const windowStart = new Date(now - windowMs);
      const retryAfter = (oldestCounted: Date) =>
        Math.max(1, Math.ceil((oldestCounted.getTime() + windowMs - now) / 1000));

      if (ipAddress) {
        const addressFailures = await manager.find(LoginAttempt, {
          select: { id: true, at: true },
          where: { ipAddress, succeeded: false, at: MoreThan(windowStart) },
          order: { at: 'DESC' },
          take: MAX_FAILED_ATTEMPTS_PER_ADDRESS,
        });
        if (addressFailures.length >= MAX_FAILED_ATTEMPTS_PER_ADDRESS) {
          return {
            admitted: false,
            retryAfterSeconds: retryAfter(addressFailures[MAX_FAILED_ATTEMPTS_PER_ADDRESS - 1].at),
          };
        }
      }

      const recent = await manager.find(LoginAttempt, {
        where: { email, at: MoreThan(windowStart) },
        order: { at: 'DESC' },
        take: maxFailedAttempts + 1,
      });
      const failuresSinceSuccess: LoginAttempt[] = [];
      for (const attempt of recent) {
        if (attempt.succeeded) break;
        failuresSinceSuccess.push(attempt);
      }
      if (failuresSinceSuccess.length >= maxFailedAttempts) {
        return { admitted: false, retryAfterSeconds: retryAfter(failuresSinceSuccess[maxFailedAttempts - 1].at) };
      }

      // Each account's attempts get strictly increasing times, so "since the last success" is never a tie.
      const latest = recent[0]?.at.getTime() ?? 0;
      const attemptId = newId();
      await manager.insert(LoginAttempt, {
        id: attemptId,
        email,
        ipAddress,
        at: new Date(Math.max(now, latest + 1)),
        succeeded: false,
      });
      return { admitted: true, attemptId };
    });
  }

  /** Deletes sign-in attempts older than a day and revocations of tokens that have expired anyway. */
  private async pruneIfDue(manager: EntityManager): Promise<void> {
    const now = Date.now();
    if (now < this.nextPruneAt) return;
    this.nextPruneAt = now + PRUNE_INTERVAL_MS;
    // Instants are stored as ISO text (see InstantColumn), so the cut-offs are compared as ISO text too.
    const attemptsBefore = new Date(now - LOGIN_ATTEMPTS_KEPT_MS).toISOString();
    await manager
      .createQueryBuilder()
      .delete()
      .from(LoginAttempt)
      .where('at < :attemptsBefore', { attemptsBefore })
      .execute();
    await manager
      .createQueryBuilder()
      .delete()
      .from(RevokedSession)
      .where('expires_at < :now', { now: new Date(now).toISOString() })
      .execute();
  }
}

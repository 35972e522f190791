import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { randomBytes } from 'node:crypto';
import { EntityManager, FindOptionsWhere, IsNull, MoreThan } from 'typeorm';
import { Actor } from '../common/actor';
import { NotFoundError, TooManyAttemptsError, UnauthenticatedError } from '../common/domain-error';
import { newId } from '../common/ids';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { DatabaseLock, UnitOfWork } from '../database/unit-of-work';
import { OrganisationsService } from '../organisations/organisations.service';
import { DeviceCookies, DeviceToken } from './device-cookie';
import { LoginAttempt } from './login-attempt.entity';
import {
  hashPassword,
  needsRehash,
  ScryptParameters,
  scryptParameters,
  unknownUserHash,
  verifyPassword,
} from './password-hasher';
import { notSignedOut, SessionClaims } from './jwt.strategy';
import { SessionRegistry } from './session-registry';
import { SignInAudit, SignInAuditEvent } from './sign-in-audit';
import { decide, LimitCount, limitsFor, maxFailures, SignInLimit } from './sign-in-limits';
import { TwoFactorAudit } from './two-factor/two-factor-audit';
import { TwoFactorChallenge } from './two-factor/two-factor.entities';
import { TwoFactorError, TwoFactorRuleError } from './two-factor/two-factor-errors';
import { accountOf, SecondFactor, TwoFactorService } from './two-factor/two-factor.service';

export interface SignedIn {
  twoFactorRequired?: false;
  accessToken: string;
  expiresInSeconds: number;
  actor: Actor;
  /** The device cookie's new value: from now on this device is known to the account. */
  deviceCookie: string;
  /** REQUIRE_2FA applies and the account has no two-factor yet: only setting it up is open to this session. */
  twoFactorSetupRequired: boolean;
}

/** The password was right for an account with two-factor on: the code is asked for next (completeSignIn). */
export interface TwoFactorChallenged {
  twoFactorRequired: true;
  challengeToken: string;
  expiresInSeconds: number;
}

export type SignInResult = SignedIn | TwoFactorChallenged;

/** How long the second step of a sign-in may wait for its code. */
export const TWO_FACTOR_CHALLENGE_SECONDS = 5 * 60;
/** Wrong codes one challenge takes before the password must be given again (each also counts towards the limits). */
export const TWO_FACTOR_CHALLENGE_MAX_FAILURES = 5;
/** What the session token says of a session whose account must set up two-factor first (two-factor-gate.ts). */
export const TWO_FACTOR_SETUP_CLAIM = 'setup';

/** The session a request was made with: its token's id and expiry (seconds since the epoch). */
export interface CurrentSessionClaims {
  jti: string;
  exp: number;
}

/** Sign-in attempts are kept this long (for the lockouts and for investigating an attack), then pruned. */
export const LOGIN_ATTEMPTS_KEPT_MS = 24 * 3600 * 1000;
/** Pruning runs at most this often per process, inside a transaction the caller already has open. */
const PRUNE_INTERVAL_MS = 60 * 1000;

/** The API's words for each limit (pages and the API translate them: login.errors.limits.*). */
const LIMIT_MESSAGES: Record<SignInLimit, string> = {
  [SignInLimit.Device]: 'Too many wrong passwords for this account on this device. Try again later.',
  [SignInLimit.Address]:
    'Too many failed sign-ins from this network address. Try again later. A device that has signed in to its account before can still sign in.',
  [SignInLimit.Account]:
    'Too many wrong passwords for this account from devices it has not been used on before. Try again later. A device that has signed in to this account before can still sign in.',
  [SignInLimit.AccountAddress]:
    'Too many wrong passwords for this account from this network address. Try again later. A device that has signed in to this account before can still sign in.',
};

/** The second step of a sign-in came too late, twice, or after too many wrong codes: the password again. */
export class SignInChallengeExpiredError extends UnauthenticatedError {
  constructor() {
    super('This sign-in has expired or was already used: enter your password again');
  }
}

/** The second step's code was wrong, out of date or already used (401, like a wrong password). */
export class WrongSignInCodeError extends UnauthenticatedError {
  constructor() {
    super('The code is wrong, out of date or already used');
  }
}

/** Inside a sign-in's transaction: the code proved nothing, so everything it did is rolled back. */
class NotProved extends Error {}

type Admission =
  | { admitted: true; attemptId: string; reaching: SignInLimit[] }
  | { admitted: false; limit: SignInLimit; retryAfterSeconds: number };

/** What the audit entries of one attempt share: the account tried (if any), the email as typed, the address. */
type AttemptFacts = Omit<SignInAuditEvent, 'event'>;

@Injectable()
export class AuthService {
  /** When this process next deletes old sign-in attempts and expired revocations. */
  private nextPruneAt = 0;
  /** The parameters new hashes are made with (the configured cost), and the unknown-user hash at that cost. */
  private readonly hashing: ScryptParameters;
  private readonly unknownUserHash: string;
  private readonly devices: DeviceCookies;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly jwt: JwtService,
    private readonly organisations: OrganisationsService,
    private readonly unitOfWork: UnitOfWork,
    private readonly signInAudit: SignInAudit,
    private readonly sessions: SessionRegistry,
    private readonly twoFactor: TwoFactorService,
    private readonly twoFactorAudit: TwoFactorAudit,
  ) {
    this.hashing = scryptParameters(config.auth.passwordHashCost);
    this.unknownUserHash = unknownUserHash(this.hashing);
    this.devices = new DeviceCookies(config.auth.signIn.deviceSecret, config.auth.signIn.deviceCookieDays * 24 * 3600);
  }

  /**
   * Checks the password and issues a session token and a device cookie. Failures are counted so that
   * guessing is limited without anyone being able to lock out a person on their usual device
   * (sign-in-limits.ts; docs/security.md, Sign-in throttling): a device that carries a genuine device
   * cookie for the account answers only for its own failures; any other is limited per address, per
   * account and per account and address.
   *
   * The attempt is counted and recorded (as a failure) atomically, before the password is checked, so
   * parallel guesses cannot all pass the check before any of them is recorded. The password is checked
   * outside that short transaction; only then is the attempt marked as succeeded. Every success,
   * failure, lockout and refusal goes in the audit log.
   *
   * For an account with two-factor on, a right password answers a challenge instead of a session: its
   * attempt stays counted as a failure until `completeSignIn` accepts a code, so someone who has the
   * password but not the authenticator is held by the same limits.
   */
  async beginSignIn(
    email: string,
    password: string,
    ipAddress: string | null,
    deviceCookie: unknown = null,
  ): Promise<SignInResult> {
    const normalisedEmail = email.trim().toLowerCase();
    const devices = this.devices.read(deviceCookie);
    const deviceId = DeviceCookies.nonceFor(devices, normalisedEmail);
    const user = await this.organisations.findUserByEmail(normalisedEmail);
    const actor = user ? await this.organisations.primaryActorOf(user.id) : null;
    const facts: AttemptFacts = {
      account: user
        ? {
            userId: user.id,
            name: actor?.name ?? user.name,
            role: actor?.role ?? null,
            organisationId: actor?.organisationId ?? null,
          }
        : null,
      // Only a known account's email is kept: for an unknown one it may be a password typed in the wrong box.
      typedEmail: user ? email : null,
      address: ipAddress,
    };
    const admission = await this.admit(normalisedEmail, ipAddress, deviceId, facts);
    if (!admission.admitted)
      throw new TooManyAttemptsError(admission.retryAfterSeconds, admission.limit, LIMIT_MESSAGES[admission.limit]);

    const storedHash = user?.passwordHash ?? this.unknownUserHash;
    const passwordMatches = await verifyPassword(password, storedHash);
    if (!user || !actor || !passwordMatches) {
      const window = this.config.auth.signIn.lockoutWindowSeconds;
      await this.unitOfWork.run(async (manager) => {
        await this.signInAudit.record(manager, { ...facts, event: 'sign_in_failed' });
        // This failure began a lockout: said once, here; each attempt refused during it is logged too.
        for (const limit of admission.reaching)
          await this.signInAudit.record(manager, { ...facts, event: 'locked_out', limit, retryAfterSeconds: window });
      });
      throw new UnauthenticatedError('Wrong email or password');
    }

    // Hashes made with weaker parameters than today's are replaced while the password is at hand.
    const newHash = needsRehash(storedHash, this.hashing) ? await hashPassword(password, this.hashing) : null;
    if (await this.twoFactor.isEnabled(user.id)) {
      const challengeToken = randomBytes(32).toString('base64url');
      const now = Date.now();
      await this.unitOfWork.run(async (manager) => {
        if (newHash) await this.organisations.replacePasswordHash(manager, user.id, storedHash, newHash);
        await manager.insert(TwoFactorChallenge, {
          tokenHash: this.twoFactor.secrets.tokenHash(challengeToken),
          userId: user.id,
          attemptId: admission.attemptId,
          createdAt: new Date(now),
          expiresAt: new Date(now + TWO_FACTOR_CHALLENGE_SECONDS * 1000),
          usedAt: null,
          failures: 0,
        });
      });
      return { twoFactorRequired: true, challengeToken, expiresInSeconds: TWO_FACTOR_CHALLENGE_SECONDS };
    }
    await this.unitOfWork.run(async (manager) => {
      await manager.update(LoginAttempt, { id: admission.attemptId }, { succeeded: true });
      // Only if the hash is still the one just checked, so a concurrent change of password is never undone.
      if (newHash) await this.organisations.replacePasswordHash(manager, user.id, storedHash, newHash);
      await this.signInAudit.record(manager, { ...facts, event: 'signed_in', knownDevice: deviceId !== null });
    });
    return this.issueSession(actor, devices, normalisedEmail);
  }

  /**
   * A sign-in by password alone, for callers that cannot ask for a code: an account with two-factor on
   * is refused (401) after its password is checked, and that attempt stays counted as a failure.
   */
  async signIn(
    email: string,
    password: string,
    ipAddress: string | null,
    deviceCookie: unknown = null,
  ): Promise<SignedIn> {
    const result = await this.beginSignIn(email, password, ipAddress, deviceCookie);
    if (result.twoFactorRequired) throw new UnauthenticatedError('This account signs in with a two-factor code');
    return result;
  }

  /**
   * The second step of a sign-in with two-factor: the challenge the password step answered, and a
   * current authenticator code or an unused recovery code, each accepted once. The challenge is good
   * for TWO_FACTOR_CHALLENGE_SECONDS, for its account only, and is used up by the sign-in it completes.
   * Each code tried is a sign-in attempt under the same limits as passwords (admitted, counted as a
   * failure until it proves right); a wrong code is 401, too many are 429.
   */
  async completeSignIn(
    challengeToken: string,
    code: string,
    ipAddress: string | null,
    deviceCookie: unknown = null,
  ): Promise<SignedIn> {
    const tokenHash = this.twoFactor.secrets.tokenHash(challengeToken);
    const challenge = await this.unitOfWork.manager.findOneBy(TwoFactorChallenge, { tokenHash });
    const expired = (c: TwoFactorChallenge) =>
      c.usedAt !== null || c.expiresAt.getTime() <= Date.now() || c.failures >= TWO_FACTOR_CHALLENGE_MAX_FAILURES;
    if (!challenge || expired(challenge)) throw new SignInChallengeExpiredError();
    const actor = await this.organisations.primaryActorOf(challenge.userId);
    if (!actor) throw new SignInChallengeExpiredError();
    const normalisedEmail = actor.email.trim().toLowerCase();
    const devices = this.devices.read(deviceCookie);
    const deviceId = DeviceCookies.nonceFor(devices, normalisedEmail);
    const facts: AttemptFacts = { account: accountOf(actor), typedEmail: actor.email, address: ipAddress };
    const admission = await this.admit(normalisedEmail, ipAddress, deviceId, facts);
    if (!admission.admitted)
      throw new TooManyAttemptsError(admission.retryAfterSeconds, admission.limit, LIMIT_MESSAGES[admission.limit]);

    const proved = await this.unitOfWork
      .run(async (manager): Promise<SecondFactor> => {
        // Claimed first, so two requests with one challenge cannot both complete it.
        const claimed = await manager
          .createQueryBuilder()
          .update(TwoFactorChallenge)
          .set({ usedAt: new Date() })
          .where('token_hash = :tokenHash AND used_at IS NULL AND expires_at > :now AND failures < :max', {
            tokenHash,
            now: new Date().toISOString(),
            max: TWO_FACTOR_CHALLENGE_MAX_FAILURES,
          })
          .execute();
        // Thrown, so the claim rolls back and the challenge stays good for another try.
        if (claimed.affected !== 1) throw new NotProved();
        const factor = await this.twoFactor.consume(manager, actor.userId, code);
        if (!factor) throw new NotProved();
        await manager
          .createQueryBuilder()
          .update(LoginAttempt)
          .set({ succeeded: true })
          .whereInIds([challenge.attemptId, admission.attemptId])
          .execute();
        await this.signInAudit.record(manager, {
          ...facts,
          event: 'signed_in',
          knownDevice: deviceId !== null,
          secondFactor: factor,
        });
        if (factor === 'recovery_code')
          await this.twoFactorAudit.record(manager, {
            event: 'recovery_code_used',
            account: accountOf(actor),
            address: ipAddress,
            recoveryCodesLeft: await this.twoFactor.recoveryCodesLeft(manager, actor.userId),
          });
        return factor;
      })
      .catch((error: unknown) => {
        if (error instanceof NotProved) return null;
        throw error;
      });
    if (!proved) {
      await this.unitOfWork.run(async (manager) => {
        await manager
          .createQueryBuilder()
          .update(TwoFactorChallenge)
          .set({ failures: () => 'failures + 1' })
          .where('token_hash = :tokenHash', { tokenHash })
          .execute();
        await this.signInAudit.record(manager, { ...facts, event: 'two_factor_failed' });
        for (const limit of admission.reaching)
          await this.signInAudit.record(manager, {
            ...facts,
            event: 'locked_out',
            limit,
            retryAfterSeconds: this.config.auth.signIn.lockoutWindowSeconds,
          });
      });
      throw new WrongSignInCodeError();
    }
    return this.issueSession(actor, devices, normalisedEmail);
  }

  /**
   * Checks a signed-in person's second factor (and password, when given) before a change that needs it
   * (turning two-factor off, new recovery codes), as a sign-in attempt under the same limits, so a
   * session left open cannot be used to guess either. On success runs `change` in the transaction that
   * uses the code up; a wrong password or code is 422 on its field, too many tries 429.
   */
  async withSecondFactor<T>(
    actor: Actor,
    proof: { password?: string; code: string },
    ipAddress: string | null,
    deviceCookie: unknown,
    change: (manager: EntityManager) => Promise<T>,
    wrongCode: TwoFactorError = TwoFactorError.WrongCode,
  ): Promise<T> {
    const normalisedEmail = actor.email.trim().toLowerCase();
    const deviceId = DeviceCookies.nonceFor(this.devices.read(deviceCookie), normalisedEmail);
    const facts: AttemptFacts = { account: accountOf(actor), typedEmail: actor.email, address: ipAddress };
    const admission = await this.admit(normalisedEmail, ipAddress, deviceId, facts);
    if (!admission.admitted)
      throw new TooManyAttemptsError(admission.retryAfterSeconds, admission.limit, LIMIT_MESSAGES[admission.limit]);
    let failure: TwoFactorError | null = null;
    if (proof.password !== undefined) {
      const user = await this.organisations.findUserByEmail(normalisedEmail);
      if (!user || !(await verifyPassword(proof.password, user.passwordHash))) failure = TwoFactorError.WrongPassword;
    }
    if (!failure) {
      const outcome = await this.unitOfWork.run(
        async (manager): Promise<{ done: true; value: T } | { done: false }> => {
          const factor = await this.twoFactor.consume(manager, actor.userId, proof.code);
          if (!factor) return { done: false };
          await manager.update(LoginAttempt, { id: admission.attemptId }, { succeeded: true });
          if (factor === 'recovery_code')
            await this.twoFactorAudit.record(manager, {
              event: 'recovery_code_used',
              account: accountOf(actor),
              address: ipAddress,
              recoveryCodesLeft: await this.twoFactor.recoveryCodesLeft(manager, actor.userId),
            });
          return { done: true, value: await change(manager) };
        },
      );
      if (outcome.done) return outcome.value;
      failure = wrongCode;
    }
    await this.unitOfWork.run(async (manager) => {
      await this.signInAudit.record(manager, {
        ...facts,
        event: failure === TwoFactorError.WrongPassword ? 'sign_in_failed' : 'two_factor_failed',
      });
      for (const limit of admission.reaching)
        await this.signInAudit.record(manager, {
          ...facts,
          event: 'locked_out',
          limit,
          retryAfterSeconds: this.config.auth.signIn.lockoutWindowSeconds,
        });
    });
    throw new TwoFactorRuleError(failure);
  }

  /**
   * Checks a signed-in person's current password before a change of password. It counts exactly as a
   * sign-in attempt (the same limits, the same audit entries), so a stolen session cannot be used to
   * guess the password any faster than the sign-in form: at a limit it throws TooManyAttemptsError.
   * Answers whether the password was right.
   */
  async checkCurrentPassword(
    actor: Actor,
    password: string,
    ipAddress: string | null,
    deviceCookie: unknown = null,
  ): Promise<boolean> {
    const email = actor.email.toLowerCase();
    const deviceId = DeviceCookies.nonceFor(this.devices.read(deviceCookie), email);
    const facts: AttemptFacts = {
      account: { userId: actor.userId, name: actor.name, role: actor.role, organisationId: actor.organisationId },
      typedEmail: actor.email,
      address: ipAddress,
    };
    const admission = await this.admit(email, ipAddress, deviceId, facts);
    if (!admission.admitted)
      throw new TooManyAttemptsError(admission.retryAfterSeconds, admission.limit, LIMIT_MESSAGES[admission.limit]);
    const user = await this.organisations.findUserByEmail(email);
    const matches = await verifyPassword(password, user?.passwordHash ?? this.unknownUserHash);
    await this.unitOfWork.run(async (manager) => {
      if (user && matches) {
        await manager.update(LoginAttempt, { id: admission.attemptId }, { succeeded: true });
        return;
      }
      await this.signInAudit.record(manager, { ...facts, event: 'sign_in_failed' });
      const window = this.config.auth.signIn.lockoutWindowSeconds;
      for (const limit of admission.reaching)
        await this.signInAudit.record(manager, { ...facts, event: 'locked_out', limit, retryAfterSeconds: window });
    });
    return user !== null && matches;
  }

  /**
   * The one place a session is issued, after whatever proved who is signing in (the password alone, or
   * the password then a second factor): the token, and a fresh device cookie. A session of an account
   * that REQUIRE_2FA says must set up two-factor, and has not, says so in its token; the global gate
   * (two-factor-gate.ts) then lets it do nothing but that.
   */
  private async issueSession(actor: Actor, devices: DeviceToken[], normalisedEmail: string): Promise<SignedIn> {
    const twoFactorSetupRequired =
      (await this.twoFactor.requiredFor(actor.userId)) && !(await this.twoFactor.isEnabled(actor.userId));
    const ttl = this.config.auth.sessionTtlSeconds;
    const issuedAt = Math.floor(Date.now() / 1000);
    const claims: SessionClaims & { iat: number; exp: number } = {
      sub: actor.userId,
      mid: actor.membershipId,
      jti: randomBytes(18).toString('base64url'),
      ...(twoFactorSetupRequired ? { tfa: TWO_FACTOR_SETUP_CLAIM } : {}),
      iat: issuedAt,
      exp: issuedAt + ttl,
    };
    // Recorded before the token exists (sessions table), so no token is ever valid without its row and
    // any session can be ended from anywhere (sign-out, a new password, deactivation).
    await this.unitOfWork.run((manager) =>
      this.sessions.start(manager, {
        jti: claims.jti,
        userId: actor.userId,
        membershipId: actor.membershipId,
        startedAt: new Date(issuedAt * 1000),
        expiresAt: new Date(claims.exp * 1000),
      }),
    );
    const accessToken = await this.jwt.signAsync(claims, { algorithm: 'HS256' });
    // A new nonce at every success (OWASP): a device cookie copied earlier stops naming this device's count.
    const { value: newDeviceCookie } = this.devices.issue(devices, normalisedEmail);
    return {
      accessToken,
      expiresInSeconds: this.config.auth.sessionTtlSeconds,
      actor,
      deviceCookie: newDeviceCookie,
      twoFactorSetupRequired,
    };
  }

  /**
   * Someone who works in more than one place (or holds more than one role) acts through one membership
   * at a time: this ends the session the request was made with and starts one in another of their
   * current memberships. A membership that is not theirs, has ended or whose organisation is
   * deactivated is a 404, like any record they cannot see.
   */
  async switchMembership(
    actor: Actor,
    session: CurrentSessionClaims,
    membershipId: string,
    ipAddress: string | null,
    deviceCookie: unknown = null,
  ): Promise<SignedIn> {
    const target = await this.organisations.loadActor(actor.userId, membershipId);
    if (!target) throw new NotFoundError('Membership');
    await this.unitOfWork.run(async (manager) => {
      await this.sessions.end(manager, session.jti, 'switched_role');
      await this.signInAudit.record(manager, {
        event: 'switched_role',
        account: {
          userId: target.userId,
          name: target.name,
          role: target.role,
          organisationId: target.organisationId,
        },
        typedEmail: null,
        address: ipAddress,
        previous: { role: actor.role, organisationId: actor.organisationId },
      });
    });
    return this.issueSession(target, this.devices.read(deviceCookie), actor.email.trim().toLowerCase());
  }

  /** Ends the session the request was made with: its token is refused from now on, wherever it is sent. */
  async signOut(actor: Actor, session: CurrentSessionClaims, ipAddress: string | null = null): Promise<void> {
    await this.revoke(session.jti, actor, ipAddress);
  }

  /**
   * Ends the session a sign-out form was posted with, if its token is still good. A token that is
   * already invalid, expired or signed out needs no revoking; the form still signs the browser out.
   */
  async endSession(token: string | null, ipAddress: string | null = null): Promise<void> {
    if (!token) return;
    let claims: Partial<CurrentSessionClaims & SessionClaims>;
    try {
      claims = await this.jwt.verifyAsync<Partial<CurrentSessionClaims & SessionClaims>>(token, {
        algorithms: ['HS256'],
      });
    } catch {
      return;
    }
    const { jti, exp, sub, mid } = claims;
    if (typeof jti !== 'string' || typeof exp !== 'number' || typeof sub !== 'string' || typeof mid !== 'string')
      return;
    // Null when the session was already signed out (or its membership is gone): nothing to log twice.
    const actor = await this.organisations.loadActor(sub, mid, notSignedOut(jti));
    if (actor) await this.revoke(jti, actor, ipAddress);
  }

  private async revoke(jti: string, actor: Actor, ipAddress: string | null): Promise<void> {
    await this.unitOfWork.run(async (manager) => {
      const ended = await this.sessions.end(manager, jti, 'signed_out');
      await this.pruneIfDue(manager);
      // Only the sign-out that ended the session is logged, not a repeat of it.
      if (ended)
        await this.signInAudit.record(manager, {
          event: 'signed_out',
          account: { userId: actor.userId, name: actor.name, role: actor.role, organisationId: actor.organisationId },
          typedEmail: null,
          address: ipAddress,
        });
    });
  }

  /**
   * In one short transaction, under a lock per account and (for a device not known to it) per address
   * (PostgreSQL; SQLite's queue serialises transactions anyway): counts the failures each limit that
   * applies counts, refuses at a limit (logging the refusal), else records this attempt as a failure
   * until its password proves right. A pending attempt thus counts as a failure.
   */
  private admit(email: string, ipAddress: string | null, deviceId: string | null, facts: AttemptFacts) {
    const windowMs = this.config.auth.signIn.lockoutWindowSeconds * 1000;
    const limits = limitsFor({ knownDevice: deviceId !== null, hasAddress: ipAddress !== null });
    return this.unitOfWork.run(async (manager): Promise<Admission> => {
      // Always account first, then address, so two attempts never wait for each other in a circle.
      await this.unitOfWork.lock(manager, DatabaseLock.SignInAccount, email);
      if (ipAddress && limits.includes(SignInLimit.Address))
        await this.unitOfWork.lock(manager, DatabaseLock.SignInAddress, ipAddress);
      // Pruning commits even when this attempt is refused: refusals are answered, not thrown, in here.
      await this.pruneIfDue(manager);
      const now = Date.now();
      const windowStart = new Date(now - windowMs);
      const counts: LimitCount[] = [];
      for (const limit of limits) {
        const max = maxFailures(limit, this.config.auth.signIn);
        const where = await this.countedFailures(manager, limit, { email, ipAddress, deviceId, windowStart });
        const failures = await manager.find(LoginAttempt, {
          select: { id: true, at: true },
          where,
          order: { at: 'DESC' },
          take: max,
        });
        counts.push({ limit, max, failures: failures.map((failure) => failure.at) });
      }
      const decision = decide(counts, now, windowMs);
      if (!decision.admitted) {
        const { limit, retryAfterSeconds } = decision;
        await this.signInAudit.record(manager, { ...facts, event: 'sign_in_refused', limit, retryAfterSeconds });
        return decision;
      }

      // Each account's attempts get strictly increasing times, so "since the last success" is never a tie.
      const latest = await manager.findOne(LoginAttempt, {
        select: { id: true, at: true },
        where: { email },
        order: { at: 'DESC' },
      });
      const attemptId = newId();
      await manager.insert(LoginAttempt, {
        id: attemptId,
        email,
        ipAddress,
        deviceId,
        at: new Date(Math.max(now, (latest?.at.getTime() ?? 0) + 1)),
        succeeded: false,
      });
      return { admitted: true, attemptId, reaching: decision.reaching };
    });
  }

  /**
   * Which failures a limit counts. A known device's failures count only against it (its nonce); every
   * other failure counts against the address, the account, and the pair. The pair's count starts again
   * after a success from that pair by a device not known to the account: a known device signing in
   * from the same address does not give someone else there fresh guesses.
   */
  private async countedFailures(
    manager: EntityManager,
    limit: SignInLimit,
    attempt: { email: string; ipAddress: string | null; deviceId: string | null; windowStart: Date },
  ): Promise<FindOptionsWhere<LoginAttempt>> {
    const { email, ipAddress, deviceId, windowStart } = attempt;
    const failedSince = (since: Date) => ({ succeeded: false, at: MoreThan(since) });
    switch (limit) {
      case SignInLimit.Device:
        return { deviceId: deviceId ?? '', ...failedSince(windowStart) };
      case SignInLimit.Address:
        return { ipAddress: ipAddress ?? IsNull(), deviceId: IsNull(), ...failedSince(windowStart) };
      case SignInLimit.Account:
        return { email, deviceId: IsNull(), ...failedSince(windowStart) };
      case SignInLimit.AccountAddress: {
        const pair = { email, ipAddress: ipAddress ?? IsNull(), deviceId: IsNull() };
        const lastSuccess = await manager.findOne(LoginAttempt, {
          select: { id: true, at: true },
          where: { ...pair, succeeded: true, at: MoreThan(windowStart) },
          order: { at: 'DESC' },
        });
        return { ...pair, ...failedSince(lastSuccess?.at ?? windowStart) };
      }
    }
  }

  /**
   * Deletes sign-in attempts older than a day, revocations of tokens that have expired anyway, and
   * two-factor challenges expired for a day.
   */
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
    await this.sessions.pruneExpired(manager, new Date(now));
    // Sign-in challenges are of no use once expired; kept a day, like the attempts they belong to.
    await manager
      .createQueryBuilder()
      .delete()
      .from(TwoFactorChallenge)
      .where('expires_at < :attemptsBefore', { attemptsBefore })
      .execute();
  }
}

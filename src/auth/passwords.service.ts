import { UNUSABLE_PASSWORD_HASH } from '../organisations/user.entity';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { EntityManager, IsNull, MoreThan } from 'typeorm';
import { Actor } from '../common/actor';
import { BilingualName } from '../common/language';
import { InvalidInputError, ModuleRuleError, NotFoundError } from '../common/domain-error';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { DatabaseLock, UnitOfWork } from '../database/unit-of-work';
import { Mailer } from '../mail/mailer';
import { OrganisationsService } from '../organisations/organisations.service';
import { User } from '../organisations/user.entity';
import { AuthService, CurrentSessionClaims } from './auth.service';
import { CredentialsAudit } from './credentials-audit';
import { hashOneTimeToken, looksLikeOneTimeToken, newOneTimeToken } from './one-time-token';
import { hashPassword, ScryptParameters, scryptParameters } from './password-hasher';
import { PASSWORD_PROBLEM_MESSAGES, PasswordProblem, passwordProblems } from './password-policy';
import { PasswordReset } from './password-reset.entity';
import { SessionRegistry } from './session-registry';

/** A reset link works for this long. */
export const RESET_LINK_TTL_MS = 3600 * 1000;
/** At most this many reset emails per account in RESET_LIMIT_WINDOW_MS: more requests are answered alike, but send nothing. */
export const RESET_EMAILS_PER_WINDOW = 3;
export const RESET_LIMIT_WINDOW_MS = 3600 * 1000;

/** The broken rules of changing a password. */
export enum PasswordError {
  CurrentPasswordWrong = 'current_password_wrong',
}

export class PasswordRuleError extends ModuleRuleError<PasswordError> {
  constructor(reason: PasswordError) {
    super(reason, {
      rule: reason,
      field: 'currentPassword',
      message: 'The current password is not right',
    });
  }
}

/**
 * A new password that the policy refuses (400). The API names `password` as API.md says; a change of
 * password also names its own field, `newPassword`. Pages read `problems` to say each in words.
 */
export class PasswordPolicyError extends InvalidInputError {
  constructor(
    readonly problems: PasswordProblem[],
    fields: string[],
  ) {
    const messages = problems.map((problem) => PASSWORD_PROBLEM_MESSAGES[problem]);
    super(Object.fromEntries(fields.map((field) => [field, messages])), 'The new password cannot be used');
  }
}

/** Where a request came from, for the audit entry. */
export interface RequestOrigin {
  address: string | null;
  deviceCookie?: unknown;
}

/**
 * Changing a password (signed in, with the current one), and resetting a forgotten one by a link sent
 * by email. Each change ends sessions in the same transaction (SessionRegistry) and is audited there;
 * emails go after the commit, and a failure to send is logged, never undoing the change.
 */
@Injectable()
export class PasswordsService {
  private readonly logger = new Logger(PasswordsService.name);
  private readonly hashing: ScryptParameters;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly unitOfWork: UnitOfWork,
    private readonly organisations: OrganisationsService,
    private readonly auth: AuthService,
    private readonly sessions: SessionRegistry,
    private readonly audit: CredentialsAudit,
    private readonly mailer: Mailer,
  ) {
    this.hashing = scryptParameters(config.auth.passwordHashCost);
  }

  /**
   * The signed-in person's new password: the current one must be right (a wrong one counts as a failed
   * sign-in, and is 422 `currentPassword`), the new one must pass the policy (400). The account's other
   * sessions end; this one goes on. A `password_changed` email tells the person.
   */
  async change(
    actor: Actor,
    session: CurrentSessionClaims,
    passwords: { currentPassword: string; newPassword: string },
    origin: RequestOrigin,
  ): Promise<void> {
    const problems = passwordProblems(passwords.newPassword, actor.email);
    if (problems.length > 0) throw new PasswordPolicyError(problems, ['newPassword', 'password']);
    const right = await this.auth.checkCurrentPassword(
      actor,
      passwords.currentPassword,
      origin.address,
      origin.deviceCookie,
    );
    if (!right) throw new PasswordRuleError(PasswordError.CurrentPasswordWrong);
    const hash = await hashPassword(passwords.newPassword, this.hashing);
    await this.unitOfWork.run(async (manager) => {
      await this.organisations.setPasswordHash(manager, actor.userId, hash);
      // A link asked for before the change should not undo it.
      await this.useUpResetLinks(manager, actor.userId);
      const sessionsEnded = await this.sessions.endAllFor(manager, actor.userId, {
        exceptJti: session.jti,
        reason: 'password_changed',
      });
      await this.audit.record(manager, {
        event: 'password_changed',
        account: { userId: actor.userId, name: actor.name, role: actor.role, organisationId: actor.organisationId },
        proved: true,
        address: origin.address,
        sessionsEnded,
      });
    });
    await this.sendSafely({
      to: actor.email,
      language: actor.language,
      kind: 'password_changed',
      link: this.mailer.link('/reset'),
      params: { authority: await this.authorityName(actor.localAuthorityId) },
    });
  }

  /**
   * Someone asks for a reset link for `email`. Whatever the email, the caller learns nothing: the API
   * answers 202 before this runs (the controller does not wait for it), and this answers nothing. An
   * account with a membership gets an email with a link, at most RESET_EMAILS_PER_WINDOW an hour; only
   * then is the request audited (an unknown email is not kept anywhere).
   */
  async requestReset(email: string, origin: RequestOrigin): Promise<void> {
    const user = await this.organisations.findUserByEmail(email.trim().toLowerCase());
    // A deactivated account gets no link: it could not sign in with the new password anyway. Nor does
    // one invited but not yet in: its invitation link (72 hours, sent to whom the inviter chose) is the way in.
    if (!user?.active || user.passwordHash === UNUSABLE_PASSWORD_HASH) return;
    const actor = await this.organisations.primaryActorOf(user.id);
    if (!actor) return;
    const { token, hash } = newOneTimeToken();
    const sent = await this.unitOfWork.run(async (manager) => {
      await this.unitOfWork.lock(manager, DatabaseLock.PasswordResets, user.id);
      const now = Date.now();
      const recent = await manager.countBy(PasswordReset, {
        userId: user.id,
        createdAt: MoreThan(new Date(now - RESET_LIMIT_WINDOW_MS)),
      });
      if (recent >= RESET_EMAILS_PER_WINDOW) return false;
      await manager.insert(PasswordReset, {
        tokenHash: hash,
        userId: user.id,
        createdAt: new Date(now),
        expiresAt: new Date(now + RESET_LINK_TTL_MS),
        usedAt: null,
      });
      await this.audit.record(manager, {
        event: 'password_reset_requested',
        account: { userId: user.id, name: user.name, role: actor.role, organisationId: actor.organisationId },
        proved: false,
        typedEmail: email,
        address: origin.address,
      });
      return true;
    });
    if (!sent) {
      this.logger.warn(`Password reset for account ${user.id} not sent: ${RESET_EMAILS_PER_WINDOW} already this hour`);
      return;
    }
    await this.sendSafely({
      to: user.email,
      language: user.language,
      kind: 'password_reset',
      link: this.mailer.link(`/reset/${token}`),
      params: { authority: await this.authorityName(actor.localAuthorityId) },
    });
  }

  /** Whether a reset link can still be used (the page asks before showing its form). */
  async resetLinkIsUsable(token: string): Promise<boolean> {
    if (!looksLikeOneTimeToken(token)) return false;
    return (await this.usableReset(this.unitOfWork.manager, token)) !== null;
  }

  /**
   * Sets a new password with a reset link: an unknown, used or expired link is 404; a password the
   * policy refuses is 400 `password` and leaves the link usable. Every link of the account is used up
   * and every session of the account ends.
   */
  async reset(token: string, password: string, origin: RequestOrigin): Promise<void> {
    if (!looksLikeOneTimeToken(token)) throw new NotFoundError('Reset link');
    const found = await this.usableReset(this.unitOfWork.manager, token);
    if (!found) throw new NotFoundError('Reset link');
    const problems = passwordProblems(password, found.user.email);
    if (problems.length > 0) throw new PasswordPolicyError(problems, ['password']);
    const hash = await hashPassword(password, this.hashing);
    const actor = await this.organisations.primaryActorOf(found.user.id);
    await this.unitOfWork.run(async (manager) => {
      // Claimed in this transaction: of two uses at once, one finds it already used.
      const claimed = await manager.update(
        PasswordReset,
        { tokenHash: found.reset.tokenHash, usedAt: IsNull(), expiresAt: MoreThan(new Date()) },
        { usedAt: new Date() },
      );
      if (!claimed.affected) throw new NotFoundError('Reset link');
      await this.useUpResetLinks(manager, found.user.id);
      await this.organisations.setPasswordHash(manager, found.user.id, hash);
      const sessionsEnded = await this.sessions.endAllFor(manager, found.user.id, { reason: 'password_reset' });
      await this.audit.record(manager, {
        event: 'password_reset',
        account: {
          userId: found.user.id,
          name: found.user.name,
          role: actor?.role ?? null,
          organisationId: actor?.organisationId ?? null,
        },
        proved: true,
        address: origin.address,
        sessionsEnded,
      });
    });
  }

  private async usableReset(
    manager: EntityManager,
    token: string,
  ): Promise<{ reset: PasswordReset; user: User } | null> {
    const reset = await manager.findOne(PasswordReset, {
      where: { tokenHash: hashOneTimeToken(token), usedAt: IsNull(), expiresAt: MoreThan(new Date()) },
    });
    if (!reset) return null;
    const user = await this.organisations.findUser(manager, reset.userId);
    // A deactivated account's links do nothing (deactivation also uses them up: useUpResetLinks).
    return user?.active ? { reset, user } : null;
  }

  /**
   * Uses up every open reset link of the account (after a reset or a change of password; and when the
   * account is deactivated, so a reactivation brings none back).
   */
  async useUpResetLinks(manager: EntityManager, userId: string): Promise<void> {
    await manager.update(PasswordReset, { userId, usedAt: IsNull() }, { usedAt: new Date() });
  }

  /** The local authority's names, for the email's footer (each language's half names it in that language). */
  private async authorityName(localAuthorityId: string): Promise<BilingualName> {
    const authority = await this.organisations.findOrganisation(localAuthorityId);
    return { name: authority?.name ?? '', nameCy: authority?.nameCy ?? null };
  }

  private async sendSafely(email: Parameters<Mailer['send']>[0]): Promise<void> {
    try {
      await this.mailer.send(email);
    } catch (error) {
      this.logger.error(`Email "${email.kind}" could not be sent: ${(error as Error).message}`);
    }
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { InjectRepository } from '@nestjs/typeorm';
import { MoreThan, Repository } from 'typeorm';
import { Actor } from '../common/actor';
import { TooManyAttemptsError, UnauthenticatedError } from '../common/domain-error';
import { newId } from '../common/ids';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { OrganisationsService } from '../organisations/organisations.service';
import { LoginAttempt } from './login-attempt.entity';
import { UNKNOWN_USER_HASH, verifyPassword } from './password-hasher';
import { SessionClaims } from './jwt.strategy';

export interface SignedIn {
  accessToken: string;
  expiresInSeconds: number;
  actor: Actor;
}

@Injectable()
export class AuthService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly jwt: JwtService,
    private readonly organisations: OrganisationsService,
    @InjectRepository(LoginAttempt) private readonly attempts: Repository<LoginAttempt>,
  ) {}

  /**
   * Checks the password and issues a session token. After `maxFailedAttempts` failures for one account
   * within the window (since its last success), the account answers 429 until the window has passed,
   * even with the right password, so guessing cannot continue.
   */
  async signIn(email: string, password: string, ipAddress: string | null): Promise<SignedIn> {
    const normalisedEmail = email.trim().toLowerCase();
    await this.assertNotLocked(normalisedEmail);

    const user = await this.organisations.findUserByEmail(normalisedEmail);
    const passwordMatches = await verifyPassword(password, user?.passwordHash ?? UNKNOWN_USER_HASH);
    const actor = user && passwordMatches ? await this.organisations.primaryActorOf(user.id) : null;
    await this.attempts.insert({ id: newId(), email: normalisedEmail, ipAddress, at: new Date(), succeeded: actor !== null });
    if (!actor) throw new UnauthenticatedError('Wrong email or password');

    const claims: SessionClaims = { sub: actor.userId, mid: actor.membershipId };
    const accessToken = await this.jwt.signAsync(claims, { algorithm: 'HS256', expiresIn: this.config.auth.sessionTtlSeconds });
    return { accessToken, expiresInSeconds: this.config.auth.sessionTtlSeconds, actor };
  }

  private async assertNotLocked(email: string): Promise<void> {
    const { maxFailedAttempts, lockoutWindowSeconds } = this.config.auth;
    const windowStart = new Date(Date.now() - lockoutWindowSeconds * 1000);
    const recent = await this.attempts.find({
      where: { email, at: MoreThan(windowStart) },
      order: { at: 'DESC' },
      take: maxFailedAttempts + 1,
    });
    const failuresSinceSuccess: LoginAttempt[] = [];
    for (const attempt of recent) {
      if (attempt.succeeded) break;
      failuresSinceSuccess.push(attempt);
    }
    if (failuresSinceSuccess.length < maxFailedAttempts) return;
    const lockStartedAt = failuresSinceSuccess[maxFailedAttempts - 1].at;
    const unlockAt = lockStartedAt.getTime() + lockoutWindowSeconds * 1000;
    throw new TooManyAttemptsError(Math.max(1, Math.ceil((unlockAt - Date.now()) / 1000)));
  }
}

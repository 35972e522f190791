import { createSecretKey } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Request } from 'express';
import { Strategy } from 'passport-jwt';
import { Actor } from '../common/actor';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { ActorCondition, OrganisationsService } from '../organisations/organisations.service';
import { Session } from './session.entity';
import { authCookieNames, sessionTokenExtractor } from './session-cookie';
import { TwoFactorCredential } from './two-factor/two-factor.entities';

export interface SessionClaims {
  sub: string;
  mid: string;
  /** The session's own id, so signing out can end this session and no other. */
  jti: string;
  /** 'setup': the account had to set up two-factor when this session began (two-factor-gate.ts). */
  tfa?: string;
}

/** Where the strategy leaves the verified session on the request, for signing out. */
export const SESSION_CLAIMS = Symbol('sessionClaims');
/**
 * What the session's one query also read about the account (jwt.strategy.ts `withAccountState`): as it
 * is at this request, never kept for another, so `/api/me`, the account page and the two-factor gate
 * need no query of their own.
 */
export interface SessionAccount {
  emailNotifications: boolean;
  twoFactorEnabled: boolean;
}

/** Where the strategy leaves the account's state read with the session (SessionAccount). */
export const SESSION_ACCOUNT = Symbol('sessionAccount');
export type RequestWithSession = Request & {
  [SESSION_CLAIMS]?: { jti: string; exp: number; twoFactorSetup?: boolean };
  [SESSION_ACCOUNT]?: SessionAccount;
};

/**
 * Verifies HS256 tokens only (so `alg: none` and algorithm swaps are refused), with expiry enforced,
 * then loads the actor fresh from the database: a removed membership ends the session at once, and so
 * does ending its session (the same query requires the `jti`'s session row, for this user and
 * membership, not yet ended). A token without a `jti` names no session, so it is refused. That one
 * query is the only statement a request spends on who its caller is: it also reads the account's state
 * (SessionAccount), and guards, interceptors and routes use `request.user` rather than load it again.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  /** The one statement (built once, run with each request's values): the session, the actor, the account. */
  private readonly loadSessionActor: ReturnType<OrganisationsService['prepareActorQuery']>;

  constructor(@Inject(APP_CONFIG) config: AppConfig, organisations: OrganisationsService) {
    super({
      jwtFromRequest: sessionTokenExtractor(authCookieNames(config.auth.cookieSecure)),
      // A KeyObject made once: given a string, jsonwebtoken first tries it as a PEM public key on every
      // request (a thrown error each time, measured a few per cent of a read's CPU), then as a secret.
      secretOrKey: createSecretKey(Buffer.from(config.auth.jwtSecret)) as unknown as string,
      algorithms: ['HS256'],
      ignoreExpiration: false,
      passReqToCallback: true,
    });
    this.loadSessionActor = organisations.prepareActorQuery((query) => {
      sessionOpen(query);
      withAccountState(query);
    });
  }

  async validate(
    request: RequestWithSession,
    claims: Partial<SessionClaims> & { exp?: unknown },
  ): Promise<Actor | false> {
    const { sub, mid, jti, exp, tfa } = claims ?? {};
    if (
      typeof sub !== 'string' ||
      typeof mid !== 'string' ||
      typeof jti !== 'string' ||
      !jti ||
      typeof exp !== 'number'
    )
      return false;
    const loaded = await this.loadSessionActor(sub, mid, { sessionId: jti });
    if (!loaded) return false;
    request[SESSION_CLAIMS] = { jti, exp, twoFactorSetup: tfa === 'setup' };
    request[SESSION_ACCOUNT] = {
      emailNotifications: Boolean(loaded.row.emailNotifications ?? true),
      twoFactorEnabled: Boolean(Number(loaded.row.twoFactorEnabled)),
    };
    return loaded.actor;
  }
}

/**
 * Added to the actor's query beside `notSignedOut`: the account's email preference and whether it has
 * two-factor on (an EXISTS on the credential's primary key), read in the same statement.
 */
function withAccountState(query: Parameters<ActorCondition>[0]): void {
  const enabled = query
    .subQuery()
    .select('1')
    .from(TwoFactorCredential, 'credential')
    .where('credential.user_id = user.id')
    .andWhere('credential.enabled_at IS NOT NULL')
    .getQuery();
  query.addSelect('user.email_notifications', 'emailNotifications').addSelect(`EXISTS ${enabled}`, 'twoFactorEnabled');
}

/**
 * Added to the actor's query, so the session is checked in the same single query: its row exists (every
 * session issued is recorded), belongs to this user and membership, and has not ended (signed out, a
 * new password, a deactivated account, an ended membership). `user` and `membership` are the actor
 * query's aliases (OrganisationsService.loadActor).
 */
export function notSignedOut(jti: string): ActorCondition {
  return (query) => {
    sessionOpen(query);
    query.setParameter('sessionId', jti);
  };
}

/** notSignedOut's condition, the session's id left as the parameter `sessionId`. */
function sessionOpen(query: Parameters<ActorCondition>[0]): void {
  const open = query
    .subQuery()
    .select('1')
    .from(Session, 'session')
    .where('session.jti = :sessionId')
    .andWhere('session.user_id = user.id')
    .andWhere('session.membership_id = membership.id')
    .andWhere('session.ended_at IS NULL')
    .getQuery();
  query.andWhere(`EXISTS ${open}`);
}
